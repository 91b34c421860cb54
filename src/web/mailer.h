/* Mail from the request glue: the SMTP configuration of each server (made at start-up, with
 * the password file read while Apache is still root), the queue of this process, and one call
 * that composes a product mail (core/notice.h) to an account and queues it. */
#ifndef WEB_MAILER_H
#define WEB_MAILER_H

#include "httpd.h"
#include "core/notice.h"
#include "store/db.h"
#include "store/users.h"

/* post_config: the SMTP configuration of every server with SeancesSMTPServer. */
apr_status_t web_mailer_setup(apr_pool_t *pconf, server_rec *s);

/* child_init: the queue and its worker thread, when any server sends mail. */
void web_mailer_child_init(apr_pool_t *pchild, server_rec *s);

/* 1 when this request's server has SeancesSMTPServer and SeancesSMTPFrom. */
int web_mailer_configured(request_rec *r);

/* Composes the notice for the user (in the user's language, else the page's) and queues it.
 * Returns 1 when queued; 0 when it was not (no mail set up, no address, composition refused,
 * queue full): each logged with the account's id, never silently. */
int web_mail_notice(request_rec *r, const sa_user *u, sa_notice *n);

/* A security notice of an event of this request (time, address, browser filled in) to the
 * account; u may be NULL to read the account by id. Nothing when no mail is set up. */
void web_notify(request_rec *r, sa_db *db, apr_int64_t user_id, const sa_user *u,
                sa_notice_kind kind);

/* A security notice of a change made with seances-admin at when (seconds), taken from the
 * notice outbox: no address or browser, "by the administrators" instead. */
void web_notify_admin_change(request_rec *r, const sa_user *u, sa_notice_kind kind,
                             apr_int64_t when);

/* After a successful login: remembers the page's language for the user's mails and, when
 * SeancesNotifyNewLogin allows, mails the user about a browser and address not seen before. */
void web_notify_login(request_rec *r, sa_db *db, const sa_user *u);

#endif
