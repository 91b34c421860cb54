/* AuthType Seances: who is this request? From the session cookie and the session registry,
 * or nobody: then a redirect to the login form (GET) or 401 (API and non-GET requests). */
#include <string.h>

#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_lib.h"

#include "cfg/logno.h"
#include "core/html.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/hooks.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"

APLOG_USE_MODULE(seances_auth);

/* Identity headers we set for back ends; a client's copies never pass, in any spelling. */
static const char *const identity_headers[] = {"X-Remote-User", "X-Remote-Email", NULL};

/* Compares header names ignoring case and treating '_' as '-', as many back ends do. */
static int same_header_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = *a == '_' ? '-' : apr_tolower((unsigned char)*a);
        int cb = *b == '_' ? '-' : apr_tolower((unsigned char)*b);
        if (ca != cb) {
            return 0;
        }
    }
    return *a == *b;
}

static int is_identity_header(const char *name)
{
    for (const char *const *h = identity_headers; *h; h++) {
        if (same_header_name(name, *h)) {
            return 1;
        }
    }
    return 0;
}

/* Drops identity names from Connection, so a proxy cannot be told to strip the real ones. */
static void scrub_connection_tokens(request_rec *r)
{
    const char *conn = apr_table_get(r->headers_in, "Connection");
    if (!conn) {
        return;
    }
    char *copy = apr_pstrdup(r->pool, conn), *state = NULL, *kept = NULL;
    for (char *tok = apr_strtok(copy, ", \t", &state); tok;
         tok = apr_strtok(NULL, ", \t", &state)) {
        if (!is_identity_header(tok)) {
            kept = kept ? apr_pstrcat(r->pool, kept, ", ", tok, NULL) : tok;
        }
    }
    if (kept) {
        apr_table_setn(r->headers_in, "Connection", kept);
    } else {
        apr_table_unset(r->headers_in, "Connection");
    }
}

int web_scrub_identity_headers(request_rec *r)
{
    const apr_array_header_t *arr = apr_table_elts(r->headers_in);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    apr_array_header_t *doomed = NULL;
    for (int i = 0; i < arr->nelts; i++) {
        if (e[i].key && is_identity_header(e[i].key)) {
            if (!doomed) {
                doomed = apr_array_make(r->pool, 2, sizeof(const char *));
            }
            *(const char **)apr_array_push(doomed) = e[i].key;
        }
    }
    for (int i = 0; doomed && i < doomed->nelts; i++) {
        const char *name = ((const char **)doomed->elts)[i];
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0201) "removed client-sent header %s",
                      name);
        apr_table_unset(r->headers_in, name);
    }
    scrub_connection_tokens(r);
    return DECLINED;
}

static int is_api_request(request_rec *r)
{
    const char *accept = apr_table_get(r->headers_in, "Accept");
    if (r->method_number != M_GET || apr_table_get(r->headers_in, "X-Requested-With")) {
        return 1;
    }
    return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

static int deny_unauthenticated(request_rec *r, const cfg_dir_config *d)
{
    if (is_api_request(r)) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       apr_psprintf(r->pool, "Seances realm=\"%s\"",
                                    ap_auth_name(r) ? ap_auth_name(r) : "seances"));
        apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
        return HTTP_UNAUTHORIZED;
    }
    const char *target = r->unparsed_uri && *r->unparsed_uri ? r->unparsed_uri : "/";
    const char *login = cfg_login_url(d);
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, login, strchr(login, '?') ? "&" : "?",
                               "return=", sa_url_encode(r->pool, target), NULL));
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    return HTTP_MOVED_TEMPORARILY;
}

static void accept_session(request_rec *r, sa_db *db, const sa_session_info *info)
{
    r->user = apr_pstrdup(r->pool, info->user);
    r->ap_auth_type = SA_AUTH_TYPE;
    web_session_note(r, info);
    /* db is NULL when an earlier pass of this request already checked (and touched) it */
    if (db && info->needs_touch &&
        sa_session_touch(db, r->pool, info, r->request_time) != APR_SUCCESS) {
        /* the session stays valid; only its idle clock was not advanced */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, SALOG(0202) "could not record activity: %s",
                      db->error ? db->error : "unknown error");
    }
}

int web_check_authn(request_rec *r)
{
    const char *type = ap_auth_type(r);
    if (!type || strcasecmp(type, SA_AUTH_TYPE) != 0) {
        return DECLINED;
    }
    const cfg_dir_config *d = cfg_dir(r);
    const sa_session_info *info = NULL;
    sa_db *db = NULL;
    switch (web_session_resolve(r, &db, &info)) {
    case WEB_SESSION_LIVE:
        accept_session(r, db, info);
        return OK;
    case WEB_SESSION_DB_DOWN:
        web_page_unavailable(r);
        return DONE;
    case WEB_SESSION_ENDED:
        web_cookie_clear(r, cfg_cookie_name(d), cfg_cookie_attrs(d));
        return deny_unauthenticated(r, d);
    default:
        return deny_unauthenticated(r, d);
    }
}

int web_set_identity(request_rec *r)
{
    const sa_session_info *info = web_session_noted(r);
    if (!info || !r->user) {
        return DECLINED;
    }
    apr_table_setn(r->subprocess_env, "SEANCES_LEVEL", info->level >= 2 ? "2" : "1");
    if (cfg_pass_headers(cfg_dir(r))) {
        apr_table_setn(r->headers_in, "X-Remote-User", info->user);
        if (info->email && *info->email) {
            apr_table_setn(r->headers_in, "X-Remote-Email", info->email);
        }
    }
    return DECLINED;
}

int web_note_auth_failure(request_rec *r, const char *auth_type)
{
    (void)r;
    /* the redirect or 401 was decided in web_check_authn; authz refusals of a logged-in user
     * stay plain refusals */
    return strcasecmp(auth_type, SA_AUTH_TYPE) == 0 ? OK : DECLINED;
}
