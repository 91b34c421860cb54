/* Configuration of mod_seances_auth as the request code sees it after merging. Directive
 * parsing and merging live in mod_seances_auth.c. */
#ifndef WEB_CONFIG_H
#define WEB_CONFIG_H

#include "httpd.h"
#include "http_config.h"
#include "cache/cache.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/login.h"
#include "core/session.h"
#include "core/password.h"
#include "core/tz.h"

extern module AP_MODULE_DECLARE_DATA seances_auth_module;

#define CFG_UNSET -1
#define SA_AUTH_TYPE "Seances"

typedef enum { SA_2FA_OFF = 0, SA_2FA_OPTIONAL = 1, SA_2FA_REQUIRED = 2 } cfg_twofactor_mode;

/* Passphrases and cipher, kept together because the crypto object is built from both. */
typedef struct {
    sa_cipher cipher;
    int cipher_set;
    apr_array_header_t *passphrases; /* const char * */
    const char *registry_key;        /* identifies this pair in the per-process registry */
    unsigned char csrf_key[32];      /* HMAC key for CSRF tokens, derived from passphrase 1 */
} cfg_crypto_spec;

/* SeancesOrganisation's logo, read at start-up and served by the module (web/assets.c). */
typedef struct {
    const char *data;
    apr_size_t len;
    const char *type;    /* its Content-Type, from the file name */
    const char *version; /* changes with the content: the URL's ?v=, so it can be cached */
} cfg_logo;

typedef struct {
    cfg_crypto_spec *crypto;
    const char *cookie_name;
    const char *cookie_attrs;
    apr_interval_time_t idle; /* CFG_UNSET when not configured */
    apr_interval_time_t max;
    apr_interval_time_t remember; /* 0: off */
    int remember_set;
    const char *login_url;
    const char *portal_url;
    const char *twofactor_url; /* the seances-2fa-setup page, for the forced enrolment */
    int twofactor;
    int pass_headers;
    int cookie_remove;         /* strip the session cookie before the back end sees it */
    const char *cache_control; /* Cache-Control of protected responses; "" for off */
    int lang;
    const char *template_dir;
    const char *organisation; /* SeancesOrganisation: shown on every page; NULL: none */
    const cfg_logo *logo;     /* its optional logo; NULL: none */
} cfg_dir_config;

typedef struct {
    const char *name;
    const char *title;
    const char *url;
} cfg_app;

typedef struct {
    const char *issuer;
    int lockout_n; /* failures per account before a ban; CFG_UNSET: the default lockout */
    apr_interval_time_t lockout_window;
    apr_interval_time_t lockout_ban;
    int lockout_ip_n; /* failures per client address before a ban */
    int password_min;
    const char *blocklist_file;
    struct apr_hash_t *blocklist;
    const char *base_url;
    const char *smtp_server;
    const char *smtp_from;
    const char *smtp_user;
    const char *smtp_pass_file;
    const char *smtp_ca_file; /* PEM CAs for the mail server, NULL: the system's */
    int smtp_starttls;        /* 0 off, 1 on (if offered), 2 required */
    apr_array_header_t *apps; /* cfg_app */
    sa_argon2_params argon2;
    apr_interval_time_t retention;       /* login history kept; CFG_UNSET: the default */
    apr_interval_time_t housekeeping;    /* between two rounds of a process; 0: never */
    const char *session_cache;           /* SeancesSessionCache as written (main server only) */
    cache_t *session_cache_made;         /* its instance, made when the directive is read */
    apr_interval_time_t session_recheck; /* how long a cached validation is trusted */
    /* portal (issue 7) */
    const char *tz_name;         /* SeancesTimeZone */
    sa_tz *tz;                   /* read at start-up; the default zone when not configured */
    apr_interval_time_t db_wait; /* longest wait on a busy database; CFG_UNSET: default */
    int hash_concurrency;        /* password checks at once per process; 0: the CPUs */
    int hash_queue;              /* logins waiting for a turn; CFG_UNSET: 4 per check */
    /* password reset and mail (issue 9) */
    apr_interval_time_t reset_expiry;       /* how long a reset link lives; CFG_UNSET: default */
    int reset_limit_account;                /* reset mails per account; CFG_UNSET: the defaults */
    int reset_limit_address;                /* reset requests per client address */
    apr_interval_time_t reset_limit_window; /* of both limits */
    apr_interval_time_t smtp_timeout;       /* per SMTP phase; CFG_UNSET: default */
    int notify_new_login;                   /* mail on a login from a new browser and address */
} cfg_srv_config;

/* Effective values: the configured ones, else the defaults of core/defaults.c. */
const char *cfg_cookie_name(const cfg_dir_config *d);
const char *cfg_cookie_attrs(const cfg_dir_config *d);
apr_interval_time_t cfg_idle(const cfg_dir_config *d);
apr_interval_time_t cfg_max(const cfg_dir_config *d);
apr_interval_time_t cfg_remember(const cfg_dir_config *d);
const char *cfg_login_url(const cfg_dir_config *d);
const char *cfg_portal_url(const cfg_dir_config *d);
const char *cfg_twofactor_url(const cfg_dir_config *d);
int cfg_twofactor(const cfg_dir_config *d);
int cfg_pass_headers(const cfg_dir_config *d);
int cfg_cookie_remove(const cfg_dir_config *d);
/* SeancesCacheControl's value; NULL when off. */
const char *cfg_cache_control(const cfg_dir_config *d);
sa_lang cfg_lang(const cfg_dir_config *d);
/* The session limits of this directory, in seconds, for the core. */
void cfg_session_policy(const cfg_dir_config *d, sa_session_policy *policy);
const char *cfg_issuer(const cfg_srv_config *s);
void cfg_lockout(const cfg_srv_config *s, sa_lockout *out);
int cfg_password_min(const cfg_srv_config *s);
int cfg_smtp_starttls(const cfg_srv_config *s);
apr_interval_time_t cfg_retention(const cfg_srv_config *s);
apr_interval_time_t cfg_housekeeping(const cfg_srv_config *s);
apr_interval_time_t cfg_session_recheck(const cfg_srv_config *s);
/* The zone of the times shown (SeancesTimeZone, else the default zone, read at start-up). */
const sa_tz *cfg_timezone(const cfg_srv_config *c);
const char *cfg_timezone_name(const cfg_srv_config *c);
/* A page placed next to the portal: cfg_portal_sibling(p, d, CFG_LOGOUT) is "/logout" for the
 * portal at "/portal", "/x/logout" for "/x/portal". */
#define CFG_LOGOUT "logout"
const char *cfg_portal_sibling(apr_pool_t *p, const cfg_dir_config *d, const char *name);
apr_interval_time_t cfg_db_wait(const cfg_srv_config *s);
int cfg_hash_concurrency(const cfg_srv_config *s);
int cfg_hash_queue(const cfg_srv_config *s);
apr_int64_t cfg_reset_expiry(const cfg_srv_config *s); /* seconds */
void cfg_reset_limits(const cfg_srv_config *s, int *account, int *address, apr_int64_t *window);
apr_interval_time_t cfg_smtp_timeout(const cfg_srv_config *s);
int cfg_notify_new_login(const cfg_srv_config *s);

static inline cfg_dir_config *cfg_dir(request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &seances_auth_module);
}

static inline cfg_srv_config *cfg_srv(server_rec *s)
{
    return ap_get_module_config(s->module_config, &seances_auth_module);
}

#endif
