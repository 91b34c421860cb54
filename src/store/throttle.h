/* Failure counters per account and per client address. */
#ifndef STORE_THROTTLE_H
#define STORE_THROTTLE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "store/db.h"

typedef struct {
    apr_int64_t failures;
    apr_int64_t window_start;
    apr_int64_t banned_until;
} sa_throttle_row;

/* throttling */
apr_status_t sa_store_throttle_get(sa_db *db, apr_pool_t *p, const char *key, sa_throttle_row *out);
/* Counts one failure atomically (a new window starts when the old one is over) and bans the
 * key until now + ban once it reaches limit failures in the window. */
apr_status_t sa_store_throttle_fail(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                    apr_int64_t window, int limit, apr_int64_t ban);
/* Reserves one attempt for key before the password is checked, atomically (one INSERT ... ON
 * CONFLICT DO UPDATE ... RETURNING, on sqlite 3.35+ and PostgreSQL): a new window starts when
 * the old one is over, a banned key is left as it is. out->failures is the number of attempts
 * in the window, this one included, out->banned_until the ban (window_start is not read). */
apr_status_t sa_store_throttle_reserve(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                       apr_int64_t window, sa_throttle_row *out);
/* Gives back a reserved attempt that turned out not to be a failure. */
apr_status_t sa_store_throttle_release(sa_db *db, apr_pool_t *p, const char *key);
/* Bans the key until now + ban when its window holds limit attempts or more. */
apr_status_t sa_store_throttle_ban(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                   int limit, apr_int64_t ban);
apr_status_t sa_store_throttle_clear(sa_db *db, apr_pool_t *p, const char *key);
/* Removes at most limit counters whose window began before window_before and whose ban (if
 * any) is over at now: they no longer count for anything. */
apr_status_t sa_store_throttle_purge(sa_db *db, apr_pool_t *p, apr_int64_t window_before,
                                     apr_int64_t now, int limit, int *removed);

#endif
