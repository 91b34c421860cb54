/* The notice outbox, sent by the servers: seances-admin cannot send mail (it has no SMTP
 * configuration), so it leaves a row per notice it owes (store/outbox.h). After a response,
 * at most once per sa_defaults.outbox_interval per process, a server with mail takes the
 * oldest rows and queues their notices. Taking is a DELETE, so that of several servers on one
 * database each notice is mailed once. */
#include "httpd.h"
#include "http_log.h"

#include "cfg/logno.h"
#include "core/defaults.h"
#include "core/notice.h"
#include "store/outbox.h"
#include "store/users.h"
#include "web/db.h"
#include "web/mailer.h"
#include "web/outbox.h"

APLOG_USE_MODULE(seances_auth);

typedef struct {
    apr_pool_t *pool;
    apr_array_header_t *rows;
} due_op;

static int read_due(sa_db *db, void *ctx)
{
    due_op *op = ctx;
    return sa_store_outbox_due(db, op->pool, sa_defaults.outbox_batch, &op->rows) != APR_SUCCESS;
}

/* Mails one taken row; a row that cannot become a mail is logged and stays taken (dropped). */
static void send_row(request_rec *r, sa_db *db, const sa_outbox_row *row)
{
    sa_notice_kind kind;
    sa_user *u = NULL;
    if (sa_notice_from_name(row->kind, &kind) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      SALOG(0823) "notice outbox: unknown kind '%s' for account %" APR_INT64_T_FMT
                                  " dropped (written by a newer seances-admin?)",
                      row->kind, row->user_id);
        return;
    }
    if (sa_store_user_by_id(db, r->pool, row->user_id, &u) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      SALOG(0824) "notice %s for account %" APR_INT64_T_FMT
                                  " from the outbox not sent: the account cannot be read",
                      row->kind, row->user_id);
        return;
    }
    web_notify_admin_change(r, u, kind, row->created);
}

/* Takes and mails the due rows; returns 0, or -1 when the database failed (logged). */
static int send_due(request_rec *r, sa_db *db)
{
    due_op op = {r->pool, NULL};
    if (web_db_run(r, db, read_due, &op) != 0) {
        web_db_log_failure(r, db, "reading the notice outbox");
        return -1;
    }
    for (int i = 0; i < op.rows->nelts; i++) {
        const sa_outbox_row *row = &((const sa_outbox_row *)op.rows->elts)[i];
        apr_status_t rv = sa_store_outbox_take(db, r->pool, row->id);
        if (rv == APR_NOTFOUND) {
            continue; /* another process or server took it */
        }
        if (rv != APR_SUCCESS) {
            web_db_log_failure(r, db, "taking a notice from the outbox");
            return -1;
        }
        send_row(r, db, row);
    }
    return 0;
}

void web_outbox_round(request_rec *r)
{
    sa_db *db = web_db(r);
    if (db) {
        send_due(r, db);
    }
}
