/* The statement registry of the store, and the schema version. Every entity file owns its
 * SQL; this list is what mod_dbd and the CLI prepare, each statement once. Text parameters
 * are %s, whole numbers %lld: PostgreSQL types the placeholders from these. */
#include <stdlib.h>

#include "store/store.h"

static const sa_statement store_sql[] = {
    {"sa_schema_version", "SELECT version FROM schema_version"}, {NULL, NULL}};

static const sa_statement *const statement_sets[] = {
    store_sql,           sa_store_users_sql,    sa_store_grants_sql, sa_store_sessions_sql,
    sa_store_events_sql, sa_store_throttle_sql, sa_store_totp_sql,   sa_store_pending_sql,
    sa_store_stats_sql,  sa_store_reset_sql,    sa_store_outbox_sql, NULL};

const sa_statement *const *sa_store_statements(void)
{
    return statement_sets;
}

apr_status_t sa_store_schema_version(sa_db *db, apr_pool_t *p, int *version)
{
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_schema_version", 0, NULL, 1, &row);
    if (rv == APR_SUCCESS) {
        *version = atoi(row[0]);
    }
    return rv;
}
