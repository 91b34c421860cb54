/* Counters for operators (seances-status), in shared memory so that every child of one Apache
 * adds to the same numbers; they survive graceful restarts. Any part of the glue counts with
 * web_metrics_inc(WEB_METRIC_X); gauges move with web_metrics_add(WEB_GAUGE_X, +1/-1). */
#ifndef WEB_METRICS_H
#define WEB_METRICS_H

#include "httpd.h"

/* Why a database request failed, as far as the driver tells. */
typedef enum {
    WEB_DB_OK = 0,
    WEB_DB_BUSY,       /* locked by someone else for longer than SeancesDatabaseWait */
    WEB_DB_READONLY,   /* the file, its directory or its file system refuses writes */
    WEB_DB_FULL,       /* no space left */
    WEB_DB_CANTOPEN,   /* the file cannot be opened (permissions, path) */
    WEB_DB_IO,         /* I/O error, corrupt file, not a database */
    WEB_DB_SCHEMA,     /* the schema changed under a prepared statement */
    WEB_DB_MOVED,      /* the file was replaced or moved under an open connection */
    WEB_DB_MISSING,    /* the file is gone */
    WEB_DB_CONNECTION, /* no connection (mod_dbd, or the server is down) */
    WEB_DB_OTHER,
    WEB_DB_KINDS
} web_db_kind;

typedef enum {
    WEB_METRIC_LOGIN_OK,
    WEB_METRIC_LOGIN_FAILED,      /* wrong password, unknown or disabled user */
    WEB_METRIC_LOGIN_THROTTLED,   /* refused by the lockout */
    WEB_METRIC_LOGIN_UNAVAILABLE, /* answered 503: database or too many logins at once */
    WEB_METRIC_HASH_RUNS,         /* password checks that got their turn */
    WEB_METRIC_HASH_WAITED,       /* of which had to wait for it */
    WEB_METRIC_HASH_QUEUE_FULL,   /* logins refused because the queue was full */
    WEB_METRIC_HASH_WAIT_EXPIRED, /* logins refused after waiting their turn too long */
    WEB_METRIC_TWOFA_ENROLMENTS,  /* for the two-factor feature */
    WEB_METRIC_RESETS_SENT,       /* for the password reset feature */
    WEB_METRIC_MAILS_FAILED,      /* for the mail feature */
    WEB_METRIC_CACHE_HITS,        /* for the session cache */
    WEB_METRIC_CACHE_MISSES,
    WEB_METRIC_DB_REOPENED,   /* connections reopened on a replaced database file */
    WEB_METRIC_DB_REPREPARED, /* connections whose statements were prepared again */
    WEB_METRIC_DB_ERRORS,     /* WEB_DB_KINDS counters follow, one per web_db_kind */
    WEB_METRIC_COUNTERS = WEB_METRIC_DB_ERRORS + WEB_DB_KINDS,
    WEB_GAUGE_HASH_RUNNING = WEB_METRIC_COUNTERS, /* password checks running now */
    WEB_GAUGE_HASH_QUEUED,                        /* logins waiting for their turn */
    WEB_METRIC_ALL
} web_metric;

/* Creates the shared area once per Apache (post_config, before the children). */
apr_status_t web_metrics_init(server_rec *s);

void web_metrics_inc(web_metric m);
void web_metrics_add(web_metric m, long delta);
apr_uint64_t web_metrics_get(web_metric m);

/* A database failure of this kind. */
void web_metrics_db_error(web_db_kind kind);

/* "busy", "readonly", ...: the label of a kind in logs and on the status page. */
const char *web_db_kind_name(web_db_kind kind);

#endif
