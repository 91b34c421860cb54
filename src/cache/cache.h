/* The session cache: what the database said about a live session, trusted for a short time
 * (SeancesSessionRecheck) by every process of the server, so that a request with a known
 * session needs no database lookup. A table of functions per backend (cache_backend); today
 * the backend is Apache's ap_socache (shmcb, memcache, redis, ...), chosen by
 * SeancesSessionCache. Values are bytes; keys are the hex SHA-256 of a session id. */
#ifndef CACHE_CACHE_H
#define CACHE_CACHE_H

#include "httpd.h"

typedef struct cache_instance cache_instance;

typedef struct {
    const char *name;
    /* APR_SUCCESS with *len set (buf holds at most *len on entry), APR_NOTFOUND, or an error */
    apr_status_t (*get)(cache_instance *c, server_rec *s, const char *key, unsigned char *buf,
                        unsigned int *len, apr_pool_t *p);
    apr_status_t (*put)(cache_instance *c, server_rec *s, const char *key, apr_time_t expiry,
                        const unsigned char *val, unsigned int len, apr_pool_t *p);
    apr_status_t (*remove)(cache_instance *c, server_rec *s, const char *key, apr_pool_t *p);
} cache_backend;

/* The cache of the server: NULL backend when there is none (SeancesSessionCache none). */
typedef struct {
    const cache_backend *backend;
    cache_instance *instance;
} cache_t;

/* Lookups and changes through the server's cache; a cache without backend finds nothing. */
apr_status_t cache_get(const cache_t *c, server_rec *s, const char *key, unsigned char *buf,
                       unsigned int *len, apr_pool_t *p);
apr_status_t cache_put(const cache_t *c, server_rec *s, const char *key, apr_time_t expiry,
                       const char *val, apr_pool_t *p);
apr_status_t cache_remove(const cache_t *c, server_rec *s, const char *key, apr_pool_t *p);

#endif
