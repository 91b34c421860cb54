/* The database for a request: a pooled mod_dbd connection with our prepared statements. */
#ifndef WEB_DB_H
#define WEB_DB_H

#include "httpd.h"
#include "sa_db.h"

/* Looks up mod_dbd's functions (post_config); APR_EGENERAL when mod_dbd is not loaded. */
apr_status_t sa_web_db_init(void);

/* Hands our statements to mod_dbd for every server (before mod_dbd's own post_config). */
void sa_web_db_register(server_rec *s);

/* The request's connection, or NULL (logged) when none can be had: answer 503. */
sa_db *sa_web_db(request_rec *r);

/* After a failed query: prepares the statements again on the same connection (PostgreSQL
 * loses them when the server restarts and the connection is reset). 1 when it is worth
 * retrying the query once. */
int sa_web_db_repair(request_rec *r, sa_db *db);

/* Logs a database failure in words an administrator can act on. */
void sa_web_db_log_failure(request_rec *r, const sa_db *db, const char *what);

#endif
