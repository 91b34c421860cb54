/* seances-logout: GET asks for confirmation, POST (with the session's CSRF token) ends the
 * session in the database and drops the cookie, so a copy of the cookie is dead too. */
#include "httpd.h"
#include "http_log.h"
#include "http_protocol.h"
#include "util_script.h"
#include "apr_strings.h"

#include "cfg/logno.h"
#include "core/validate.h"
#include "web/crypto.h"
#include "web/db.h"
#include "handle/handle.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"
#include "web/sessioncache.h"

APLOG_USE_MODULE(seances_auth);

#define CSRF_PURPOSE WEB_CSRF_LOGOUT

static int show_logged_out(request_rec *r)
{
    return web_page_message(r, HTTP_OK, "logout_title", "logged_out");
}

/* "Annuler" goes back where the user came from: the local path the link gave as ?return=
 * (the app's user menu and the portal give it), else "/". */
static const char *cancel_target(request_rec *r)
{
    apr_table_t *args = NULL;
    ap_args_to_table(r, &args);
    return sa_safe_return_path(args ? apr_table_get(args, "return") : NULL);
}

static int show_confirm(request_rec *r, const sa_session_info *s)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *vars = apr_table_make(r->pool, 8);
    apr_table_setn(vars, "title", sa_msg(web_request_lang(r), "logout_title"));
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "user", s->user);
    apr_table_setn(vars, "csrf", web_csrf_token(r->pool, d->crypto, CSRF_PURPOSE, s->id_hash));
    apr_table_setn(vars, "cancel_url", cancel_target(r));
    return web_page_send(r, HTTP_OK, "logout.html", vars);
}

static int end_session(request_rec *r, const sa_session_info *s)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *form = NULL;
    int rc = web_form_read(r, &form);
    if (rc != OK) {
        return web_page_status(r, rc);
    }
    if (!web_csrf_valid(r->pool, d->crypto, CSRF_PURPOSE, s->id_hash,
                        apr_table_get(form, "csrf"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0105) "logout without a valid CSRF token refused");
        return web_page_message(r, HTTP_FORBIDDEN, "forbidden_title", "csrf_failed");
    }
    sa_db *db = web_db(r);
    if (!db || sa_session_end(db, r->pool, s->id_hash) != APR_SUCCESS) {
        web_db_log_failure(r, db, "ending a session");
        return web_page_unavailable(r);
    }
    web_session_cache_forget(r, s->id_hash);
    web_cookie_clear(r, cfg_cookie_name(d), cfg_cookie_attrs(d));
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0104) "logout of %s from %s", s->user,
                  web_client_ip(r));
    return show_logged_out(r);
}

int handle_logout(request_rec *r)
{
    const cfg_dir_config *d = cfg_dir(r);
    const sa_session_info *s = NULL;
    if (web_page_beyond(r, cfg_portal_sibling(r->pool, d, CFG_LOGOUT))) {
        return web_page_status(r, HTTP_NOT_FOUND);
    }
    web_session_state state = web_session_resolve(r, NULL, &s);
    if (state == WEB_SESSION_DB_DOWN) {
        return web_page_unavailable(r);
    }
    if (state != WEB_SESSION_LIVE) {
        /* nothing to end: make sure the browser forgets a stale cookie */
        if (web_cookie_get(r, cfg_cookie_name(d))) {
            web_cookie_clear(r, cfg_cookie_name(d), cfg_cookie_attrs(d));
        }
        return show_logged_out(r);
    }
    return r->method_number == M_POST ? end_session(r, s) : show_confirm(r, s);
}
