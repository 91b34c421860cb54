/* Temporary databases for the unit tests of the store, sessions and logins: a sqlite3 file, or
 * a PostgreSQL schema of its own when UNIT_PGSQL_ENV names a database. */
#include <stdlib.h>
#include <unistd.h>
#include <apr_dbd.h>
#include <apr_file_io.h>
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "core/schema.h"

typedef struct {
    sa_db *db;
    const char *path;   /* sqlite3: the file */
    const char *schema; /* pgsql: the schema that holds this test's tables */
    apr_pool_t *pool;
} unit_db_file;

int unit_db_opened;

const char *unit_db_pgsql_params(void)
{
    const char *params = getenv(UNIT_PGSQL_ENV);
    return params && *params ? params : NULL;
}

/* Closes the connection, then removes what the test left: the sqlite file and whatever sqlite
 * put next to it, or the PostgreSQL schema with every table in it. */
static apr_status_t unit_db_cleanup(void *data)
{
    unit_db_file *f = data;
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    if (f->db->handle) {
        if (f->schema) {
            int n = 0;
            /* the connection may be in a failed transaction the test left open */
            apr_dbd_query(f->db->driver, f->db->handle, &n, "ROLLBACK");
            if (apr_dbd_query(f->db->driver, f->db->handle, &n,
                              apr_pstrcat(f->pool, "DROP SCHEMA ", f->schema, " CASCADE", NULL)) !=
                0) {
                fprintf(stderr, "  (could not drop the schema %s)\n", f->schema);
            }
        }
        apr_dbd_close(f->db->driver, f->db->handle);
        f->db->handle = NULL;
    }
    for (size_t i = 0; f->path && i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        apr_file_remove(apr_pstrcat(f->pool, f->path, suffixes[i], NULL), f->pool);
    }
    return APR_SUCCESS;
}

static const char *temp_path(apr_pool_t *p)
{
    const char *dir = NULL;
    apr_file_t *file = NULL;
    if (apr_temp_dir_get(&dir, p) != APR_SUCCESS) {
        return NULL;
    }
    char *tmpl = apr_pstrcat(p, dir, "/seances-unit-XXXXXX", NULL);
    if (apr_file_mktemp(&file, tmpl,
                        APR_FOPEN_CREATE | APR_FOPEN_READ | APR_FOPEN_WRITE | APR_FOPEN_EXCL,
                        p) != APR_SUCCESS) {
        return NULL;
    }
    apr_file_close(file);
    return tmpl;
}

static int open_sqlite(sa_db *db, unit_db_file *f, apr_pool_t *p)
{
    const char *err = NULL;
    f->path = temp_path(p);
    CHECK(f->path != NULL);
    if (!f->path) {
        return 0;
    }
    if (apr_dbd_get_driver(p, "sqlite3", &db->driver) != APR_SUCCESS ||
        apr_dbd_open_ex(db->driver, p, f->path, &db->handle, &err) != APR_SUCCESS) {
        fprintf(stderr, "  cannot open a sqlite3 database in %s: %s\n", f->path,
                err ? err : "no apr_dbd sqlite3 driver?");
        CHECK(!"unit_db_open");
        apr_file_remove(f->path, p);
        return 0;
    }
    return 1;
}

/* One schema per test, made the search path of the connection: the product's unqualified
 * SQL then finds this test's tables, as it finds "public" in a real database. */
static int open_pgsql(sa_db *db, unit_db_file *f, apr_pool_t *p, const char *params)
{
    static unsigned serial;
    const char *err = NULL;
    if (apr_dbd_get_driver(p, "pgsql", &db->driver) != APR_SUCCESS ||
        apr_dbd_open_ex(db->driver, p, params, &db->handle, &err) != APR_SUCCESS) {
        fprintf(stderr, "  cannot open the PostgreSQL database '%s': %s\n", params,
                err ? err : "no apr_dbd pgsql driver?");
        CHECK(!"unit_db_open");
        return 0;
    }
    const char *schema = apr_psprintf(p, "unit_%ld_%u", (long)getpid(), ++serial);
    if (unit_db_sql(db, apr_pstrcat(p, "CREATE SCHEMA ", schema, NULL)) != 0) {
        CHECK(!"unit_db_open: CREATE SCHEMA");
        apr_dbd_close(db->driver, db->handle);
        db->handle = NULL;
        return 0;
    }
    f->schema = schema;
    return 1;
}

sa_db *unit_db_open(apr_pool_t *p)
{
    sa_db *db = apr_pcalloc(p, sizeof(*db));
    unit_db_file *f = apr_pcalloc(p, sizeof(*f));
    const char *params = unit_db_pgsql_params();
    f->db = db;
    f->pool = p;
    if (!(params ? open_pgsql(db, f, p, params) : open_sqlite(db, f, p))) {
        return NULL;
    }
    apr_pool_cleanup_register(p, f, unit_db_cleanup, apr_pool_cleanup_null);
    unit_db_opened++;
    if (f->schema && unit_db_sql(db, apr_pstrcat(p, "SET search_path TO ", f->schema, NULL)) != 0) {
        CHECK(!"unit_db_open: search_path");
        return NULL;
    }
    int from = 0;
    if (sa_schema_upgrade(db, p, &from) != APR_SUCCESS ||
        sa_db_prepare_all(db, p, sa_store_statements()) != APR_SUCCESS) {
        fprintf(stderr, "  schema or statements failed: %s\n", db->error ? db->error : "?");
        CHECK(!"unit_db_open");
        return NULL;
    }
    return db;
}

int unit_db_sql(sa_db *db, const char *sql)
{
    int nrows = 0;
    int rv = apr_dbd_query(db->driver, db->handle, &nrows, sql);
    if (rv != 0) {
        const char *why = apr_dbd_error(db->driver, db->handle, rv);
        fprintf(stderr, "  (unit_db_sql: %s: %s)\n", sql, why ? why : "?");
    }
    return rv;
}

int unit_db_drop_table(sa_db *db, apr_pool_t *p, const char *table)
{
    /* PostgreSQL refuses to drop a table that others reference, unless told to drop those
     * references too; sqlite3 (foreign keys off, as in the product) just drops it */
    return unit_db_sql(
        db, apr_pstrcat(p, "DROP TABLE ", table, sa_db_is_pgsql(db) ? " CASCADE" : "", NULL));
}

const char *unit_db_value(sa_db *db, apr_pool_t *p, const char *sql)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *value = NULL;
    if (apr_dbd_select(db->driver, p, db->handle, &res, sql, 1) != 0) {
        return NULL;
    }
    /* row 1 by number, never past the end: pgsql frees the result when a get_row steps past
     * the last row, and the value is copied before anything else reads the result */
    if (apr_dbd_get_row(db->driver, p, res, &row, 1) == 0) {
        const char *v = apr_dbd_get_entry(db->driver, row, 0);
        value = apr_pstrdup(p, v ? v : "");
    }
    return value;
}

sa_user *unit_db_add_user(sa_db *db, apr_pool_t *p, const char *name, const char *email,
                          const char *hash)
{
    sa_user *u = NULL;
    apr_status_t rv = sa_store_user_insert(db, p, name, email, hash, 1700000000);
    CHECK(rv == APR_SUCCESS);
    if (rv != APR_SUCCESS || sa_store_user_by_name(db, p, name, &u) != APR_SUCCESS) {
        CHECK(!"unit_db_add_user");
        return NULL;
    }
    return u;
}
