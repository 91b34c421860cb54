/* Grants: the SeancesApp applications a user may use. */
#ifndef STORE_GRANTS_H
#define STORE_GRANTS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "store/db.h"

/* grants: apps a user may use */
apr_status_t sa_store_grant(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app);
apr_status_t sa_store_revoke(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app);
apr_status_t sa_store_grants_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                apr_array_header_t **apps);

#endif
