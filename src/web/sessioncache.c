/* The server's session cache. Keys carry the virtual host's place in the configuration, so a
 * session cached for one vhost (and its database) is never trusted by another. */
#include "httpd.h"
#include "http_log.h"
#include "apr_strings.h"

#include "cache/socache.h"
#include "cfg/config.h"
#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/defaults.h"
#include "web/metrics.h"
#include "web/sessioncache.h"

APLOG_USE_MODULE(seances_auth);

#define ENTRY_MAX 1024

static cache_t server_cache; /* backend NULL: no cache */

apr_status_t web_session_cache_register(apr_pool_t *pconf)
{
    return cache_socache_register_mutex(pconf);
}

/* What SeancesSessionCache asks for: its instance, the default provider when it is loaded,
 * or none. */
static cache_t *chosen_cache(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    const cfg_srv_config *c = cfg_srv(s);
    if (c->session_cache) {
        return c->session_cache_made; /* NULL for "none" */
    }
    if (!cache_socache_available(sa_defaults.session_cache)) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     SALOG(0208) "mod_socache_%s is not loaded: every request asks the database "
                                 "(load it, or set " CFG_SESSION_CACHE " none to say so)",
                     sa_defaults.session_cache);
        return NULL;
    }
    cache_t *made = apr_pcalloc(pconf, sizeof(*made));
    return cache_socache_create(pconf, ptemp, sa_defaults.session_cache, made) ? NULL : made;
}

apr_status_t web_session_cache_setup(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    cache_t *chosen = chosen_cache(pconf, ptemp, s);
    server_cache.backend = NULL;
    if (!chosen) {
        return APR_SUCCESS;
    }
    apr_status_t rv = cache_socache_init(chosen, pconf, s);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     SALOG(0409) "cannot set up the session cache (" CFG_SESSION_CACHE ")");
        return rv;
    }
    server_cache = *chosen;
    return APR_SUCCESS;
}

void web_session_cache_child_init(apr_pool_t *pchild, server_rec *s)
{
    if (server_cache.backend && cache_socache_child_init(&server_cache, pchild, s) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     SALOG(0410) "the session cache's mutex is unusable in this process: "
                                 "sessions are checked in the database");
        server_cache.backend = NULL;
    }
}

static const char *entry_key(request_rec *r, const char *id_hash)
{
    const server_rec *s = r->server;
    return apr_psprintf(r->pool, "%s:%u:%s", s->defn_name ? s->defn_name : "main",
                        s->defn_line_number, id_hash);
}

static int trusted_here(request_rec *r)
{
    return server_cache.backend && cfg_session_recheck(cfg_srv(r->server)) > 0;
}

const sa_session_info *web_session_cache_find(request_rec *r, const sa_cookie_claims *claims,
                                              const sa_session_policy *policy)
{
    unsigned char buf[ENTRY_MAX];
    unsigned int len = sizeof(buf);
    sa_session_info *info;
    if (!trusted_here(r) || !claims->id_hash) {
        return NULL;
    }
    info = apr_palloc(r->pool, sizeof(*info));
    if (cache_get(&server_cache, r->server, entry_key(r, claims->id_hash), buf, &len, r->pool) !=
            APR_SUCCESS ||
        sa_session_cache_decode(r->pool, (const char *)buf, len, info) != 0 ||
        sa_session_check_cached(info, policy, claims, r->request_time) != SA_SESSION_VALID) {
        web_metrics_inc(WEB_METRIC_CACHE_MISSES);
        return NULL;
    }
    web_metrics_inc(WEB_METRIC_CACHE_HITS);
    return info;
}

void web_session_cache_keep(request_rec *r, const sa_session_info *info)
{
    if (!trusted_here(r)) {
        return;
    }
    apr_time_t until = r->request_time + cfg_session_recheck(cfg_srv(r->server));
    cache_put(&server_cache, r->server, entry_key(r, info->id_hash), until,
              sa_session_cache_encode(r->pool, info), r->pool);
}

void web_session_cache_forget(request_rec *r, const char *id_hash)
{
    if (server_cache.backend && id_hash) {
        cache_remove(&server_cache, r->server, entry_key(r, id_hash), r->pool);
    }
}
