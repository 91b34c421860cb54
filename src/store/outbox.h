/* The notice outbox (notice_outbox): security notices owed for events that seances-admin
 * caused. The CLI has no mail configuration, so it leaves a row; a server that sends mail
 * takes the row (deleting it, so that of several servers exactly one mails it) and sends the
 * notice. */
#ifndef STORE_OUTBOX_H
#define STORE_OUTBOX_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "store/db.h"

typedef struct {
    apr_int64_t id;
    apr_int64_t user_id;
    const char *kind; /* a notice's name (core/notice.h): password_changed, totp_reset */
    apr_int64_t created;
} sa_outbox_row;

apr_status_t sa_store_outbox_add(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *kind,
                                 apr_int64_t created);
/* The oldest rows, at most limit, as sa_outbox_row. */
apr_status_t sa_store_outbox_due(sa_db *db, apr_pool_t *p, int limit, apr_array_header_t **rows);
/* Takes the row for the caller: APR_NOTFOUND when another process took it first. */
apr_status_t sa_store_outbox_take(sa_db *db, apr_pool_t *p, apr_int64_t id);
/* Removes at most limit rows older than before (nobody sent them); *removed says how many. */
apr_status_t sa_store_outbox_purge(sa_db *db, apr_pool_t *p, apr_int64_t before, int limit,
                                   int *removed);

#endif
