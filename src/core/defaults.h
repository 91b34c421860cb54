/* Every default of the product in one table, read by the module's configuration getters
 * (cfg/defaults.c), its start-up checks and seances-admin, so that they cannot disagree. */
#ifndef CORE_DEFAULTS_H
#define CORE_DEFAULTS_H

#include <apr.h>

typedef struct {
    const char *cookie_name;
    const char *cookie_attrs;
    apr_int64_t session_idle; /* seconds */
    apr_int64_t session_max;  /* seconds */
    apr_int64_t remember;     /* seconds a "Rester connecté" session lives */
    const char *login_url;
    const char *portal_url;
    int twofactor;             /* 0 off, 1 optional, 2 required */
    const char *twofactor_url; /* the seances-2fa-setup page (forced enrolment) */
    const char *language;      /* fr, de, it or en */
    const char *issuer;        /* shown in authenticator apps */
    int lockout_account;       /* failures per account in the window before a ban */
    int lockout_address;       /* failures per client address in the window */
    apr_int64_t lockout_window;
    apr_int64_t lockout_ban;
    /* how long an attempt waits for the ones being checked when its window is full */
    apr_int64_t lockout_turn_wait_ms;
    int password_min;               /* characters of a new password */
    int smtp_starttls;              /* 0 off, 1 when offered, 2 required */
    int pass_headers;               /* X-Remote-User for back ends */
    int cookie_remove;              /* the session cookie stripped before the back end */
    const char *cache_control;      /* Cache-Control of protected responses */
    apr_int64_t retention;          /* seconds of login history kept */
    apr_int64_t housekeeping;       /* seconds between two housekeeping rounds of a process */
    int housekeeping_batch;         /* rows of each kind removed per round at most */
    const char *session_cache;      /* ap_socache provider when loaded, else none */
    apr_int64_t session_recheck;    /* seconds a cached validation is trusted */
    const char *timezone;           /* of the times the portal shows (tz database name) */
    apr_int64_t db_wait_ms;         /* longest wait on a busy database before 503 */
    int hash_concurrency;           /* password checks at once per process; 0: the CPUs online */
    int hash_queue_per_check;       /* logins that may wait, per check allowed at once */
    apr_int64_t reset_expiry;       /* seconds a reset link (and its code) lives */
    apr_int64_t reset_expiry_max;   /* SeancesResetExpiry may not go past this */
    int reset_limit_account;        /* reset mails per account in the window */
    int reset_limit_address;        /* reset requests per client address in the window */
    apr_int64_t reset_limit_window; /* seconds */
    apr_int64_t smtp_timeout;       /* seconds per SMTP phase */
    int notify_new_login;           /* mail on a login from a new browser and address */
    int mail_queue;                 /* mails waiting per process */
    apr_int64_t mail_retry_delay;   /* seconds before the one retry */
    apr_int64_t outbox_interval; /* seconds between two looks at the notice outbox, per process */
    int outbox_batch;            /* notices taken from the outbox per look at most */
    apr_int64_t outbox_keep;     /* seconds an outbox row waits for a server with mail */
} sa_defaults_t;

extern const sa_defaults_t sa_defaults;

#endif
