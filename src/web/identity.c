/* The identity the back end sees: REMOTE_USER and SEANCES_LEVEL, X-Remote-User and
 * X-Remote-Email for proxied back ends (SeancesPassHeaders), and the removal of every copy of
 * those headers that a client sends, in every spelling, also from Connection. */
#include <string.h>

#include "httpd.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_lib.h"

#include "cfg/config.h"
#include "cfg/logno.h"
#include "web/hooks.h"
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

/* Drops identity names from Connection, so a proxy cannot be told to strip the real ones.
 * The tokens are read exactly as mod_proxy reads them (find_conn_headers: ap_get_token, with
 * "," ";" and blanks as separators), and the header is rebuilt from the others. */
static void scrub_connection_tokens(request_rec *r)
{
    const char *val = apr_table_get(r->headers_in, "Connection");
    const char *kept = NULL;
    int dropped = 0;
    if (!val) {
        return;
    }
    while (*val) {
        while (*val == ',' || *val == ';') {
            val++;
        }
        const char *name = ap_get_token(r->pool, &val, 0);
        if (is_identity_header(name)) {
            dropped = 1;
        } else if (*name) {
            kept = kept ? apr_pstrcat(r->pool, kept, ", ", name, NULL) : name;
        }
    }
    if (!dropped) {
        return;
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
