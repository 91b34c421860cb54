/* The password step of a login: throttling per account and per client address, the password
 * check (with the same cost for unknown users), legacy hash upgrade, and the login history. */
#ifndef SA_LOGIN_H
#define SA_LOGIN_H

#include <apr_pools.h>
#include <apr_time.h>
#include "store/db.h"
#include "core/password.h"
#include "store/users.h"
#include "store/events.h"
#include "store/throttle.h"

typedef struct {
    int account_limit;  /* failures per account in the window before a ban */
    int address_limit;  /* failures per client address in the window before a ban */
    apr_int64_t window; /* seconds */
    apr_int64_t ban;    /* seconds */
} sa_lockout;

typedef struct {
    const char *username;
    const char *password;
    const char *ip;
    const char *user_agent;
    apr_time_t now;
    const sa_lockout *lockout;
    const sa_argon2_params *argon2;
} sa_login_attempt;

typedef enum {
    SA_LOGIN_OK = 0,
    SA_LOGIN_FAILED,    /* wrong password, unknown or disabled user: one answer for all */
    SA_LOGIN_THROTTLED, /* too many failures for the account or the address */
    SA_LOGIN_DB_ERROR   /* fail closed */
} sa_login_result;

/* Runs the password step and records the attempt in login_events. On SA_LOGIN_OK *user is the
 * account. *detail gets a short reason for the error log ("unknown_user", ...). */
sa_login_result sa_login_password(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                  sa_user **user, const char **detail);

/* Throttle keys, shared with the CLI's "unlock". */
const char *sa_login_account_key(apr_pool_t *p, const char *username);
const char *sa_login_address_key(apr_pool_t *p, const char *ip);

#endif
