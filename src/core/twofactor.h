/* Two-factor authentication on the account side: the enrolment (a pending secret, shown as a
 * QR code, confirmed by a first code), checking a code at login (TOTP, or a recovery code),
 * new recovery codes, turning it off. Secrets are sealed (core/seal.h) with "totp:<user id>"
 * as context, so a secret copied to another user's row does not open. */
#ifndef SA_TWOFACTOR_H
#define SA_TWOFACTOR_H

#include <apr_pools.h>
#include "core/seal.h"
#include "store/db.h"

/* An enrolment page left open longer than this gets a new secret ("replaced if abandoned"). */
#define SA_2FA_PENDING_LIFETIME 3600

typedef enum {
    SA_2FA_OK = 0,
    SA_2FA_WRONG,      /* not a valid code now */
    SA_2FA_REPLAY,     /* a TOTP code whose time step (or a later one) was accepted already */
    SA_2FA_UNREADABLE, /* the secret does not open with the configured passphrases */
    SA_2FA_NO_SECRET,  /* no pending enrolment (confirm), or 2FA is off (check) */
    SA_2FA_DB_ERROR
} sa_2fa_result;

/* What every operation needs: the connection, a pool, the sealing keys, the time (seconds). */
typedef struct {
    sa_db *db;
    apr_pool_t *pool;
    const sa_seal_keys *keys;
    apr_int64_t now;
} sa_2fa;

/* The secret of the enrolment in progress: the pending one while it is younger than
 * SA_2FA_PENDING_LIFETIME, else (create) a new one from the CSPRNG, stored sealed.
 * APR_NOTFOUND without create when there is none. */
apr_status_t sa_2fa_pending_secret(const sa_2fa *c, apr_int64_t user_id, int create,
                                   const unsigned char **secret, apr_size_t *len);

/* Confirms the enrolment with a code of the pending secret: the secret becomes active (the
 * code's step counts as used) and SA_RECOVERY_COUNT new recovery codes are made, *codes (in
 * clear, to show once). A wrong code leaves the pending secret as it is. */
sa_2fa_result sa_2fa_confirm(const sa_2fa *c, apr_int64_t user_id, const char *typed,
                             const char ***codes);

/* Checks a code of a user with 2FA: six digits are a TOTP code (accepted once), anything
 * else a recovery code when allow_recovery (used up). *factor: "totp" or "recovery". */
sa_2fa_result sa_2fa_check(const sa_2fa *c, apr_int64_t user_id, const char *typed,
                           int allow_recovery, const char **factor);

/* A new set of recovery codes in place of the old ones. */
apr_status_t sa_2fa_new_codes(const sa_2fa *c, apr_int64_t user_id, const char ***codes);

/* Turns 2FA off: secret, pending enrolment, recovery codes and pending logins are gone. */
apr_status_t sa_2fa_disable(const sa_2fa *c, apr_int64_t user_id);

#endif
