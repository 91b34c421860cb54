/* The store: typed access to the product's tables, one file per entity (users, grants,
 * sessions, events, throttle), each owning its SQL. This header is the registry of those
 * statements, which mod_dbd and the CLI prepare once each, and the schema version. */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <apr_pools.h>
#include "store/db.h"

#define SA_SCHEMA_VERSION 6

/* Each entity's statements (defined in its file), ending with {NULL, NULL}. */
extern const sa_statement sa_store_users_sql[];
extern const sa_statement sa_store_grants_sql[];
extern const sa_statement sa_store_sessions_sql[];
extern const sa_statement sa_store_events_sql[];
extern const sa_statement sa_store_throttle_sql[];
extern const sa_statement sa_store_totp_sql[];
extern const sa_statement sa_store_pending_sql[];
extern const sa_statement sa_store_stats_sql[];
extern const sa_statement sa_store_reset_sql[];
extern const sa_statement sa_store_outbox_sql[];

/* Every statement set of the store, ending with NULL. */
const sa_statement *const *sa_store_statements(void);

apr_status_t sa_store_schema_version(sa_db *db, apr_pool_t *p, int *version);

#endif
