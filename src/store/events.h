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
} sa_event;

/* login history */
apr_status_t sa_store_event_add(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const sa_event *ev);
apr_status_t sa_store_events_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int limit,
                                apr_array_header_t **events);
/* Removes at most limit events older than before; *removed counts them. */
apr_status_t sa_store_events_purge(sa_db *db, apr_pool_t *p, apr_int64_t before, int limit,
                                   int *removed);

#endif
