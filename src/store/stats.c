/* Figures for the operators' status page (handle/status.c). */
#include "store/stats.h"
#include "store/store.h"

const sa_statement sa_store_stats_sql[] = {
    {"sa_sessions_live", "SELECT count(*) FROM sessions WHERE expires > %lld"}, {NULL, NULL}};

apr_status_t sa_store_sessions_live(sa_db *db, apr_pool_t *p, apr_int64_t now, apr_int64_t *count)
{
    const char **row;
    const char *args[] = {sa_db_i64(p, now)};
    apr_status_t rv = sa_db_select_one(db, p, "sa_sessions_live", 1, args, 1, &row);
    *count = rv == APR_SUCCESS ? sa_db_to_i64(row[0]) : 0;
    return rv;
}
