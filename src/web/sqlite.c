/* sqlite3 through the native handle of apr_dbd's sqlite3 driver (see sqlite.h). The module
 * links the same libsqlite3 as the driver, so the handle is one it can use. */
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "apr_dbd.h"
#include "apr_strings.h"

#include "web/sqlite.h"

/* apr_dbd's process-wide mutex, which the sqlite3 driver holds around every call into sqlite
 * (exported by libaprutil-1, declared only in its internal header). */
apr_status_t apr_dbd_mutex_lock(void);
apr_status_t apr_dbd_mutex_unlock(void);

static sqlite3 *native(const apr_dbd_driver_t *driver, apr_dbd_t *handle)
{
    return apr_dbd_native_handle(driver, handle);
}

/* Short sleeps first: a writer of this module holds the lock for a few milliseconds. */
static apr_interval_time_t busy_step(int count)
{
    static const int ms[] = {1, 2, 5, 10, 20, 50};
    return apr_time_from_msec(count < 6 ? ms[count] : 50);
}

/* Runs inside sqlite3_step or sqlite3_prepare, where the driver holds apr_dbd's mutex: it is
 * let go while sleeping, as the driver does for its own retries, or one waiting request would
 * stop every database call of the process. */
static int busy_wait(void *ctx, int count)
{
    web_sqlite_busy *busy = ctx;
    apr_time_t now = apr_time_now();
    if (now >= busy->give_up) {
        busy->gave_up = 1;
        return 0;
    }
    apr_interval_time_t step = busy_step(count);
    if (step > busy->give_up - now) {
        step = busy->give_up - now;
    }
    apr_dbd_mutex_unlock();
    apr_sleep(step);
    apr_dbd_mutex_lock();
    return 1;
}

void web_sqlite_setup(const apr_dbd_driver_t *driver, apr_dbd_t *handle, web_sqlite_busy *busy)
{
    sqlite3 *db = native(driver, handle);
    if (!db) {
        return;
    }
    int n = 0;
    sqlite3_busy_handler(db, busy_wait, busy);
    /* through the driver, which holds the mutex that busy_wait lets go; the pragma takes no
     * lock, and a failure only leaves sqlite's default (FULL) */
    apr_dbd_query(driver, handle, &n, "PRAGMA synchronous = NORMAL");
}

int web_sqlite_has_moved(const apr_dbd_driver_t *driver, apr_dbd_t *handle)
{
    int moved = 0;
    sqlite3 *db = native(driver, handle);
    if (db && sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK) {
        return 0;
    }
    return moved;
}

void web_sqlite_release(const apr_dbd_driver_t *driver, apr_dbd_t *handle)
{
    sqlite3 *db = native(driver, handle);
    if (db) {
        sqlite3_busy_handler(db, NULL, NULL);
    }
}

void web_sqlite_forget_file(const apr_dbd_driver_t *driver, apr_dbd_t *handle)
{
    sqlite3 *db = native(driver, handle);
    if (db) {
        sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    }
}

const char *web_sqlite_unwritable(apr_pool_t *p, const char *path)
{
    char *dir = apr_pstrdup(p, path);
    char *slash = strrchr(dir, '/');
    const char *files[] = {path, apr_pstrcat(p, path, "-wal", NULL),
                           apr_pstrcat(p, path, "-shm", NULL), dir};
    if (slash) {
        *slash = '\0';
    }
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        if (*files[i] && access(files[i], F_OK) == 0 && access(files[i], W_OK) != 0) {
            return files[i];
        }
    }
    return NULL;
}

const char *web_sqlite_path(const apr_dbd_driver_t *driver, apr_dbd_t *handle)
{
    sqlite3 *db = native(driver, handle);
    const char *path = db ? sqlite3_db_filename(db, "main") : NULL;
    return path && *path ? path : NULL;
}

web_db_kind web_sqlite_last_error(const apr_dbd_driver_t *driver, apr_dbd_t *handle)
{
    sqlite3 *db = native(driver, handle);
    int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    if (code == SQLITE_READONLY_DBMOVED) {
        return WEB_DB_MOVED;
    }
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return WEB_DB_BUSY;
    case SQLITE_READONLY:
        return WEB_DB_READONLY;
    case SQLITE_FULL:
        return WEB_DB_FULL;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return WEB_DB_CANTOPEN;
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return WEB_DB_IO;
    case SQLITE_SCHEMA:
        return WEB_DB_SCHEMA;
    default:
        return WEB_DB_OTHER;
    }
}
