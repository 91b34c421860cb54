/* The notice outbox, oldest first. */
#include "store/outbox.h"
#include "store/store.h"

const sa_statement sa_store_outbox_sql[] = {
    {"sa_outbox_add", "INSERT INTO notice_outbox (user_id, kind, created) VALUES (%lld, %s, %lld)"},
    {"sa_outbox_due",
     "SELECT id, user_id, kind, created FROM notice_outbox ORDER BY id LIMIT %lld"},
    {"sa_outbox_take", "DELETE FROM notice_outbox WHERE id = %lld"},
    /* sa_store_user_delete's: sqlite3 does not enforce the foreign key */
    {"sa_outbox_delete_user", "DELETE FROM notice_outbox WHERE user_id = %lld"},
    {"sa_outbox_purge", "DELETE FROM notice_outbox WHERE id IN (SELECT id FROM notice_outbox "
                        "WHERE created < %lld LIMIT %lld)"},
    {NULL, NULL}};

apr_status_t sa_store_outbox_add(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *kind,
                                 apr_int64_t created)
{
    const char *args[] = {sa_db_i64(p, user_id), kind, sa_db_i64(p, created)};
    return sa_db_exec(db, p, "sa_outbox_add", NULL, 3, args);
}

apr_status_t sa_store_outbox_due(sa_db *db, apr_pool_t *p, int limit, apr_array_header_t **out)
{
    apr_array_header_t *rows;
    const char *args[] = {sa_db_i64(p, limit)};
    apr_status_t rv = sa_db_select(db, p, "sa_outbox_due", 1, args, 4, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = apr_array_make(p, rows->nelts, sizeof(sa_outbox_row));
    for (int i = 0; i < rows->nelts; i++) {
        const char **c = ((const char ***)rows->elts)[i];
        sa_outbox_row *row = apr_array_push(*out);
        row->id = sa_db_to_i64(c[0]);
        row->user_id = sa_db_to_i64(c[1]);
        row->kind = c[2];
        row->created = sa_db_to_i64(c[3]);
    }
    return APR_SUCCESS;
}

apr_status_t sa_store_outbox_take(sa_db *db, apr_pool_t *p, apr_int64_t id)
{
    const char *args[] = {sa_db_i64(p, id)};
    return sa_db_exec_expect_row(db, p, "sa_outbox_take", 1, args);
}

apr_status_t sa_store_outbox_purge(sa_db *db, apr_pool_t *p, apr_int64_t before, int limit,
                                   int *removed)
{
    const char *args[] = {sa_db_i64(p, before), sa_db_i64(p, limit)};
    return sa_db_exec(db, p, "sa_outbox_purge", removed, 2, args);
}
