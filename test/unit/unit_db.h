/* A fresh database for one unit test, with the product's schema and every prepared statement,
 * gone when the test's pool is destroyed. By default a temporary sqlite3 file; when the
 * environment variable UNIT_PGSQL_ENV holds a PostgreSQL conninfo (make unit sets it, see
 * test/pg.sh), a schema of its own in that database, so the same tests run on both drivers. */
#ifndef UNIT_DB_H
#define UNIT_DB_H

#include <apr_pools.h>
#include "store/db.h"
#include "store/store.h"
#include "store/users.h"
#include "store/grants.h"
#include "store/sessions.h"
#include "store/events.h"
#include "store/throttle.h"

#define UNIT_PGSQL_ENV "SEANCES_UNIT_PGSQL"

/* The conninfo in UNIT_PGSQL_ENV, or NULL when the tests run on sqlite3. */
const char *unit_db_pgsql_params(void);

/* How many databases unit_db_open made (the runner says it, so a pgsql run that opened none
 * shows). */
extern int unit_db_opened;

/* Opens the database, runs sa_schema_install and sa_db_prepare_all. On failure records a
 * failed check and returns NULL. */
sa_db *unit_db_open(apr_pool_t *p);

/* Runs SQL that returns no rows (set-up, or breaking the database on purpose); 0 on success,
 * else the driver's error code. */
int unit_db_sql(sa_db *db, const char *sql);

/* DROP TABLE, also when other tables reference it (pgsql needs CASCADE for that). */
int unit_db_drop_table(sa_db *db, apr_pool_t *p, const char *table);

/* The first column of the first row of a query, as text ("" for NULL), or NULL when the query
 * returns no row or fails. */
const char *unit_db_value(sa_db *db, apr_pool_t *p, const char *sql);

/* Inserts a user with the given password hash (may be "") and returns it as the store reads
 * it; NULL (and a failed check) if that does not work. */
sa_user *unit_db_add_user(sa_db *db, apr_pool_t *p, const char *name, const char *email,
                          const char *hash);

#endif
