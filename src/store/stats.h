/* Figures for the operators' status page. */
#ifndef STORE_STATS_H
#define STORE_STATS_H

#include <apr_pools.h>
#include "store/db.h"

/* Sessions not yet past their absolute end at now (seconds); idle ones count until
 * housekeeping removes them. */
apr_status_t sa_store_sessions_live(sa_db *db, apr_pool_t *p, apr_int64_t now, apr_int64_t *count);

#endif
