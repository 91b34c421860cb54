/* The database for a request: a pooled mod_dbd connection, set up by us on its first use
 * (web/db.c), with the store's statements prepared on demand. */
#ifndef WEB_DB_H
#define WEB_DB_H

#include "httpd.h"
#include "store/db.h"

/* Looks up mod_dbd's functions (check_config, post_config); APR_EGENERAL without mod_dbd. */
apr_status_t web_db_init(void);

/* The request's connection, or NULL (logged) when none can be had: answer 503. Waits for
 * locks held by others end at SeancesDatabaseWait after the request's first call. On sqlite
 * a database file replaced since the connection opened it is reopened here. */
sa_db *web_db(request_rec *r);

/* An operation on the database: returns non-zero when the database failed. */
typedef int (*web_db_op)(sa_db *db, void *ctx);

/* Runs op; after a failure that the connection can heal from (a reset PostgreSQL connection,
 * a replaced sqlite file, a changed schema) it heals and runs op once more. Returns op's last
 * result. */
int web_db_run(request_rec *r, sa_db *db, web_db_op op, void *ctx);

/* web_db_run with op inside one transaction: committed when op succeeds, else rolled back
 * (before the retry too). */
int web_db_transaction(request_rec *r, sa_db *db, web_db_op op, void *ctx);

/* Logs a database failure in words an administrator can act on, with an identifier per cause
 * (busy, read-only, full, cannot open, other), and counts it for seances-status. db may be
 * NULL when web_db gave none. */
void web_db_log_failure(request_rec *r, const sa_db *db, const char *what);

#endif
