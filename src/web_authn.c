/* AuthType Seances: who is this request? From the session cookie and the session registry,
 * or nobody: then a redirect to the login form (GET) or 401 (API and non-GET requests). */
#include <string.h>

#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_lib.h"

#include "sa_html.h"
#include "web_crypto.h"
#include "web_db.h"
#include "web_hooks.h"
#include "web_request.h"

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

int sa_scrub_identity_headers(request_rec *r)
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
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "removed client-sent header %s", name);
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

static int deny_unauthenticated(request_rec *r, const sa_dir_config *d)
{
    if (is_api_request(r)) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       apr_psprintf(r->pool, "Seances realm=\"%s\"",
                                    ap_auth_name(r) ? ap_auth_name(r) : "seances"));
        apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
        return HTTP_UNAUTHORIZED;
    }
    const char *target = r->unparsed_uri && *r->unparsed_uri ? r->unparsed_uri : "/";
    const char *login = sa_cfg_login_url(d);
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, login, strchr(login, '?') ? "&" : "?",
                               "return=", sa_url_encode(r->pool, target), NULL));
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    return HTTP_MOVED_TEMPORARILY;
}

static int database_unavailable(request_rec *r, const sa_db *db)
{
    sa_web_db_log_failure(r, db, "checking a session");
    sa_page_message(r, HTTP_SERVICE_UNAVAILABLE, "unavailable_title", "unavailable_text");
    apr_table_setn(r->err_headers_out, "Retry-After", "30");
    return DONE;
}

static sa_session_status lookup(request_rec *r, sa_db *db, const sa_session_policy *policy,
                                const sa_cookie_claims *claims, sa_session_info *info)
{
    sa_session_status st = sa_session_lookup(db, r->pool, policy, claims, r->request_time, info);
    if (st == SA_SESSION_DB_ERROR && sa_web_db_repair(r, db)) {
        st = sa_session_lookup(db, r->pool, policy, claims, r->request_time, info);
    }
    return st;
}

static void accept_session(request_rec *r, sa_db *db, sa_session_info *info)
{
    r->user = apr_pstrdup(r->pool, info->user);
    r->ap_auth_type = SA_AUTH_TYPE;
    sa_request_set_session(r, info);
    if (info->needs_touch && sa_session_touch(db, r->pool, info, r->request_time) != APR_SUCCESS) {
        /* the session stays valid; only its idle clock was not advanced */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "could not record activity: %s",
                      db->error ? db->error : "unknown error");
    }
}

int sa_check_authn(request_rec *r)
{
    const char *type = ap_auth_type(r);
    if (!type || strcasecmp(type, SA_AUTH_TYPE) != 0) {
        return DECLINED;
    }
    const sa_dir_config *d = sa_dir_cfg(r);
    sa_claims_cache *claims_cache = NULL;
    sa_crypto *crypto = sa_crypto_for(r, d->crypto, &claims_cache);
    if (!crypto) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    const char *cookie = sa_cookie_get(r, sa_cfg_cookie_name(d));
    sa_cookie_claims claims;
    if (!cookie || sa_session_open_cookie(crypto, claims_cache, r->pool, cookie, r->request_time,
                                          &claims) != SA_SESSION_VALID) {
        if (cookie) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "session cookie unusable: ignored");
        }
        return deny_unauthenticated(r, d);
    }
    sa_db *db = sa_web_db(r);
    if (!db) {
        return database_unavailable(r, NULL);
    }
    sa_session_policy policy;
    sa_session_info *info = apr_pcalloc(r->pool, sizeof(*info));
    sa_session_policy_of(d, &policy);
    switch (lookup(r, db, &policy, &claims, info)) {
    case SA_SESSION_VALID:
        accept_session(r, db, info);
        return OK;
    case SA_SESSION_DB_ERROR:
        return database_unavailable(r, db);
    default:
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "session of %s is over or unknown",
                      claims.user);
        sa_cookie_clear(r, sa_cfg_cookie_name(d), sa_cfg_cookie_attrs(d));
        return deny_unauthenticated(r, d);
    }
}

int sa_set_identity(request_rec *r)
{
    const sa_session_info *info = sa_request_session(r);
    if (!info || !r->user) {
        return DECLINED;
    }
    apr_table_setn(r->subprocess_env, "SEANCES_LEVEL", info->level >= 2 ? "2" : "1");
    if (sa_cfg_pass_headers(sa_dir_cfg(r))) {
        apr_table_setn(r->headers_in, "X-Remote-User", info->user);
        if (info->email && *info->email) {
            apr_table_setn(r->headers_in, "X-Remote-Email", info->email);
        }
    }
    return DECLINED;
}

int sa_note_auth_failure(request_rec *r, const char *auth_type)
{
    (void)r;
    /* the redirect or 401 was decided in sa_check_authn; authz refusals of a logged-in user
     * stay plain refusals */
    return strcasecmp(auth_type, SA_AUTH_TYPE) == 0 ? OK : DECLINED;
}
