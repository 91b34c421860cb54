/* What a signed-in user changes on their own account from the portal: the password. */
#ifndef SA_ACCOUNT_H
#define SA_ACCOUNT_H

#include <apr_pools.h>
#include <apr_hash.h>
#include "core/login.h"

typedef struct {
    const char *username;     /* the session's user */
    apr_int64_t user_id;      /* the session's user id: must be the same account */
    const char *keep_session; /* id hash of the session that asked: it stays */
    const char *current;      /* the form's fields, as posted (may be NULL) */
    const char *new_password;
    const char *confirm;
    const char *ip;
    const char *user_agent;
    apr_time_t now;
    const sa_lockout *lockout;
    const sa_argon2_params *argon2;
    int min_length;
    apr_hash_t *blocklist; /* may be NULL */
} sa_password_change;

typedef enum {
    SA_CHANGE_DONE = 0, /* the new password is set; every other session has ended */
    SA_CHANGE_REFUSED,  /* *key says why (a message key of sa_i18n) */
    SA_CHANGE_DB_ERROR  /* fail closed: nothing changed */
} sa_change_result;

/* Checks the form (all fields, confirmation, policy), then the current password through the
 * login's throttle (a wrong one counts toward the lockout and is recorded), then sets the new
 * password, ends the user's other sessions and records "password_changed", in one
 * transaction. *key: "pw_changed" or why it was refused ("pw_fields_missing", "pw_mismatch",
 * a policy key of sa_password_policy, "pw_current_wrong", "pw_throttled", "pw_account_gone").
 * *ended: the id hashes (const char *) of the other sessions it ended, for the session cache
 * to forget. */
sa_change_result sa_account_change_password(sa_db *db, apr_pool_t *p, const sa_password_change *c,
                                            const char **key, apr_array_header_t **ended);

/* The checks of a new password wherever one is set (portal, reset): both fields there, the
 * same, not too long, and the policy of sa_password_policy. NULL, or a message key of sa_i18n
 * ("pw_fields_missing", "pw_too_long", "pw_mismatch", or a policy key). */
const char *sa_account_new_password_problem(apr_pool_t *p, const char *new_password,
                                            const char *confirm, int min_length, const sa_user *u,
                                            apr_hash_t *blocklist);

#endif
