/* What a back end behind AuthType Seances sees of the request, and how its answer may be
 * cached (issue 13, finding 8):
 * - SeancesCookieRemove (on): the session cookie is a bearer token for every location of the
 *   server, so it is taken out of the request before a proxied back end, a CGI or a handler
 *   of another module sees it; the module's own handlers (seances-*) keep it. Only that cookie
 *   goes; the others stay as sent. Like mod_session's SessionCookieRemove, it acts where the
 *   module is the authentication (AuthType Seances).
 * - SeancesCacheControl (private): an answer for one signed-in user must not be kept by a
 *   shared cache. The back end may be stricter (no-store, no-cache, private: kept as it is),
 *   never looser: any other Cache-Control it sends is replaced. */
#include "httpd.h"
#include <string.h>

#include "http_config.h"
#include "http_core.h"
#include "http_request.h"
#include "util_filter.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "web/hooks.h"
#include "web/request.h"
#include "web/session.h"

#define CACHE_FILTER "SEANCES_CACHE_CONTROL"

static int is_own_handler(const request_rec *r)
{
    return r->handler && strncmp(r->handler, "seances-", 8) == 0;
}

static int is_seances_location(request_rec *r)
{
    const char *type = ap_auth_type(r);
    return type && strcasecmp(type, SA_AUTH_TYPE) == 0;
}

/* 1 when a Cache-Control value already keeps shared caches out. */
static int keeps_shared_caches_out(const char *value)
{
    static const char *const strict[] = {"private", "no-store", "no-cache"};
    for (size_t i = 0; value && i < sizeof(strict) / sizeof(strict[0]); i++) {
        if (ap_find_token(NULL, value, strict[i])) {
            return 1;
        }
    }
    return 0;
}

static apr_status_t cache_control_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    const char *ours = f->ctx;
    const char *theirs = apr_table_get(r->headers_out, "Cache-Control");
    if (keeps_shared_caches_out(theirs)) {
        apr_table_unset(r->err_headers_out, "Cache-Control");
    } else {
        apr_table_unset(r->headers_out, "Cache-Control");
        apr_table_setn(r->err_headers_out, "Cache-Control", ours);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

void web_backend_register_filters(void)
{
    ap_register_output_filter(CACHE_FILTER, cache_control_filter, NULL, AP_FTYPE_CONTENT_SET);
}

int web_backend_fixups(request_rec *r)
{
    const cfg_dir_config *d = cfg_dir(r);
    if (!is_seances_location(r) || is_own_handler(r)) {
        return DECLINED;
    }
    if (cfg_cookie_remove(d)) {
        web_cookie_remove(r, cfg_cookie_name(d));
    }
    const char *cc = cfg_cache_control(d);
    if (cc && r->user && web_session_noted(r)) {
        /* set now, for error answers too; the filter settles it with the back end's own */
        apr_table_setn(r->err_headers_out, "Cache-Control", cc);
        ap_add_output_filter(CACHE_FILTER, (void *)cc, r, r->connection);
    }
    return DECLINED;
}
