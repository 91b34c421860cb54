/* Password reset tokens, by the SHA-256 of the token. */
#include <stdlib.h>
#include <apr_strings.h>

#include "store/store.h"
#include "store/reset.h"

#define RESET_COLS "token_hash, user_id, created, expires, used, tries, code_hash"

const sa_statement sa_store_reset_sql[] = {
    {"sa_reset_insert", "INSERT INTO reset_tokens (" RESET_COLS ") "
                        "VALUES (%s, %lld, %lld, %lld, 0, 0, %s)"},
    {"sa_reset_get", "SELECT " RESET_COLS " FROM reset_tokens WHERE token_hash = %s"},
    {"sa_reset_newest", "SELECT " RESET_COLS " FROM reset_tokens WHERE user_id = %lld AND "
                        "used = 0 ORDER BY created DESC LIMIT 1"},
    {"sa_reset_try", "UPDATE reset_tokens SET tries = tries + 1 WHERE token_hash = %s AND "
                     "used = 0 AND tries < %lld AND expires > %lld"},
    {"sa_reset_use", "UPDATE reset_tokens SET used = %lld WHERE token_hash = %s AND used = 0 "
                     "AND tries < %lld AND expires > %lld"},
    {"sa_reset_delete_user", "DELETE FROM reset_tokens WHERE user_id = %lld"},
    {"sa_reset_purge", "DELETE FROM reset_tokens WHERE expires < %lld"},
    {NULL, NULL}};

apr_status_t sa_store_reset_insert(sa_db *db, apr_pool_t *p, const sa_reset_row *row)
{
    const char *args[] = {row->token_hash, sa_db_i64(p, row->user_id), sa_db_i64(p, row->created),
                          sa_db_i64(p, row->expires), row->code_hash};
    return sa_db_exec(db, p, "sa_reset_insert", NULL, 5, args);
}

static sa_reset_row *row_from(apr_pool_t *p, const char **c)
{
    sa_reset_row *row = apr_pcalloc(p, sizeof(*row));
    row->token_hash = c[0];
    row->user_id = sa_db_to_i64(c[1]);
    row->created = sa_db_to_i64(c[2]);
    row->expires = sa_db_to_i64(c[3]);
    row->used = sa_db_to_i64(c[4]);
    row->tries = atoi(c[5]);
    row->code_hash = c[6];
    return row;
}

apr_status_t sa_store_reset_get(sa_db *db, apr_pool_t *p, const char *token_hash,
                                sa_reset_row **out)
{
    const char *args[] = {token_hash};
    const char **c;
    apr_status_t rv = sa_db_select_one(db, p, "sa_reset_get", 1, args, 7, &c);
    if (rv == APR_SUCCESS) {
        *out = row_from(p, c);
    }
    return rv;
}

apr_status_t sa_store_reset_newest(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                   sa_reset_row **out)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    const char **c;
    apr_status_t rv = sa_db_select_one(db, p, "sa_reset_newest", 1, args, 7, &c);
    if (rv == APR_SUCCESS) {
        *out = row_from(p, c);
    }
    return rv;
}

apr_status_t sa_store_reset_try(sa_db *db, apr_pool_t *p, const char *token_hash, int max_tries,
                                apr_int64_t now)
{
    const char *args[] = {token_hash, sa_db_i64(p, max_tries), sa_db_i64(p, now)};
    return sa_db_exec_expect_row(db, p, "sa_reset_try", 3, args);
}

apr_status_t sa_store_reset_use(sa_db *db, apr_pool_t *p, const char *token_hash, int max_tries,
                                apr_int64_t now)
{
    const char *args[] = {sa_db_i64(p, now), token_hash, sa_db_i64(p, max_tries),
                          sa_db_i64(p, now)};
    return sa_db_exec_expect_row(db, p, "sa_reset_use", 4, args);
}

apr_status_t sa_store_reset_delete_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    return sa_db_exec(db, p, "sa_reset_delete_user", NULL, 1, args);
}

apr_status_t sa_store_reset_purge(sa_db *db, apr_pool_t *p, apr_int64_t now)
{
    const char *args[] = {sa_db_i64(p, now)};
    return sa_db_exec(db, p, "sa_reset_purge", NULL, 1, args);
}
