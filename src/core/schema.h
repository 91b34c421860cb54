/* The database schema: created fresh from conf/schema-*.sql (embedded at build time), or
 * brought up to date by numbered migrations, each in its own transaction. A fresh schema
 * and a migrated one are the same (the tests compare them). */
#ifndef CORE_SCHEMA_H
#define CORE_SCHEMA_H

#include "store/db.h"

/* The version recorded in the database; 0 when it has no schema yet. */
apr_status_t sa_schema_current(sa_db *db, apr_pool_t *p, int *version);

/* Creates the schema when there is none, else runs every migration above the recorded
 * version. *from gets the version found (0: none). A database newer than this build is
 * refused (APR_EINVAL, db->error says so). */
apr_status_t sa_schema_upgrade(sa_db *db, apr_pool_t *p, int *from);

/* One line per migration that sa_schema_upgrade would run from version "from" ("" when
 * none), for "seances-admin migrate --dry-run". */
const char *sa_schema_pending(apr_pool_t *p, int from);

#endif
