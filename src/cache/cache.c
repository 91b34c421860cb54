/* Calls into the configured backend; with none, the cache is always empty. */
#include <string.h>

#include "cache/cache.h"

apr_status_t cache_get(const cache_t *c, server_rec *s, const char *key, unsigned char *buf,
                       unsigned int *len, apr_pool_t *p)
{
    if (!c || !c->backend) {
        return APR_NOTFOUND;
    }
    return c->backend->get(c->instance, s, key, buf, len, p);
}

apr_status_t cache_put(const cache_t *c, server_rec *s, const char *key, apr_time_t expiry,
                       const char *val, apr_pool_t *p)
{
    if (!c || !c->backend) {
        return APR_SUCCESS;
    }
    return c->backend->put(c->instance, s, key, expiry, (const unsigned char *)val,
                           (unsigned int)strlen(val), p);
}

apr_status_t cache_remove(const cache_t *c, server_rec *s, const char *key, apr_pool_t *p)
{
    if (!c || !c->backend) {
        return APR_SUCCESS;
    }
    return c->backend->remove(c->instance, s, key, p);
}
