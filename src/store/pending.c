/* Half-done logins, keyed by the SHA-256 of a random id. */
#include <stdlib.h>
#include <apr_strings.h>

#include "store/store.h"
#include "store/pending.h"

const sa_statement sa_store_pending_sql[] = {
    {"sa_pending_insert",
     "INSERT INTO login_pending (id_hash, user_id, step, created, expires, tries, remember) "
     "VALUES (%s, %lld, %s, %lld, %lld, 0, %lld)"},
    {"sa_pending_get", "SELECT id_hash, user_id, step, created, expires, tries, remember "
                       "FROM login_pending WHERE id_hash = %s"},
    {"sa_pending_try", "UPDATE login_pending SET tries = tries + 1 WHERE id_hash = %s AND "
                       "tries < %lld AND expires > %lld"},
    {"sa_pending_delete", "DELETE FROM login_pending WHERE id_hash = %s"},
    {"sa_pending_delete_user", "DELETE FROM login_pending WHERE user_id = %lld"},
    {"sa_pending_purge", "DELETE FROM login_pending WHERE expires < %lld"},
    {NULL, NULL}};

apr_status_t sa_store_pending_insert(sa_db *db, apr_pool_t *p, const sa_pending_row *row)
{
    const char *args[] = {row->id_hash,
                          sa_db_i64(p, row->user_id),
                          row->step,
                          sa_db_i64(p, row->created),
                          sa_db_i64(p, row->expires),
                          row->remember ? "1" : "0"};
    return sa_db_exec(db, p, "sa_pending_insert", NULL, 6, args);
}

apr_status_t sa_store_pending_get(sa_db *db, apr_pool_t *p, const char *id_hash,
                                  sa_pending_row **out)
{
    const char *args[] = {id_hash};
    const char **c;
    apr_status_t rv = sa_db_select_one(db, p, "sa_pending_get", 1, args, 7, &c);
    if (rv == APR_SUCCESS) {
        sa_pending_row *row = apr_pcalloc(p, sizeof(*row));
        row->id_hash = c[0];
        row->user_id = sa_db_to_i64(c[1]);
        row->step = c[2];
        row->created = sa_db_to_i64(c[3]);
        row->expires = sa_db_to_i64(c[4]);
        row->tries = atoi(c[5]);
        row->remember = atoi(c[6]) != 0;
        *out = row;
    }
    return rv;
}

apr_status_t sa_store_pending_try(sa_db *db, apr_pool_t *p, const char *id_hash, int max_tries,
                                  apr_int64_t now)
{
    const char *args[] = {id_hash, sa_db_i64(p, max_tries), sa_db_i64(p, now)};
    return sa_db_exec_expect_row(db, p, "sa_pending_try", 3, args);
}

apr_status_t sa_store_pending_delete(sa_db *db, apr_pool_t *p, const char *id_hash)
{
    const char *args[] = {id_hash};
    return sa_db_exec_expect_row(db, p, "sa_pending_delete", 1, args);
}

apr_status_t sa_store_pending_delete_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    return sa_db_exec(db, p, "sa_pending_delete_user", NULL, 1, args);
}

apr_status_t sa_store_pending_purge(sa_db *db, apr_pool_t *p, apr_int64_t now)
{
    const char *args[] = {sa_db_i64(p, now)};
    return sa_db_exec(db, p, "sa_pending_purge", NULL, 1, args);
}
