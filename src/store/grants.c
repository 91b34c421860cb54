/* Grants: which SeancesApp applications a user may use. */
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "store/store.h"
#include "store/grants.h"

const sa_statement sa_store_grants_sql[] = {
    {"sa_grants_delete_user", "DELETE FROM grants WHERE user_id = %lld"},
    {"sa_grant", "INSERT INTO grants (user_id, app) VALUES (%lld, %s) ON CONFLICT DO NOTHING"},
    {"sa_revoke", "DELETE FROM grants WHERE user_id = %lld AND app = %s"},
    {"sa_grants_of", "SELECT app FROM grants WHERE user_id = %lld ORDER BY app"},
    {NULL, NULL}};

apr_status_t sa_store_grant(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app)
{
    const char *args[] = {sa_db_i64(p, user_id), app};
    return sa_db_exec(db, p, "sa_grant", NULL, 2, args);
}

apr_status_t sa_store_revoke(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app)
{
    const char *args[] = {sa_db_i64(p, user_id), app};
    return sa_db_exec_expect_row(db, p, "sa_revoke", 2, args);
}

apr_status_t sa_store_grants_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                apr_array_header_t **apps)
{
    apr_array_header_t *rows;
    const char *args[] = {sa_db_i64(p, user_id)};
    apr_status_t rv = sa_db_select(db, p, "sa_grants_of", 1, args, 1, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *apps = apr_array_make(p, rows->nelts, sizeof(const char *));
    for (int i = 0; i < rows->nelts; i++) {
        *(const char **)apr_array_push(*apps) = ((const char ***)rows->elts)[i][0];
    }
    return APR_SUCCESS;
}
