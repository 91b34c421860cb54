/* The mailer interface: a backend (a table of functions, like cache/cache.h's) that hands one
 * composed message to a server, and a bounded queue per process with a worker thread that
 * calls it off the request (mail/queue.c). The only backend today is SMTP through libesmtp
 * (mail/smtp.c). This folder knows APR, libesmtp and OpenSSL; logging is the caller's, through
 * the queue's report function. */
#ifndef MAIL_MAILER_H
#define MAIL_MAILER_H

#include <apr_pools.h>
#include <apr_time.h>

typedef struct {
    const char *name;
    /* Sends message (CRLF lines, headers included) from "from" to the one recipient "to",
     * synchronously. APR_SUCCESS once the server accepted it, else an error and *why (from p). */
    apr_status_t (*send)(void *conf, apr_pool_t *p, const char *from, const char *to,
                         const char *message, const char **why);
} mail_backend;

/* One mail to send: the queue copies every string. */
typedef struct {
    const mail_backend *backend;
    void *conf;          /* the backend's configuration; must outlive the queue */
    const char *from;    /* envelope sender */
    const char *to;      /* envelope recipient */
    const char *message; /* from sa_mail_compose */
    apr_int64_t account; /* the account it is about (logs name it, never the address) */
    const char *what;    /* "reset", "password_changed", ...: for the logs */
    void *report_ctx;    /* handed back to the report function (the server of the request) */
} mail_job;

typedef enum {
    MAIL_SENT = 0,  /* the server accepted it */
    MAIL_RETRYING,  /* the first try failed; one more after the retry delay */
    MAIL_FAILED,    /* the retry failed too: the mail is lost */
    MAIL_QUEUE_FULL /* refused at once: the queue was full */
} mail_event;

/* Called on the worker thread (or, for MAIL_QUEUE_FULL, on the caller's) for every outcome. */
typedef void (*mail_report_fn)(mail_event ev, const mail_job *job, const char *why);

typedef struct mail_queue mail_queue;

/* Starts the worker thread of this process; the queue stops (and the thread ends, after the
 * mail it is sending) when p is cleared. */
apr_status_t mail_queue_start(apr_pool_t *p, int capacity, apr_interval_time_t retry_delay,
                              mail_report_fn report, mail_queue **out);

/* Queues a copy of job. APR_EAGAIN when the queue is full (reported as MAIL_QUEUE_FULL). */
apr_status_t mail_queue_push(mail_queue *q, const mail_job *job);

#endif
