/* Session lifecycle on top of the cookie codec, the cookie crypto and the store. */
#include <string.h>
#include <apr_strings.h>

#include "core/codec.h"
#include "core/session.h"
#include "core/token.h"

#define SA_SID_BYTES 32
#define SA_SID_MAX_LEN 128
#define SA_TOUCH_INTERVAL 60

const char *sa_session_id_hash(apr_pool_t *p, const char *sid)
{
    return sa_sha256_hex(p, sid);
}

static sa_session_status decrypt_claims(sa_crypto *crypto, apr_pool_t *p, const char *value,
                                        sa_cookie_claims *claims)
{
    const char *plain = NULL;
    if (sa_crypto_decrypt(crypto, p, value, &plain) != APR_SUCCESS) {
        return SA_SESSION_NONE;
    }
    apr_table_t *t = sa_codec_decode(p, plain, &claims->expiry);
    claims->sid = apr_table_get(t, SA_KEY_SID);
    claims->user = apr_table_get(t, SA_KEY_USER);
    if (!claims->sid || !claims->user || strlen(claims->sid) > SA_SID_MAX_LEN) {
        return SA_SESSION_NONE;
    }
    claims->id_hash = sa_session_id_hash(p, claims->sid);
    return SA_SESSION_VALID;
}

sa_session_status sa_session_open_cookie(sa_crypto *crypto, sa_claims_cache *cache, apr_pool_t *p,
                                         const char *value, apr_time_t now,
                                         sa_cookie_claims *claims)
{
    memset(claims, 0, sizeof(*claims));
    if (!value || !*value) {
        return SA_SESSION_NONE;
    }
    if (!cache || !sa_claims_cache_get(cache, p, value, claims)) {
        if (decrypt_claims(crypto, p, value, claims) != SA_SESSION_VALID) {
            return SA_SESSION_NONE;
        }
        if (cache) {
            sa_claims_cache_put(cache, value, claims);
        }
    }
    /* as mod_session: an expiry in the past ends the session, no expiry means none is set
     * (the server-side limits still apply) */
    if (claims->expiry != 0 && claims->expiry < now) {
        return SA_SESSION_NONE;
    }
    return SA_SESSION_VALID;
}

static apr_int64_t touch_interval(const sa_session_policy *policy)
{
    apr_int64_t quarter = policy->idle / 4;
    if (quarter < 1) {
        return 1;
    }
    return quarter < SA_TOUCH_INTERVAL ? quarter : SA_TOUCH_INTERVAL;
}

static int session_is_over(const sa_session_row *row, const sa_session_policy *policy,
                           apr_int64_t now_s)
{
    if (now_s >= row->expires || row->user_disabled) {
        return 1;
    }
    if (row->remember) {
        return 0;
    }
    return now_s - row->last_seen > policy->idle || now_s - row->created > policy->max;
}

static void fill_info(sa_session_info *info, const sa_session_row *row,
                      const sa_session_policy *policy, apr_int64_t now_s)
{
    info->id_hash = row->id_hash;
    info->user = row->user_name;
    info->email = row->user_email;
    info->user_id = row->user_id;
    info->level = row->level;
    info->remember = row->remember;
    info->created = row->created;
    info->expires = row->expires;
    info->needs_touch = now_s - row->last_seen >= touch_interval(policy);
}

sa_session_status sa_session_lookup(sa_db *db, apr_pool_t *p, const sa_session_policy *policy,
                                    const sa_cookie_claims *claims, apr_time_t now,
                                    sa_session_info *info)
{
    sa_session_row *row = NULL;
    apr_int64_t now_s = apr_time_sec(now);
    const char *id_hash = claims->id_hash ? claims->id_hash : sa_session_id_hash(p, claims->sid);
    apr_status_t rv = sa_store_session_get(db, p, id_hash, &row);
    if (rv == APR_NOTFOUND) {
        return SA_SESSION_NONE;
    }
    if (rv != APR_SUCCESS) {
        return SA_SESSION_DB_ERROR;
    }
    if (strcmp(row->user_name, claims->user) != 0) {
        return SA_SESSION_NONE;
    }
    if (session_is_over(row, policy, now_s)) {
        /* a failed delete only leaves garbage that the next attempt removes */
        sa_store_session_delete(db, p, id_hash);
        return SA_SESSION_NONE;
    }
    fill_info(info, row, policy, now_s);
    return SA_SESSION_VALID;
}

static const char *session_plaintext(apr_pool_t *p, const char *sid, const sa_user *user, int level,
                                     apr_int64_t now_s, apr_int64_t expires)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_table_setn(t, SA_KEY_SID, sid);
    apr_table_setn(t, SA_KEY_USER, user->name);
    apr_table_setn(t, SA_KEY_LEVEL, apr_itoa(p, level));
    apr_table_setn(t, SA_KEY_ISSUED, apr_psprintf(p, "%" APR_INT64_T_FMT, now_s));
    return sa_codec_encode(p, t, apr_time_from_sec(expires));
}

apr_status_t sa_session_start(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                              const sa_session_policy *policy, const sa_user *user, int remember,
                              int level, const char *ip, const char *user_agent, apr_time_t now,
                              const char **cookie_value, sa_session_info *info)
{
    apr_int64_t now_s = apr_time_sec(now);
    remember = remember && policy->remember > 0;
    const char *sid = sa_token_new(p, SA_SID_BYTES);
    if (!sid) {
        return APR_EGENERAL;
    }
    sa_session_row row = {.id_hash = sa_session_id_hash(p, sid),
                          .user_id = user->id,
                          .created = now_s,
                          .last_seen = now_s,
                          .expires = now_s + (remember ? policy->remember : policy->max),
                          .remember = remember,
                          .level = level,
                          .ip = ip,
                          .user_agent = user_agent,
                          .user_name = user->name};
    apr_status_t rv = sa_store_session_insert(db, p, &row);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = sa_crypto_encrypt(crypto, p, session_plaintext(p, sid, user, level, now_s, row.expires),
                           cookie_value);
    if (rv != APR_SUCCESS) {
        sa_store_session_delete(db, p, row.id_hash);
        return rv;
    }
    row.user_email = user->email;
    fill_info(info, &row, policy, now_s);
    info->needs_touch = 0;
    return APR_SUCCESS;
}

apr_status_t sa_session_touch(sa_db *db, apr_pool_t *p, const sa_session_info *info, apr_time_t now)
{
    return sa_store_session_touch(db, p, info->id_hash, apr_time_sec(now));
}

apr_status_t sa_session_end(sa_db *db, apr_pool_t *p, const char *id_hash)
{
    return sa_store_session_delete(db, p, id_hash);
}
