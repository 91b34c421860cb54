/* Failure counters per account and per client address, with atomic upserts. */
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "store/store.h"
#include "store/throttle.h"

const sa_statement sa_store_throttle_sql[] = {
    {"sa_throttle_get", "SELECT failures, window_start, banned_until FROM throttle WHERE key = %s"},
    {"sa_throttle_fail",
     "INSERT INTO throttle (key, failures, window_start, banned_until) VALUES (%s, 1, %lld, 0) "
     "ON CONFLICT (key) DO UPDATE SET "
     "failures = CASE WHEN throttle.window_start <= %lld THEN 1 ELSE throttle.failures + 1 END, "
     "window_start = CASE WHEN throttle.window_start <= %lld THEN %lld "
     "ELSE throttle.window_start END"},
    /* One attempt reserved before the password is hashed: a single statement, so that
     * parallel attempts (in any process, on any server) each get their own count back. A
     * banned key keeps its counter as it is. */
    {"sa_throttle_reserve",
     "INSERT INTO throttle (key, failures, window_start, banned_until) VALUES (%s, 1, %lld, 0) "
     "ON CONFLICT (key) DO UPDATE SET "
     "failures = CASE WHEN throttle.banned_until > %lld THEN throttle.failures "
     "WHEN throttle.window_start <= %lld THEN 1 ELSE throttle.failures + 1 END, "
     "window_start = CASE WHEN throttle.banned_until > %lld THEN throttle.window_start "
     "WHEN throttle.window_start <= %lld THEN %lld ELSE throttle.window_start END "
     "RETURNING failures, banned_until"},
    {"sa_throttle_release",
     "UPDATE throttle SET failures = failures - 1 WHERE key = %s AND failures > 0"},
    {"sa_throttle_ban", "UPDATE throttle SET banned_until = %lld, failures = 0, window_start = "
                        "%lld WHERE key = %s AND failures >= %lld"},
    {"sa_throttle_clear", "DELETE FROM throttle WHERE key = %s"},
    {"sa_throttle_purge", "DELETE FROM throttle WHERE key IN (SELECT key FROM throttle WHERE "
                          "window_start < %lld AND banned_until < %lld LIMIT %lld)"},
    {NULL, NULL}};

apr_status_t sa_store_throttle_get(sa_db *db, apr_pool_t *p, const char *key, sa_throttle_row *out)
{
    const char *args[] = {key};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_throttle_get", 1, args, 3, &row);
    if (rv == APR_SUCCESS) {
        out->failures = sa_db_to_i64(row[0]);
        out->window_start = sa_db_to_i64(row[1]);
        out->banned_until = sa_db_to_i64(row[2]);
    }
    return rv;
}

apr_status_t sa_store_throttle_fail(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                    apr_int64_t window, int limit, apr_int64_t ban)
{
    const char *t = sa_db_i64(p, now), *old = sa_db_i64(p, now - window);
    const char *fail_args[] = {key, t, old, old, t};
    apr_status_t rv = sa_db_exec(db, p, "sa_throttle_fail", NULL, 5, fail_args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *ban_args[] = {sa_db_i64(p, now + ban), t, key, sa_db_i64(p, limit)};
    return sa_db_exec(db, p, "sa_throttle_ban", NULL, 4, ban_args);
}

apr_status_t sa_store_throttle_reserve(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                       apr_int64_t window, sa_throttle_row *out)
{
    const char *t = sa_db_i64(p, now), *old = sa_db_i64(p, now - window);
    const char *args[] = {key, t, t, old, t, old, t};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_throttle_reserve", 7, args, 2, &row);
    if (rv == APR_NOTFOUND) {
        db->error = "the reservation returned no row";
        return APR_EGENERAL; /* RETURNING always gives the row: never a pass */
    }
    if (rv == APR_SUCCESS) {
        out->failures = sa_db_to_i64(row[0]);
        out->banned_until = sa_db_to_i64(row[1]);
        out->window_start = 0;
    }
    return rv;
}

apr_status_t sa_store_throttle_release(sa_db *db, apr_pool_t *p, const char *key)
{
    const char *args[] = {key};
    return sa_db_exec(db, p, "sa_throttle_release", NULL, 1, args);
}

apr_status_t sa_store_throttle_ban(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                   int limit, apr_int64_t ban)
{
    const char *args[] = {sa_db_i64(p, now + ban), sa_db_i64(p, now), key, sa_db_i64(p, limit)};
    return sa_db_exec(db, p, "sa_throttle_ban", NULL, 4, args);
}

apr_status_t sa_store_throttle_clear(sa_db *db, apr_pool_t *p, const char *key)
{
    const char *args[] = {key};
    return sa_db_exec(db, p, "sa_throttle_clear", NULL, 1, args);
}

apr_status_t sa_store_throttle_purge(sa_db *db, apr_pool_t *p, apr_int64_t window_before,
                                     apr_int64_t now, int limit, int *removed)
{
    const char *args[] = {sa_db_i64(p, window_before), sa_db_i64(p, now), sa_db_i64(p, limit)};
    return sa_db_exec(db, p, "sa_throttle_purge", removed, 3, args);
}
