/* A database connection as the store sees it: an apr_dbd driver and handle, and the prepared
 * statements by label. In Apache the connection comes from mod_dbd's pool; in the CLI it is
 * opened directly. Both prepare the statements of the store (store/store.h), so they run the
 * same SQL. This file knows apr_dbd and nothing of the product. */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_dbd.h>
#include <apr_tables.h>

typedef struct {
    const char *label;
    const char *sql; /* apr_dbd syntax: %s for every parameter */
} sa_statement;

typedef struct sa_db sa_db;
struct sa_db {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_hash_t *prepared; /* label -> apr_dbd_prepared_t * */
    const char *error;    /* text of the last failure, for logs */
    int failed_code;      /* the driver's code of the last failure */
    /* Optional. With lazy_pool, a statement missing from prepared is prepared on its first
     * use, from the SQL of lazy_sets, into lazy_pool (which must outlive the connection's use
     * of it) and added to prepared. */
    apr_pool_t *lazy_pool;
    const sa_statement *const *lazy_sets;
    /* Optional. Called at each failure, right after the driver's, before anything else runs on
     * the connection: the moment to read a driver's own error code. */
    void (*on_failure)(sa_db *db, void *ctx);
    void *on_failure_ctx;
    /* Optional. After a failed statement outside a transaction: returns non-zero when it has
     * healed the connection (a reset PostgreSQL connection, a replaced sqlite file), and the
     * statement then runs once more. Inside a transaction the caller retries it whole. */
    int (*heal)(sa_db *db, void *ctx);
    void *heal_ctx;
    int in_transaction; /* set by sa_db_begin, cleared by sa_db_commit and sa_db_rollback */
};

/* Prepares every statement of the sets (arrays ending with {NULL, NULL}; the list of sets
 * ends with NULL) on db->handle into db->prepared (made from p when NULL; existing entries are
 * replaced), the statements allocated from p. */
apr_status_t sa_db_prepare_all(sa_db *db, apr_pool_t *p, const sa_statement *const *sets);

/* Runs a statement that returns no rows; *affected gets the row count if not NULL. Parameters
 * are NUL-terminated strings; pass exactly as many as the statement has. */
apr_status_t sa_db_exec(sa_db *db, apr_pool_t *p, const char *label, int *affected, int nargs,
                        const char *const *args);

/* Runs a query and returns its rows as an array of (const char **) with ncols columns each.
 * NULL database values become "". */
apr_status_t sa_db_select(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                          const char *const *args, int ncols, apr_array_header_t **rows);

/* The first row of a query: APR_SUCCESS and *row, APR_NOTFOUND when there is none. */
apr_status_t sa_db_select_one(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                              const char *const *args, int ncols, const char ***row);

/* sa_db_exec, with APR_NOTFOUND when no row was affected. */
apr_status_t sa_db_exec_expect_row(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                                   const char *const *args);

/* A whole number as a statement parameter, and a column back as a number (0 for ""). */
const char *sa_db_i64(apr_pool_t *p, apr_int64_t v);
apr_int64_t sa_db_to_i64(const char *s);

/* Runs a plain SQL script (the schema), statement by statement. */
apr_status_t sa_db_run_script(sa_db *db, apr_pool_t *p, const char *script);

/* A transaction as plain statements (see sa_db.c for why not apr_dbd's). begin takes the
 * write lock at once on sqlite; commit rolls back when it fails; rollback keeps db->error. */
apr_status_t sa_db_begin(sa_db *db, apr_pool_t *p);
apr_status_t sa_db_commit(sa_db *db, apr_pool_t *p);
void sa_db_rollback(sa_db *db, apr_pool_t *p);

/* A driver's error text as one line: every run of blanks and line breaks becomes one space,
 * none at the ends; "unknown database error" for NULL or nothing. */
const char *sa_db_one_line(apr_pool_t *p, const char *text);

/* 1 for the PostgreSQL driver. */
int sa_db_is_pgsql(const sa_db *db);

#endif
