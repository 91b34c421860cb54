/* TOTP secrets and recovery codes. Every check that must hold once (a time step, a recovery
 * code, a confirmation) is a conditional UPDATE whose row count decides: the database, not
 * the process, settles a race between two requests or two servers. */
#include <stdlib.h>
#include <apr_strings.h>

#include "store/store.h"
#include "store/totp.h"

const sa_statement sa_store_totp_sql[] = {
    {"sa_totp_get", "SELECT totp_enabled, totp_secret, totp_last_step, totp_pending, "
                    "totp_pending_created FROM users WHERE id = %lld"},
    {"sa_totp_set_pending",
     "UPDATE users SET totp_pending = %s, totp_pending_created = %lld WHERE id = %lld"},
    {"sa_totp_activate",
     "UPDATE users SET totp_secret = totp_pending, totp_enabled = 1, totp_last_step = %lld, "
     "totp_pending = '', totp_pending_created = 0 WHERE id = %lld AND totp_pending = %s"},
    {"sa_totp_use_step", "UPDATE users SET totp_last_step = %lld WHERE id = %lld AND "
                         "totp_enabled = 1 AND totp_last_step < %lld"},
    {"sa_totp_reseal",
     "UPDATE users SET totp_secret = %s WHERE id = %lld AND totp_enabled = 1 AND totp_secret = %s"},
    {"sa_code_add", "INSERT INTO recovery_codes (user_id, code_hash, used) VALUES (%lld, %s, 0)"},
    {"sa_code_use", "UPDATE recovery_codes SET used = %lld WHERE user_id = %lld AND "
                    "code_hash = %s AND used = 0"},
    {"sa_codes_left", "SELECT count(*) FROM recovery_codes WHERE user_id = %lld AND used = 0"},
    {NULL, NULL}};

apr_status_t sa_store_totp_get(sa_db *db, apr_pool_t *p, apr_int64_t user_id, sa_totp_row *out)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_totp_get", 1, args, 5, &row);
    if (rv == APR_SUCCESS) {
        out->enabled = atoi(row[0]) != 0;
        out->secret = row[1];
        out->last_step = sa_db_to_i64(row[2]);
        out->pending = row[3];
        out->pending_created = sa_db_to_i64(row[4]);
    }
    return rv;
}

apr_status_t sa_store_totp_set_pending(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                       const char *sealed, apr_int64_t now)
{
    const char *args[] = {sealed, sa_db_i64(p, now), sa_db_i64(p, user_id)};
    return sa_db_exec_expect_row(db, p, "sa_totp_set_pending", 3, args);
}

apr_status_t sa_store_totp_activate(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    const char *sealed, apr_int64_t step)
{
    const char *args[] = {sa_db_i64(p, step), sa_db_i64(p, user_id), sealed};
    return sa_db_exec_expect_row(db, p, "sa_totp_activate", 3, args);
}

apr_status_t sa_store_totp_use_step(sa_db *db, apr_pool_t *p, apr_int64_t user_id, apr_int64_t step)
{
    const char *s = sa_db_i64(p, step);
    const char *args[] = {s, sa_db_i64(p, user_id), s};
    return sa_db_exec_expect_row(db, p, "sa_totp_use_step", 3, args);
}

apr_status_t sa_store_totp_reseal(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *old,
                                  const char *sealed)
{
    const char *args[] = {sealed, sa_db_i64(p, user_id), old};
    return sa_db_exec_expect_row(db, p, "sa_totp_reseal", 3, args);
}

apr_status_t sa_store_codes_replace(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    const char *const *hashes)
{
    const char *id = sa_db_i64(p, user_id);
    const char *del_args[] = {id};
    apr_status_t rv = sa_db_exec(db, p, "sa_codes_delete_user", NULL, 1, del_args);
    for (; rv == APR_SUCCESS && *hashes; hashes++) {
        const char *args[] = {id, *hashes};
        rv = sa_db_exec(db, p, "sa_code_add", NULL, 2, args);
    }
    return rv;
}

apr_status_t sa_store_code_use(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *hash,
                               apr_int64_t now)
{
    const char *args[] = {sa_db_i64(p, now), sa_db_i64(p, user_id), hash};
    return sa_db_exec_expect_row(db, p, "sa_code_use", 3, args);
}

apr_status_t sa_store_codes_left(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int *count)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_codes_left", 1, args, 1, &row);
    if (rv == APR_SUCCESS) {
        *count = atoi(row[0]);
    }
    return rv;
}
