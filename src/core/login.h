/* A login, as one pipeline with explicit states (issue 15):
 *
 *   NEEDS_PASSWORD --right password--> DONE (level 1)     no 2FA, or SeancesTwoFactor off
 *                                  \-> NEEDS_CODE         the account has 2FA
 *                                  \-> NEEDS_ENROLMENT    SeancesTwoFactor required, no 2FA yet
 *   NEEDS_CODE --TOTP or recovery code--> DONE (level 2)
 *   NEEDS_ENROLMENT --confirmed enrolment (core/twofactor.h)--> DONE (level 2)
 *
 * DONE is where a session starts (core/session.h). The two states in between are "pending
 * logins": a row of login_pending and a cookie of their own that points to it. A pending
 * login is not a session: it carries no identity, opens no protected page, and only the login
 * and the 2FA setup page read it. It lasts minutes, allows a few tries, and is finished
 * (deleted) by the step that completes it.
 *
 * Throttling per account and per client address covers the password and the code alike, and
 * every attempt goes into the history (login_events). */
#ifndef SA_LOGIN_H
#define SA_LOGIN_H

#include <apr_pools.h>
#include <apr_time.h>
#include "store/db.h"
#include "core/crypto.h"
#include "core/password.h"
#include "core/seal.h"
#include "core/session.h"
#include "store/users.h"
#include "store/events.h"
#include "store/throttle.h"

typedef struct {
    int account_limit;  /* failures per account in the window before a ban */
    int address_limit;  /* failures per client address in the window before a ban */
    apr_int64_t window; /* seconds */
    apr_int64_t ban;    /* seconds */
    /* How long an attempt may wait for its turn while the window is full of attempts still
     * being checked (not of failures: those ban the key); 0 refuses at once. */
    apr_interval_time_t turn_wait;
} sa_lockout;

/* SeancesTwoFactor, as the core sees it (the same values as cfg_twofactor_mode). */
typedef enum {
    SA_TWOFACTOR_OFF = 0, /* the organisation forbids 2FA: secrets are kept, never asked for */
    SA_TWOFACTOR_OPTIONAL,
    SA_TWOFACTOR_REQUIRED /* no login ends without 2FA: enrolment is forced */
} sa_twofactor_policy;

typedef enum {
    SA_LOGIN_NEEDS_PASSWORD = 0,
    SA_LOGIN_NEEDS_CODE,
    SA_LOGIN_NEEDS_ENROLMENT,
    SA_LOGIN_DONE
} sa_login_state;

typedef enum {
    SA_LOGIN_OK = 0,    /* the step succeeded: see the outcome's state */
    SA_LOGIN_FAILED,    /* wrong password or code, unknown or disabled user: one answer for all */
    SA_LOGIN_THROTTLED, /* too many failures for the account or the address */
    SA_LOGIN_RESTART,   /* the pending login is over (expired, out of tries): password again */
    SA_LOGIN_DB_ERROR   /* fail closed */
} sa_login_result;

/* Where a step left the login. */
typedef struct {
    sa_login_state state;
    sa_user *user;      /* the account, once a step succeeded */
    int level;          /* SA_LOGIN_DONE: the session's level (SA_LEVEL_PASSWORD, SA_LEVEL_TOTP) */
    const char *factor; /* the factor of the step: "password", "totp" or "recovery" */
    const char *detail; /* a short reason for the error log ("ok", "bad_code", ...) */
} sa_login_outcome;

typedef struct sa_login_attempt sa_login_attempt;
struct sa_login_attempt {
    const char *username;
    const char *password;
    const char *ip;
    const char *user_agent;
    apr_time_t now;
    const sa_lockout *lockout;
    const sa_argon2_params *argon2;
    sa_twofactor_policy policy;
    /* Optional: what must be written with a right password, in the same transaction (the new
     * session, or the pending login); a failure rolls the whole step back. */
    apr_status_t (*finish)(sa_db *db, void *ctx, const sa_login_outcome *out);
    void *finish_ctx;
};

/* The password step: throttling, the check (unknown users cost the same), a legacy hash
 * upgraded, the attempt recorded. On SA_LOGIN_OK the outcome says what comes next.
 * The reads and the hash come first; then every write of the step (the failure counters or
 * their reset, the attempt in login_events, a new hash, and a->finish) is one transaction,
 * so no write lock is held while argon2 runs, and an attempt is recorded exactly when it is
 * answered. (A ban found at the start is recorded at once, by one statement.) */
sa_login_result sa_login_password(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                  sa_login_outcome *out);

/* What a right password leads to, for this account under this policy. */
sa_login_state sa_login_after_password(const sa_user *user, sa_twofactor_policy policy);

/* ---- pending logins ---- */

#define SA_LOGIN_PENDING_LIFETIME 300 /* seconds to type the code */
#define SA_LOGIN_ENROL_LIFETIME 900   /* seconds to install an app and confirm the enrolment */
#define SA_LOGIN_PENDING_TRIES 5      /* codes per pending login; then the password again */

#define SA_KEY_PENDING "seances-pending"
#define SA_KEY_STEP "seances-step"
#define SA_KEY_RETURN "seances-return"

typedef struct {
    sa_login_state state; /* SA_LOGIN_NEEDS_CODE or SA_LOGIN_NEEDS_ENROLMENT */
    const char *id_hash;  /* the row; CSRF tokens of the code form are bound to it */
    const char *user;
    apr_int64_t user_id;
    int remember; /* "Rester connecté", chosen on the password form, for the session to come */
    const char *return_to;
    apr_int64_t expires;
    int tries;
} sa_login_pending;

/* Starts a pending login after a right password: its row and *cookie_value, encrypted like a
 * session cookie (mod_session_crypto's format) but with other keys (seances-pending, never
 * seances-sid), so it can never pass for a session. */
apr_status_t sa_login_pending_start(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                                    const sa_user *user, sa_login_state state, int remember,
                                    const char *return_to, apr_time_t now,
                                    const char **cookie_value);

/* Opens a pending-login cookie and finds its row: SA_SESSION_VALID and *out; SA_SESSION_NONE
 * when absent, forged, expired, finished or out of tries; SA_SESSION_DB_ERROR. */
sa_session_status sa_login_pending_open(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                                        const char *cookie_value, apr_time_t now,
                                        sa_login_pending *out);

/* Ends a pending login: APR_NOTFOUND when it was over already (another request finished it:
 * that one goes on, this one must not). */
apr_status_t sa_login_pending_finish(sa_db *db, apr_pool_t *p, const sa_login_pending *pending);

/* ---- the code step ---- */

typedef struct {
    const sa_login_pending *pending; /* in state SA_LOGIN_NEEDS_CODE */
    const char *code;                /* as typed: six digits, or a recovery code */
    const char *ip;
    const char *user_agent;
    apr_time_t now;
    const sa_lockout *lockout;
    const sa_seal_keys *keys;
} sa_code_attempt;

/* The second step: spends one try of the pending login, checks the code (a TOTP code once,
 * or a recovery code) with the password's throttling, records the attempt (ok / bad_code,
 * factor totp or recovery). SA_LOGIN_OK finishes the pending login: state SA_LOGIN_DONE at
 * level 2. SA_LOGIN_RESTART when it is over (also after its last wrong try). */
sa_login_result sa_login_code(sa_db *db, apr_pool_t *p, const sa_code_attempt *a,
                              sa_login_outcome *out);

/* A fresh code from a signed-in user before a change of the account (turning 2FA off, new
 * recovery codes): the code step's check, throttling and history (bad_code on failure), with
 * no pending login (c->pending is not read). Recovery codes count when allow_recovery. */
sa_login_result sa_login_reverify(sa_db *db, apr_pool_t *p, const sa_code_attempt *c, sa_user *user,
                                  int allow_recovery, sa_login_outcome *out);

/* Records a 2FA change of the account in its history (result "totp_enabled",
 * "totp_disabled", "recovery_renewed", ...). */
apr_status_t sa_login_record(sa_db *db, apr_pool_t *p, const sa_user *user, const char *result,
                             const char *factor, const char *ip, const char *user_agent,
                             apr_time_t now);

/* Checks the password of a user who is already signed in (the portal's password change):
 * throttled like a login; a wrong password counts toward the lockout and is recorded in
 * login_events as "bad_current_password". *detail as for sa_login_password. */
sa_login_result sa_login_recheck(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                 const sa_user *user, const char **detail);

/* Throttle keys, shared with the CLI's "unlock". */
const char *sa_login_account_key(apr_pool_t *p, const char *username);
const char *sa_login_address_key(apr_pool_t *p, const char *ip);

#endif
