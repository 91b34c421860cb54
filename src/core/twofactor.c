/* Two-factor authentication on the account side, over store/totp.c. */
#include <string.h>
#include <apr_strings.h>

#include "core/recovery.h"
#include "core/token.h"
#include "core/totp.h"
#include "core/twofactor.h"
#include "store/totp.h"
#include "store/users.h"

static const char *context_of(apr_pool_t *p, apr_int64_t user_id)
{
    return apr_psprintf(p, "totp:%" APR_INT64_T_FMT, user_id);
}

static apr_status_t open_secret(const sa_2fa *c, apr_int64_t user_id, const char *sealed,
                                const unsigned char **secret, apr_size_t *len, int *key_index)
{
    unsigned char *plain = NULL;
    apr_status_t rv =
        sa_unseal(c->pool, c->keys, context_of(c->pool, user_id), sealed, &plain, len, key_index);
    *secret = plain;
    return rv;
}

static apr_status_t new_pending(const sa_2fa *c, apr_int64_t user_id, const unsigned char **secret,
                                apr_size_t *len)
{
    unsigned char *raw = apr_palloc(c->pool, SA_TOTP_SECRET_BYTES);
    const char *sealed = NULL;
    apr_status_t rv = sa_random_bytes(raw, SA_TOTP_SECRET_BYTES);
    if (rv == APR_SUCCESS) {
        rv = sa_seal(c->pool, c->keys, context_of(c->pool, user_id), raw, SA_TOTP_SECRET_BYTES,
                     &sealed);
    }
    if (rv != APR_SUCCESS) {
        sa_wipe(raw, SA_TOTP_SECRET_BYTES);
        c->db->error = "no random secret could be made or sealed";
        return APR_EGENERAL;
    }
    rv = sa_store_totp_set_pending(c->db, c->pool, user_id, sealed, c->now);
    *secret = raw;
    *len = SA_TOTP_SECRET_BYTES;
    return rv;
}

static int is_fresh(const sa_2fa *c, const sa_totp_row *row)
{
    return *row->pending && c->now - row->pending_created < SA_2FA_PENDING_LIFETIME &&
           row->pending_created <= c->now;
}

apr_status_t sa_2fa_pending_secret(const sa_2fa *c, apr_int64_t user_id, int create,
                                   const unsigned char **secret, apr_size_t *len)
{
    sa_totp_row row;
    apr_status_t rv = sa_store_totp_get(c->db, c->pool, user_id, &row);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* a pending secret that no longer opens (passphrase gone) is replaced like an old one */
    if (is_fresh(c, &row) &&
        open_secret(c, user_id, row.pending, secret, len, NULL) == APR_SUCCESS) {
        return APR_SUCCESS;
    }
    return create ? new_pending(c, user_id, secret, len) : APR_NOTFOUND;
}

static apr_status_t store_codes(const sa_2fa *c, apr_int64_t user_id, const char ***codes)
{
    const char **clear = NULL;
    if (sa_recovery_generate(c->pool, SA_RECOVERY_COUNT, &clear) != APR_SUCCESS) {
        c->db->error = "no random recovery codes could be made";
        return APR_EGENERAL;
    }
    const char **hashes = apr_pcalloc(c->pool, sizeof(char *) * (SA_RECOVERY_COUNT + 1));
    for (int i = 0; i < SA_RECOVERY_COUNT; i++) {
        hashes[i] = sa_recovery_hash(c->pool, user_id, sa_recovery_normalise(c->pool, clear[i]));
    }
    *codes = clear;
    return sa_store_codes_replace(c->db, c->pool, user_id, hashes);
}

/* Activation and the first recovery codes, in one transaction: never one without the other. */
static sa_2fa_result activate(const sa_2fa *c, apr_int64_t user_id, const char *sealed,
                              apr_int64_t step, const char ***codes)
{
    if (sa_db_begin(c->db, c->pool) != APR_SUCCESS) {
        return SA_2FA_DB_ERROR;
    }
    apr_status_t rv = sa_store_totp_activate(c->db, c->pool, user_id, sealed, step);
    if (rv == APR_SUCCESS) {
        rv = store_codes(c, user_id, codes);
    }
    if (rv == APR_SUCCESS) {
        rv = sa_db_commit(c->db, c->pool);
        return rv == APR_SUCCESS ? SA_2FA_OK : SA_2FA_DB_ERROR;
    }
    sa_db_rollback(c->db, c->pool);
    /* the pending secret changed between our read and the update: another page confirmed or
     * replaced it, so this code belongs to no enrolment any more */
    return rv == APR_NOTFOUND ? SA_2FA_NO_SECRET : SA_2FA_DB_ERROR;
}

sa_2fa_result sa_2fa_confirm(const sa_2fa *c, apr_int64_t user_id, const char *typed,
                             const char ***codes)
{
    sa_totp_row row;
    const unsigned char *secret = NULL;
    apr_size_t len = 0;
    apr_int64_t step = 0;
    apr_status_t rv = sa_store_totp_get(c->db, c->pool, user_id, &row);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? SA_2FA_NO_SECRET : SA_2FA_DB_ERROR;
    }
    if (!is_fresh(c, &row)) {
        return SA_2FA_NO_SECRET;
    }
    if (open_secret(c, user_id, row.pending, &secret, &len, NULL) != APR_SUCCESS) {
        return SA_2FA_UNREADABLE;
    }
    const char *code = sa_totp_normalise(c->pool, typed);
    if (sa_totp_verify(secret, len, code, c->now, -1, &step) != SA_TOTP_MATCH) {
        return SA_2FA_WRONG;
    }
    return activate(c, user_id, row.pending, step, codes);
}

/* A secret opened with an older passphrase is sealed again with the current one, so that
 * the old passphrase can be retired; a failure only postpones that to the next login. */
static void reseal(const sa_2fa *c, apr_int64_t user_id, const char *old,
                   const unsigned char *secret, apr_size_t len)
{
    const char *sealed = NULL;
    if (sa_seal(c->pool, c->keys, context_of(c->pool, user_id), secret, len, &sealed) ==
        APR_SUCCESS) {
        sa_store_totp_reseal(c->db, c->pool, user_id, old, sealed);
    }
}

static sa_2fa_result check_totp(const sa_2fa *c, apr_int64_t user_id, const char *code)
{
    sa_totp_row row;
    const unsigned char *secret = NULL;
    apr_size_t len = 0;
    apr_int64_t step = 0;
    int key_index = 0;
    apr_status_t rv = sa_store_totp_get(c->db, c->pool, user_id, &row);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? SA_2FA_NO_SECRET : SA_2FA_DB_ERROR;
    }
    if (!row.enabled || !*row.secret) {
        return SA_2FA_NO_SECRET;
    }
    if (open_secret(c, user_id, row.secret, &secret, &len, &key_index) != APR_SUCCESS) {
        return SA_2FA_UNREADABLE;
    }
    sa_totp_result tr = sa_totp_verify(secret, len, code, c->now, row.last_step, &step);
    if (tr != SA_TOTP_MATCH) {
        return tr == SA_TOTP_REPLAY ? SA_2FA_REPLAY : SA_2FA_WRONG;
    }
    /* the database decides: of two requests (or servers) with this code, one wins */
    rv = sa_store_totp_use_step(c->db, c->pool, user_id, step);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? SA_2FA_REPLAY : SA_2FA_DB_ERROR;
    }
    if (key_index > 0) {
        reseal(c, user_id, row.secret, secret, len);
    }
    return SA_2FA_OK;
}

static sa_2fa_result check_recovery(const sa_2fa *c, apr_int64_t user_id, const char *typed)
{
    const char *code = sa_recovery_normalise(c->pool, typed);
    if (!code) {
        return SA_2FA_WRONG;
    }
    apr_status_t rv = sa_store_code_use(c->db, c->pool, user_id,
                                        sa_recovery_hash(c->pool, user_id, code), c->now);
    if (rv == APR_NOTFOUND) {
        return SA_2FA_WRONG;
    }
    return rv == APR_SUCCESS ? SA_2FA_OK : SA_2FA_DB_ERROR;
}

sa_2fa_result sa_2fa_check(const sa_2fa *c, apr_int64_t user_id, const char *typed,
                           int allow_recovery, const char **factor)
{
    const char *code = sa_totp_normalise(c->pool, typed);
    *factor = "totp";
    if (code) {
        return check_totp(c, user_id, code);
    }
    if (!allow_recovery || !sa_recovery_normalise(c->pool, typed)) {
        return SA_2FA_WRONG;
    }
    *factor = "recovery";
    return check_recovery(c, user_id, typed);
}

apr_status_t sa_2fa_new_codes(const sa_2fa *c, apr_int64_t user_id, const char ***codes)
{
    if (sa_db_begin(c->db, c->pool) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    apr_status_t rv = store_codes(c, user_id, codes);
    if (rv == APR_SUCCESS) {
        return sa_db_commit(c->db, c->pool);
    }
    sa_db_rollback(c->db, c->pool);
    return rv;
}

apr_status_t sa_2fa_disable(const sa_2fa *c, apr_int64_t user_id)
{
    if (sa_db_begin(c->db, c->pool) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    apr_status_t rv = sa_store_user_reset_totp(c->db, c->pool, user_id);
    if (rv == APR_SUCCESS) {
        return sa_db_commit(c->db, c->pool);
    }
    sa_db_rollback(c->db, c->pool);
    return rv;
}
