/* seances-portal ("Mon portail"): the signed-in user's own page. Everyone else is sent to
 * the login, which brings them back here. GET shows the page; every change is a POST with
 * the session's CSRF token, answered by a redirect to the page with a message key, so that a
 * reload repeats nothing. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "util_script.h"
#include "apr_strings.h"

#include "cfg/logno.h"
#include "core/html.h"
#include "core/validate.h"
#include "handle/handle.h"
#include "handle/portal.h"
#include "web/db.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"

APLOG_USE_MODULE(seances_auth);

/* The messages an action can leave on the page, and where they show. Only these keys are
 * ever displayed: the query cannot make the page say anything else. */
typedef struct {
    const char *key;
    const char *section;
    int error;
} portal_message;

static const portal_message messages[] = {{"pw_changed", "password", 0},
                                          {"pw_fields_missing", "password", 1},
                                          {"pw_mismatch", "password", 1},
                                          {"pw_too_short", "password", 1},
                                          {"pw_too_long", "password", 1},
                                          {"pw_not_utf8", "password", 1},
                                          {"pw_blocklisted", "password", 1},
                                          {"pw_contains_name", "password", 1},
                                          {"pw_current_wrong", "password", 1},
                                          {"pw_throttled", "password", 1},
                                          {"pw_account_gone", "password", 1},
                                          {"session_ended", "sessions", 0},
                                          {"session_unknown", "sessions", 1},
                                          {"others_ended", "sessions", 0},
                                          {NULL, NULL, 0}};

const char *portal_message_section(const char *key, int *error)
{
    for (const portal_message *m = messages; key && m->key; m++) {
        if (strcmp(m->key, key) == 0) {
            *error = m->error;
            return m->section;
        }
    }
    return NULL;
}

static void add_query(request_rec *r, const char **url, const char *name, const char *value)
{
    if (value) {
        *url = apr_pstrcat(r->pool, *url, strchr(*url, '?') ? "&" : "?", name, "=",
                           sa_url_encode(r->pool, value), NULL);
    }
}

const char *portal_url(const portal_req *q, const char *msg, const char *before, const char *anchor)
{
    const char *url = q->r->uri;
    add_query(q->r, &url, "msg", msg);
    add_query(q->r, &url, "return", q->return_to);
    add_query(q->r, &url, "before", before);
    return anchor ? apr_pstrcat(q->r->pool, url, "#", anchor, NULL) : url;
}

/* A return target is kept only when it is a real local path: anything else is dropped
 * rather than turned into "/", so the page does not claim to have come from there. */
static const char *safe_return(const char *value)
{
    if (!value || !*value) {
        return NULL;
    }
    const char *safe = sa_safe_return_path(value);
    return strcmp(safe, value) == 0 ? value : NULL;
}

/* Not signed in: to the login, which comes back to this page (with its return target). */
static int to_login(request_rec *r, const char *return_to)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *login = cfg_login_url(d);
    const char *here = return_to ? apr_pstrcat(r->pool, r->uri,
                                               "?return=", sa_url_encode(r->pool, return_to), NULL)
                                 : r->uri;
    web_security_headers(r);
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, login, strchr(login, '?') ? "&" : "?",
                               "return=", sa_url_encode(r->pool, here), NULL));
    return r->method_number == M_POST ? HTTP_SEE_OTHER : HTTP_MOVED_TEMPORARILY;
}

int handle_portal(request_rec *r)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *args = NULL;
    const sa_session_info *s = NULL;
    sa_db *db = NULL;
    ap_args_to_table(r, &args);
    portal_req q = {r, NULL, NULL, safe_return(apr_table_get(args, "return"))};
    switch (web_session_resolve(r, &db, &s)) {
    case WEB_SESSION_LIVE:
        break;
    case WEB_SESSION_DB_DOWN:
        return web_page_unavailable(r);
    case WEB_SESSION_ENDED:
        web_cookie_clear(r, cfg_cookie_name(d), cfg_cookie_attrs(d));
        return to_login(r, q.return_to);
    default:
        return to_login(r, q.return_to);
    }
    q.session = s;
    /* a session noted by AuthType Seances on this location came without a connection */
    q.db = db ? db : web_db(r);
    if (!q.db) {
        return web_page_unavailable(r);
    }
    if (r->method_number == M_POST) {
        return portal_act(&q);
    }
    return portal_show(&q, apr_table_get(args, "msg"), apr_table_get(args, "before"));
}
