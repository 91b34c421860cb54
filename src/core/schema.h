/* Creating and migrating the database, for "seances-admin init" and the tests. */
#ifndef SA_SCHEMA_H
#define SA_SCHEMA_H

#include "store/db.h"

/* Creates the tables that are missing for the connection's driver and records the schema
 * version. Safe to run again on an existing database. */
apr_status_t sa_schema_install(sa_db *db, apr_pool_t *p);

#endif
