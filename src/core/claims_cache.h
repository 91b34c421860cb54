/* A per-process memory of cookies that decrypted well, so that a browser's next requests
 * skip the base64, MAC, AES, parsing and hashing work. It holds only what the cookie says;
 * whether the session is still live is asked of the database on every request. */
#ifndef SA_CLAIMS_CACHE_H
#define SA_CLAIMS_CACHE_H

#include <apr_pools.h>
#include <apr_time.h>

typedef struct sa_claims_cache sa_claims_cache;

typedef struct {
    const char *sid;
    const char *user;
    const char *id_hash;
    apr_time_t expiry;
} sa_cached_claims;

/* capacity: entries kept before the cache starts over (it is emptied when full). */
apr_status_t sa_claims_cache_create(apr_pool_t *p, int capacity, sa_claims_cache **out);

/* 1 and a copy (from p) of what was stored for this cookie value; 0 when unknown. */
int sa_claims_cache_get(sa_claims_cache *c, apr_pool_t *p, const char *cookie,
                        sa_cached_claims *out);

void sa_claims_cache_put(sa_claims_cache *c, const char *cookie, const sa_cached_claims *claims);

#endif
