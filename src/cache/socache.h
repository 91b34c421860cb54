/* The ap_socache backend of the session cache (cache/socache.c): any provider that Apache
 * has loaded (mod_socache_shmcb, _memcache, _redis, _dbm), with the global mutex that
 * providers which are not multi-process safe (shmcb) need. */
#ifndef CACHE_SOCACHE_H
#define CACHE_SOCACHE_H

#include "httpd.h"
#include "cache/cache.h"

/* "provider" or "provider:args": NULL and *out on success, else a reason for the admin.
 * Called while the configuration is read (the provider's module must be loaded before). */
const char *cache_socache_create(apr_pool_t *p, apr_pool_t *ptemp, const char *spec, cache_t *out);

/* 1 when a provider of this name is loaded. */
int cache_socache_available(const char *name);

/* post_config: creates the shared storage and, if needed, the global mutex. */
apr_status_t cache_socache_init(cache_t *c, apr_pool_t *pconf, server_rec *s);

/* child_init: re-attaches the mutex in the child. */
apr_status_t cache_socache_child_init(cache_t *c, apr_pool_t *pchild, server_rec *s);

/* pre_config: makes the "seances-cache" mutex known to the Mutex directive. */
apr_status_t cache_socache_register_mutex(apr_pool_t *pconf);

#endif
