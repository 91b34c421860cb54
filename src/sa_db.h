/* A database connection as the core sees it: an apr_dbd driver and handle, and the prepared
 * statements by label. In Apache the connection comes from mod_dbd's pool; in the CLI it is
 * opened directly. Both use the statements of sa_store.c, so they run the same SQL. */
#ifndef SA_DB_H
#define SA_DB_H

#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_dbd.h>
#include <apr_tables.h>

typedef struct {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_hash_t *prepared; /* label -> apr_dbd_prepared_t * */
    const char *error;    /* text of the last failure, for logs */
} sa_db;

typedef struct {
    const char *label;
    const char *sql; /* apr_dbd syntax: %s for every parameter */
} sa_statement;

/* Every statement the product uses, ending with {NULL, NULL}. */
const sa_statement *sa_db_statements(void);

/* Prepares every statement on db->handle into db->prepared (allocated from p). */
apr_status_t sa_db_prepare_all(sa_db *db, apr_pool_t *p);

/* Runs a statement that returns no rows; *affected gets the row count if not NULL. Parameters
 * are NUL-terminated strings; pass exactly as many as the statement has. */
apr_status_t sa_db_exec(sa_db *db, apr_pool_t *p, const char *label, int *affected, int nargs,
                        const char *const *args);

/* Runs a query and returns its rows as an array of (const char **) with ncols columns each.
 * NULL database values become "". */
apr_status_t sa_db_select(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                          const char *const *args, int ncols, apr_array_header_t **rows);

/* Runs a plain SQL script (the schema), statement by statement. */
apr_status_t sa_db_run_script(sa_db *db, apr_pool_t *p, const char *script);

/* A transaction as plain statements (see sa_db.c for why not apr_dbd's). begin takes the
 * write lock at once on sqlite; commit rolls back when it fails; rollback keeps db->error. */
apr_status_t sa_db_begin(sa_db *db, apr_pool_t *p);
apr_status_t sa_db_commit(sa_db *db, apr_pool_t *p);
void sa_db_rollback(sa_db *db, apr_pool_t *p);

/* 1 for the PostgreSQL driver. */
int sa_db_is_pgsql(const sa_db *db);

#endif
