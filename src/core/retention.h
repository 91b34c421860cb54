/* Retention: expired sessions, old login history and spent throttle counters are removed in
 * bounded rounds, so that the tables stay bounded and no round holds the database long. */
#ifndef CORE_RETENTION_H
#define CORE_RETENTION_H

#include <apr_pools.h>
#include "store/db.h"

typedef struct {
    apr_int64_t now;         /* seconds */
    apr_int64_t keep;        /* seconds of login history to keep */
    apr_int64_t window;      /* the lockout window: older counters are spent */
    apr_int64_t notice_keep; /* seconds a notice waits in the outbox */
    int batch;               /* at most this many rows of each kind per round */
} sa_retention;

typedef struct {
    int sessions;
    int events;
    int throttle;
    int notices; /* outbox rows that no server with mail took in time */
} sa_retention_removed;

/* One round; *removed counts what went. All zero means nothing is left to remove. */
apr_status_t sa_retention_round(sa_db *db, apr_pool_t *p, const sa_retention *r,
                                sa_retention_removed *removed);

#endif
