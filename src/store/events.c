/* The login history (login_events): every attempt, its result and factor. */
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "store/store.h"
#include "store/events.h"

const sa_statement sa_store_events_sql[] = {
    {"sa_event_add_user",
     "INSERT INTO login_events (time, user_id, username, ip, user_agent, result, factor) "
     "VALUES (%lld, %lld, %s, %s, %s, %s, %s)"},
    {"sa_event_add_anon",
     "INSERT INTO login_events (time, user_id, username, ip, user_agent, result, factor) "
     "VALUES (%lld, NULL, %s, %s, %s, %s, %s)"},
    /* how often this browser and address logged in to the account (new-login notices) */
    {"sa_events_seen", "SELECT count(*) FROM login_events WHERE user_id = %lld AND "
                       "result = 'ok' AND ip = %s AND user_agent = %s"},
    {"sa_events_purge", "DELETE FROM login_events WHERE id IN (SELECT id FROM login_events "
                        "WHERE time < %lld LIMIT %lld)"},
    /* keyset paging: the page after (time, id), newest first; a new event never shifts it */
    {"sa_events_page",
     "SELECT time, username, ip, user_agent, result, factor, id FROM login_events "
     "WHERE user_id = %lld AND (time < %lld OR (time = %lld AND id < %lld)) "
     "ORDER BY time DESC, id DESC LIMIT %lld"},
    {NULL, NULL}};

apr_status_t sa_store_event_add(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const sa_event *ev)
{
    const char *t = sa_db_i64(p, ev->time), *name = ev->username ? ev->username : "";
    const char *ip = ev->ip ? ev->ip : "", *ua = ev->user_agent ? ev->user_agent : "";
    const char *factor = ev->factor ? ev->factor : "password";
    if (user_id > 0) {
        const char *args[] = {t, sa_db_i64(p, user_id), name, ip, ua, ev->result, factor};
        return sa_db_exec(db, p, "sa_event_add_user", NULL, 7, args);
    }
    const char *args[] = {t, name, ip, ua, ev->result, factor};
    return sa_db_exec(db, p, "sa_event_add_anon", NULL, 6, args);
}

apr_status_t sa_store_events_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int limit,
                                apr_array_header_t **events)
{
    return sa_store_events_page(db, p, user_id, NULL, limit, events);
}

apr_status_t sa_store_events_page(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                  const sa_event_cursor *before, int limit,
                                  apr_array_header_t **events)
{
    apr_array_header_t *rows;
    /* the newest page: a cursor after every possible event */
    const char *t = before ? sa_db_i64(p, before->time) : sa_db_i64(p, APR_INT64_MAX);
    const char *id = before ? sa_db_i64(p, before->id) : sa_db_i64(p, APR_INT64_MAX);
    const char *args[] = {sa_db_i64(p, user_id), t, t, id, sa_db_i64(p, limit)};
    apr_status_t rv = sa_db_select(db, p, "sa_events_page", 5, args, 7, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *events = apr_array_make(p, rows->nelts, sizeof(sa_event));
    for (int i = 0; i < rows->nelts; i++) {
        const char **c = ((const char ***)rows->elts)[i];
        sa_event *ev = apr_array_push(*events);
        ev->time = sa_db_to_i64(c[0]);
        ev->username = c[1];
        ev->ip = c[2];
        ev->user_agent = c[3];
        ev->result = c[4];
        ev->factor = c[5];
        ev->id = sa_db_to_i64(c[6]);
    }
    return APR_SUCCESS;
}

apr_status_t sa_store_events_purge(sa_db *db, apr_pool_t *p, apr_int64_t before, int limit,
                                   int *removed)
{
    const char *args[] = {sa_db_i64(p, before), sa_db_i64(p, limit)};
    return sa_db_exec(db, p, "sa_events_purge", removed, 2, args);
}

apr_status_t sa_store_events_seen(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *ip,
                                  const char *user_agent, apr_int64_t *count)
{
    const char *args[] = {sa_db_i64(p, user_id), ip, user_agent};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_events_seen", 3, args, 1, &row);
    *count = rv == APR_SUCCESS ? sa_db_to_i64(row[0]) : 0;
    return rv;
}
