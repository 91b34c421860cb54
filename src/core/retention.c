/* Housekeeping of the tables that grow with use. */
#include "core/retention.h"
#include "store/events.h"
#include "store/outbox.h"
#include "store/sessions.h"
#include "store/throttle.h"

apr_status_t sa_retention_round(sa_db *db, apr_pool_t *p, const sa_retention *r,
                                sa_retention_removed *removed)
{
    apr_status_t rv;
    removed->sessions = removed->events = removed->throttle = removed->notices = 0;
    rv = sa_store_sessions_purge(db, p, r->now, r->batch, &removed->sessions);
    if (rv == APR_SUCCESS) {
        rv = sa_store_events_purge(db, p, r->now - r->keep, r->batch, &removed->events);
    }
    if (rv == APR_SUCCESS) {
        rv = sa_store_throttle_purge(db, p, r->now - r->window, r->now, r->batch,
                                     &removed->throttle);
    }
    if (rv == APR_SUCCESS) {
        rv = sa_store_outbox_purge(db, p, r->now - r->notice_keep, r->batch, &removed->notices);
    }
    return rv;
}
