/* The login history. */
#ifndef STORE_EVENTS_H
#define STORE_EVENTS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "store/db.h"

typedef struct {
    apr_int64_t time;
    const char *username;
    const char *ip;
    const char *user_agent;
    const char *result;
    const char *factor;
    apr_int64_t id; /* filled when read back */
} sa_event;

/* Where a page of the history starts: after the event (time, id), going back in time. */
typedef struct {
    apr_int64_t time;
    apr_int64_t id;
} sa_event_cursor;

/* login history */
apr_status_t sa_store_event_add(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const sa_event *ev);
/* The newest limit events of the user (sa_event elements), newest first. */
apr_status_t sa_store_events_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int limit,
                                apr_array_header_t **events);
/* Removes at most limit events older than before; *removed counts them. */
apr_status_t sa_store_events_purge(sa_db *db, apr_pool_t *p, apr_int64_t before, int limit,
                                   int *removed);
/* The limit events before the cursor (NULL: the newest), newest first, as the portal pages
 * the history and the CLI lists it. */
apr_status_t sa_store_events_page(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                  const sa_event_cursor *before, int limit,
                                  apr_array_header_t **events);

/* How many successful logins of the user came from this address with this browser. */
apr_status_t sa_store_events_seen(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *ip,
                                  const char *user_agent, apr_int64_t *count);

#endif
