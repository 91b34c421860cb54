/* ap_socache as the session cache. A provider flagged AP_SOCACHE_FLAG_NOTMPSAFE (shmcb) must
 * be serialised by its caller across threads and processes: a global mutex, as mod_ssl does
 * for its session cache. Its type is "seances-cache" for the Mutex directive. */
#include <string.h>

#include "httpd.h"
#include "ap_provider.h"
#include "ap_socache.h"
#include "apr_strings.h"
#include "util_mutex.h"

#include "cache/socache.h"

#define MUTEX_TYPE "seances-cache"
#define CACHE_NAME "seances-sess"

struct cache_instance {
    const ap_socache_provider_t *provider;
    ap_socache_instance_t *socache;
    apr_global_mutex_t *mutex; /* only for providers that are not multi-process safe */
};

static const ap_socache_provider_t *provider_named(const char *name)
{
    return ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name, AP_SOCACHE_PROVIDER_VERSION);
}

int cache_socache_available(const char *name)
{
    return provider_named(name) != NULL;
}

static void lock(cache_instance *c)
{
    if (c->mutex) {
        apr_global_mutex_lock(c->mutex);
    }
}

static void unlock(cache_instance *c)
{
    if (c->mutex) {
        apr_global_mutex_unlock(c->mutex);
    }
}

static apr_status_t socache_get(cache_instance *c, server_rec *s, const char *key,
                                unsigned char *buf, unsigned int *len, apr_pool_t *p)
{
    lock(c);
    apr_status_t rv = c->provider->retrieve(c->socache, s, (const unsigned char *)key,
                                            (unsigned int)strlen(key), buf, len, p);
    unlock(c);
    return rv;
}

static apr_status_t socache_put(cache_instance *c, server_rec *s, const char *key,
                                apr_time_t expiry, const unsigned char *val, unsigned int len,
                                apr_pool_t *p)
{
    lock(c);
    apr_status_t rv =
        c->provider->store(c->socache, s, (const unsigned char *)key, (unsigned int)strlen(key),
                           expiry, (unsigned char *)val, len, p);
    unlock(c);
    return rv;
}

static apr_status_t socache_remove(cache_instance *c, server_rec *s, const char *key, apr_pool_t *p)
{
    lock(c);
    apr_status_t rv = c->provider->remove(c->socache, s, (const unsigned char *)key,
                                          (unsigned int)strlen(key), p);
    unlock(c);
    return rv;
}

static const cache_backend socache_backend = {"socache", socache_get, socache_put, socache_remove};

const char *cache_socache_create(apr_pool_t *p, apr_pool_t *ptemp, const char *spec, cache_t *out)
{
    const char *colon = strchr(spec, ':');
    const char *name = colon ? apr_pstrmemdup(ptemp, spec, (apr_size_t)(colon - spec)) : spec;
    cache_instance *c = apr_pcalloc(p, sizeof(*c));
    c->provider = provider_named(name);
    if (!c->provider) {
        return apr_psprintf(p,
                            "no ap_socache provider '%s' is loaded (LoadModule "
                            "socache_%s_module before this line)",
                            name, name);
    }
    const char *err = c->provider->create(&c->socache, colon ? colon + 1 : NULL, ptemp, p);
    if (err) {
        return apr_psprintf(p, "%s: %s", name, err);
    }
    out->backend = &socache_backend;
    out->instance = c;
    return NULL;
}

apr_status_t cache_socache_register_mutex(apr_pool_t *pconf)
{
    return ap_mutex_register(pconf, MUTEX_TYPE, NULL, APR_LOCK_DEFAULT, 0);
}

apr_status_t cache_socache_init(cache_t *c, apr_pool_t *pconf, server_rec *s)
{
    /* entries are a few hundred bytes, keyed by a 64-character hash */
    static const struct ap_socache_hints hints = {64, 320, 600 * APR_USEC_PER_SEC};
    cache_instance *ci = c->instance;
    if (ci->provider->flags & AP_SOCACHE_FLAG_NOTMPSAFE) {
        apr_status_t rv = ap_global_mutex_create(&ci->mutex, NULL, MUTEX_TYPE, NULL, s, pconf, 0);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    return ci->provider->init(ci->socache, CACHE_NAME, &hints, s, pconf);
}

apr_status_t cache_socache_child_init(cache_t *c, apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    cache_instance *ci = c->instance;
    if (!ci->mutex) {
        return APR_SUCCESS;
    }
    return apr_global_mutex_child_init(&ci->mutex, apr_global_mutex_lockfile(ci->mutex), pchild);
}
