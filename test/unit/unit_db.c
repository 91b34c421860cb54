/* Temporary sqlite3 databases for the unit tests of the store, sessions and logins. */
#include <apr_dbd.h>
#include <apr_file_io.h>
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "core/schema.h"

typedef struct {
    sa_db *db;
    const char *path;
    apr_pool_t *pool;
} unit_db_file;

/* Closes the connection, then removes the file and whatever sqlite left next to it. */
static apr_status_t unit_db_cleanup(void *data)
{
    unit_db_file *f = data;
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    if (f->db->handle) {
        apr_dbd_close(f->db->driver, f->db->handle);
        f->db->handle = NULL;
    }
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
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

sa_db *unit_db_open(apr_pool_t *p)
{
    sa_db *db = apr_pcalloc(p, sizeof(*db));
    const char *err = NULL;
    const char *path = temp_path(p);
    CHECK(path != NULL);
    if (!path) {
        return NULL;
    }
    if (apr_dbd_get_driver(p, "sqlite3", &db->driver) != APR_SUCCESS ||
        apr_dbd_open_ex(db->driver, p, path, &db->handle, &err) != APR_SUCCESS) {
        fprintf(stderr, "  cannot open a sqlite3 database in %s: %s\n", path,
                err ? err : "no apr_dbd sqlite3 driver?");
        CHECK(!"unit_db_open");
        apr_file_remove(path, p);
        return NULL;
    }
    unit_db_file *f = apr_pcalloc(p, sizeof(*f));
    f->db = db;
    f->path = path;
    f->pool = p;
    apr_pool_cleanup_register(p, f, unit_db_cleanup, apr_pool_cleanup_null);
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

const char *unit_db_value(sa_db *db, apr_pool_t *p, const char *sql)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *value = NULL;
    if (apr_dbd_select(db->driver, p, db->handle, &res, sql, 1) != 0) {
        return NULL;
    }
    /* random access: every row is read at once, so nothing stays open */
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
