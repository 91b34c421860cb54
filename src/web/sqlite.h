/* The sqlite3 side of a pooled connection, through apr_dbd's native handle: what apr_dbd does
 * not offer (a bounded busy wait, whether the file was replaced, the exact error code). */
#ifndef WEB_SQLITE_H
#define WEB_SQLITE_H

#include "apr_dbd.h"
#include "apr_time.h"

#include "web/metrics.h"

/* apr-util 1.6.3's sqlite3 driver retries a statement that meets SQLITE_BUSY 16 times, sleeping
 * 100 ms each time (dbd/apr_dbd_sqlite3.c, MAX_RETRY_COUNT and MAX_RETRY_SLEEP): that much of
 * any wait is the driver's and comes after our busy handler gives up. */
#define WEB_SQLITE_DRIVER_RETRIES apr_time_from_msec(1600)

typedef struct {
    apr_time_t give_up; /* the busy handler waits until then */
    int gave_up;        /* it did give up since this was last cleared */
} web_sqlite_busy;

/* Sets up a new handle: the busy handler (which sleeps without holding apr_dbd's process-wide
 * mutex, so other threads' connections go on meanwhile) and synchronous=NORMAL, which is
 * durable with WAL and saves an fsync on every commit. */
void web_sqlite_setup(const apr_dbd_driver_t *driver, apr_dbd_t *handle, web_sqlite_busy *busy);

/* 1 when the database file was deleted, moved or replaced since this handle opened it. */
int web_sqlite_has_moved(const apr_dbd_driver_t *driver, apr_dbd_t *handle);

/* Before a handle is closed: its busy handler goes (it lets go of apr_dbd's mutex, which the
 * driver does not hold while closing). */
void web_sqlite_release(const apr_dbd_driver_t *driver, apr_dbd_t *handle);

/* Before a handle whose file was replaced or moved is closed: no checkpoint on close. Closing
 * then only lets go of the handle's locks; it writes nothing into the WAL index it shares with
 * whatever file is now at the path, and unlinks nothing by name ("<path>-wal", "<path>-shm"
 * may belong to the new file by then). */
void web_sqlite_forget_file(const apr_dbd_driver_t *driver, apr_dbd_t *handle);

/* Of the database file, its "-wal", its "-shm" and their directory, the first one that exists
 * and that this process may not write, or NULL. sqlite creates the -wal and -shm with the
 * database file's mode: a file made read-only for a while leaves them read-only after it. */
const char *web_sqlite_unwritable(apr_pool_t *p, const char *path);

/* The file of the handle's main database (absolute), or NULL. */
const char *web_sqlite_path(const apr_dbd_driver_t *driver, apr_dbd_t *handle);

/* The kind of the handle's last error (sqlite3_extended_errcode). */
web_db_kind web_sqlite_last_error(const apr_dbd_driver_t *driver, apr_dbd_t *handle);

#endif
