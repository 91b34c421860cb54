/* The two-factor columns of users (the active and the pending TOTP secret, both sealed, and
 * the last accepted time step) and the recovery codes (digests only). Functions return
 * APR_SUCCESS, APR_NOTFOUND when no row matched the condition, or APR_EGENERAL (db->error). */
#ifndef STORE_TOTP_H
#define STORE_TOTP_H

#include <apr_pools.h>
#include "store/db.h"

typedef struct {
    int enabled;
    const char *secret; /* sealed (core/seal.h); "" when none */
    apr_int64_t last_step;
    const char *pending; /* sealed secret of an unconfirmed enrolment; "" when none */
    apr_int64_t pending_created;
} sa_totp_row;

apr_status_t sa_store_totp_get(sa_db *db, apr_pool_t *p, apr_int64_t user_id, sa_totp_row *out);

/* A new unconfirmed secret: replaces any earlier one, leaves an active secret as it is. */
apr_status_t sa_store_totp_set_pending(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                       const char *sealed, apr_int64_t now);

/* The pending secret becomes the active one, with step as the last accepted step (so the
 * confirmation code cannot log in). APR_NOTFOUND when the pending secret is no longer
 * `sealed` (replaced or confirmed meanwhile). */
apr_status_t sa_store_totp_activate(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    const char *sealed, apr_int64_t step);

/* Records step as accepted, atomically: APR_NOTFOUND when a step at or after it was accepted
 * already (a code used twice, also through another server on the same database). */
apr_status_t sa_store_totp_use_step(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    apr_int64_t step);

/* Replaces the sealed active secret (sealed again under the current passphrase) if it is
 * still `old`. */
apr_status_t sa_store_totp_reseal(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *old,
                                  const char *sealed);

/* Forgets the user's recovery codes, then stores these digests (NULL-terminated) as unused. */
apr_status_t sa_store_codes_replace(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    const char *const *hashes);

/* Marks the code with this digest used, atomically: APR_NOTFOUND when the user has no such
 * unused code. */
apr_status_t sa_store_code_use(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *hash,
                               apr_int64_t now);

apr_status_t sa_store_codes_left(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int *count);

#endif
