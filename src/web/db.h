/* The database for a request: a pooled mod_dbd connection with our prepared statements. */
#ifndef WEB_DB_H
#define WEB_DB_H

#include "httpd.h"
#include "store/db.h"

/* Looks up mod_dbd's functions (post_config); APR_EGENERAL when mod_dbd is not loaded. */
apr_status_t web_db_init(void);

/* Hands our statements to mod_dbd (before mod_dbd's own post_config), once for each distinct
 * mod_dbd configuration among the servers. */
void web_db_register(apr_pool_t *ptemp, server_rec *s);

/* The request's connection, or NULL (logged) when none can be had: answer 503. */
sa_db *web_db(request_rec *r);

/* Runs op, which returns non-zero when the database failed. After a failure on PostgreSQL
 * the connection is checked (reset if it broke) and the statements are prepared again, since
 * a reset connection has lost them; then op runs once more. Returns op's last result. */
int web_db_run(request_rec *r, sa_db *db, int (*op)(sa_db *db, void *ctx), void *ctx);

/* Logs a database failure in words an administrator can act on. */
void web_db_log_failure(request_rec *r, const sa_db *db, const char *what);

#endif
