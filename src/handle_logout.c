/* seances-logout: GET asks for confirmation, POST (with the session's CSRF token) ends the
 * session in the database and drops the cookie, so a copy of the cookie is dead too. */
#include "httpd.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "web_crypto.h"
#include "web_db.h"
#include "web_handlers.h"
#include "web_request.h"

APLOG_USE_MODULE(seances_auth);

#define CSRF_PURPOSE "logout"

static int show_logged_out(request_rec *r)
{
    return sa_page_message(r, HTTP_OK, "logout_title", "logged_out");
}

static int show_confirm(request_rec *r, const sa_session_info *s)
{
    const sa_dir_config *d = sa_dir_cfg(r);
    apr_table_t *vars = apr_table_make(r->pool, 8);
    apr_table_setn(vars, "title", sa_msg(sa_request_lang(r), "logout_title"));
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "user", s->user);
    apr_table_setn(vars, "csrf", sa_csrf_token(r->pool, d->crypto, CSRF_PURPOSE, s->id_hash));
    apr_table_setn(vars, "portal_url", sa_cfg_portal_url(d));
    return sa_page_send(r, HTTP_OK, "logout.html", vars);
}

static int end_session(request_rec *r, const sa_session_info *s)
{
    const sa_dir_config *d = sa_dir_cfg(r);
    apr_table_t *form = NULL;
    int rc = sa_form_read(r, &form);
    if (rc != OK) {
        return sa_page_message(r, rc, "bad_request_title", "input_too_long");
    }
    if (!sa_csrf_valid(r->pool, d->crypto, CSRF_PURPOSE, s->id_hash, apr_table_get(form, "csrf"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "logout without a valid CSRF token refused");
        return sa_page_message(r, HTTP_FORBIDDEN, "forbidden_title", "csrf_failed");
    }
    sa_db *db = sa_web_db(r);
    if (!db || sa_session_end(db, r->pool, s->id_hash) != APR_SUCCESS) {
        sa_web_db_log_failure(r, db, "ending a session");
        return sa_page_message(r, HTTP_SERVICE_UNAVAILABLE, "unavailable_title",
                               "unavailable_text");
    }
    sa_cookie_clear(r, sa_cfg_cookie_name(d), sa_cfg_cookie_attrs(d));
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "logout of %s from %s", s->user, sa_client_ip(r));
    return show_logged_out(r);
}

int sa_handle_logout(request_rec *r)
{
    const sa_dir_config *d = sa_dir_cfg(r);
    int db_failed = 0;
    const sa_session_info *s = sa_current_session(r, &db_failed);
    if (db_failed) {
        return sa_page_message(r, HTTP_SERVICE_UNAVAILABLE, "unavailable_title",
                               "unavailable_text");
    }
    if (!s) {
        /* nothing to end: make sure the browser forgets a stale cookie */
        if (sa_cookie_get(r, sa_cfg_cookie_name(d))) {
            sa_cookie_clear(r, sa_cfg_cookie_name(d), sa_cfg_cookie_attrs(d));
        }
        return show_logged_out(r);
    }
    return r->method_number == M_POST ? end_session(r, s) : show_confirm(r, s);
}
