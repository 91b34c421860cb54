/* The decrypted-cookie cache: an apr_hash in its own pool, guarded by a mutex because the
 * event MPM serves requests from many threads of one process. */
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "core/claims_cache.h"

struct sa_claims_cache {
    apr_pool_t *parent;
    apr_pool_t *pool; /* holds the hash and every entry; destroyed when the cache starts over */
    apr_hash_t *entries;
    apr_thread_mutex_t *lock;
    int capacity;
};

static apr_status_t start_over(sa_claims_cache *c)
{
    if (c->pool) {
        apr_pool_destroy(c->pool);
        c->pool = NULL;
    }
    apr_status_t rv = apr_pool_create(&c->pool, c->parent);
    if (rv == APR_SUCCESS) {
        c->entries = apr_hash_make(c->pool);
    }
    return rv;
}

apr_status_t sa_claims_cache_create(apr_pool_t *p, int capacity, sa_claims_cache **out)
{
    sa_claims_cache *c = apr_pcalloc(p, sizeof(*c));
    apr_status_t rv;
    c->parent = p;
    c->capacity = capacity > 0 ? capacity : 1;
    if ((rv = apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p)) != APR_SUCCESS ||
        (rv = start_over(c)) != APR_SUCCESS) {
        return rv;
    }
    *out = c;
    return APR_SUCCESS;
}

static void copy_claims(apr_pool_t *p, const sa_cached_claims *from, sa_cached_claims *to)
{
    to->sid = apr_pstrdup(p, from->sid);
    to->user = apr_pstrdup(p, from->user);
    to->id_hash = apr_pstrdup(p, from->id_hash);
    to->expiry = from->expiry;
}

int sa_claims_cache_get(sa_claims_cache *c, apr_pool_t *p, const char *cookie,
                        sa_cached_claims *out)
{
    int hit = 0;
    apr_thread_mutex_lock(c->lock);
    const sa_cached_claims *found = apr_hash_get(c->entries, cookie, APR_HASH_KEY_STRING);
    if (found) {
        copy_claims(p, found, out);
        hit = 1;
    }
    apr_thread_mutex_unlock(c->lock);
    return hit;
}

void sa_claims_cache_put(sa_claims_cache *c, const char *cookie, const sa_cached_claims *claims)
{
    apr_thread_mutex_lock(c->lock);
    if ((int)apr_hash_count(c->entries) >= c->capacity && start_over(c) != APR_SUCCESS) {
        apr_thread_mutex_unlock(c->lock);
        return;
    }
    sa_cached_claims *entry = apr_palloc(c->pool, sizeof(*entry));
    copy_claims(c->pool, claims, entry);
    apr_hash_set(c->entries, apr_pstrdup(c->pool, cookie), APR_HASH_KEY_STRING, entry);
    apr_thread_mutex_unlock(c->lock);
}
