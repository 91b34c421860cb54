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

static int limits_reached(int remember, apr_int64_t created, apr_int64_t last_seen,
                          apr_int64_t expires, const sa_session_policy *policy, apr_int64_t now_s)
{
    if (now_s >= expires) {
        return 1;
    }
    if (remember) {
        return 0;
    }
    return now_s - last_seen > policy->idle || now_s - created > policy->max;
}

static int session_is_over(const sa_session_row *row, const sa_session_policy *policy,
                           apr_int64_t now_s)
{
    return row->user_disabled ||
           limits_reached(row->remember, row->created, row->last_seen, row->expires, policy, now_s);
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
    info->last_seen = row->last_seen;
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

/* Stores a session row (a new id, whose hash goes to row->id_hash) and seals its cookie. */
static apr_status_t insert_session(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                                   const sa_session_policy *policy, const sa_user *user,
                                   sa_session_row *row, apr_int64_t now_s,
                                   const char **cookie_value, sa_session_info *info)
{
    const char *sid = sa_token_new(p, SA_SID_BYTES);
    if (!sid) {
        return APR_EGENERAL;
    }
    row->id_hash = sa_session_id_hash(p, sid);
    apr_status_t rv = sa_store_session_insert(db, p, row);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = sa_crypto_encrypt(crypto, p,
                           session_plaintext(p, sid, user, row->level, row->created, row->expires),
                           cookie_value);
    if (rv != APR_SUCCESS) {
        sa_store_session_delete(db, p, row->id_hash);
        return rv;
    }
    row->user_email = user->email;
    fill_info(info, row, policy, now_s);
    info->needs_touch = 0;
    return APR_SUCCESS;
}

apr_status_t sa_session_start(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                              const sa_session_policy *policy, const sa_user *user, int remember,
                              int level, const char *ip, const char *user_agent, apr_time_t now,
                              const char **cookie_value, sa_session_info *info)
{
    apr_int64_t now_s = apr_time_sec(now);
    remember = remember && policy->remember > 0;
    sa_session_row row = {.user_id = user->id,
                          .created = now_s,
                          .last_seen = now_s,
                          .expires = now_s + (remember ? policy->remember : policy->max),
                          .remember = remember,
                          .level = level,
                          .ip = ip,
                          .user_agent = user_agent,
                          .user_name = user->name};
    return insert_session(db, crypto, p, policy, user, &row, now_s, cookie_value, info);
}

apr_status_t sa_session_elevate(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                                const sa_session_policy *policy, const sa_session_info *old,
                                const sa_user *user, int level, const char *ip,
                                const char *user_agent, apr_time_t now, const char **cookie_value,
                                sa_session_info *info)
{
    apr_int64_t now_s = apr_time_sec(now);
    sa_session_row row = {.user_id = user->id,
                          .created = old->created,
                          .last_seen = now_s,
                          .expires = old->expires,
                          .remember = old->remember,
                          .level = level,
                          .ip = ip,
                          .user_agent = user_agent,
                          .user_name = user->name};
    apr_status_t rv = insert_session(db, crypto, p, policy, user, &row, now_s, cookie_value, info);
    if (rv == APR_SUCCESS) {
        rv = sa_session_end(db, p, old->id_hash);
    }
    return rv;
}

apr_status_t sa_session_touch(sa_db *db, apr_pool_t *p, const sa_session_info *info, apr_time_t now)
{
    return sa_store_session_touch(db, p, info->id_hash, apr_time_sec(now));
}

apr_status_t sa_session_end(sa_db *db, apr_pool_t *p, const char *id_hash)
{
    return sa_store_session_delete(db, p, id_hash);
}

#define SA_CACHE_FORMAT "s1"

const char *sa_session_cache_encode(apr_pool_t *p, const sa_session_info *info)
{
    return apr_psprintf(p,
                        SA_CACHE_FORMAT "\n%" APR_INT64_T_FMT "\n%d\n%d\n%" APR_INT64_T_FMT
                                        "\n%" APR_INT64_T_FMT "\n%" APR_INT64_T_FMT "\n%s\n%s\n%s",
                        info->user_id, info->level, info->remember, info->created, info->last_seen,
                        info->expires, info->id_hash, info->user, info->email ? info->email : "");
}

/* The next line of *text (without its line break), or NULL at the end. */
static char *next_line(char **text)
{
    char *line = *text, *nl;
    if (!line) {
        return NULL;
    }
    nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *text = nl + 1;
    } else {
        *text = NULL;
    }
    return line;
}

static int parse_i64(const char *s, apr_int64_t *out)
{
    char *end = NULL;
    if (!s || !*s) {
        return -1;
    }
    *out = apr_strtoi64(s, &end, 10);
    return *end ? -1 : 0;
}

int sa_session_cache_decode(apr_pool_t *p, const char *text, apr_size_t len, sa_session_info *info)
{
    char *rest = apr_pstrmemdup(p, text, len), *f[10];
    apr_int64_t level, remember;
    for (int i = 0; i < 10; i++) {
        f[i] = next_line(&rest);
    }
    memset(info, 0, sizeof(*info));
    if (!f[9] || rest || strcmp(f[0], SA_CACHE_FORMAT) != 0 || parse_i64(f[1], &info->user_id) ||
        parse_i64(f[2], &level) || parse_i64(f[3], &remember) || parse_i64(f[4], &info->created) ||
        parse_i64(f[5], &info->last_seen) || parse_i64(f[6], &info->expires) || !*f[7] || !*f[8]) {
        return -1;
    }
    info->level = (int)level;
    info->remember = remember != 0;
    info->id_hash = f[7];
    info->user = f[8];
    info->email = f[9];
    return 0;
}

sa_session_status sa_session_check_cached(const sa_session_info *cached,
                                          const sa_session_policy *policy,
                                          const sa_cookie_claims *claims, apr_time_t now)
{
    apr_int64_t now_s = apr_time_sec(now);
    if (!claims->id_hash || strcmp(cached->id_hash, claims->id_hash) != 0 ||
        strcmp(cached->user, claims->user) != 0 ||
        limits_reached(cached->remember, cached->created, cached->last_seen, cached->expires,
                       policy, now_s) ||
        now_s - cached->last_seen >= touch_interval(policy)) {
        return SA_SESSION_NONE;
    }
    return SA_SESSION_VALID;
}

/* policy NULL: only the absolute end counts (the CLI knows no idle limit) */
static int listed_session_is_over(const sa_session_row *row, const sa_session_policy *policy,
                                  apr_int64_t now_s)
{
    return policy ? session_is_over(row, policy, now_s) : now_s >= row->expires;
}

apr_status_t sa_session_list(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                             const sa_session_policy *policy, apr_time_t now,
                             apr_array_header_t **live)
{
    apr_array_header_t *rows;
    apr_int64_t now_s = apr_time_sec(now);
    apr_status_t rv = sa_store_sessions_of(db, p, user_id, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *live = apr_array_make(p, rows->nelts, sizeof(sa_session_row *));
    for (int i = 0; i < rows->nelts; i++) {
        sa_session_row *row = ((sa_session_row **)rows->elts)[i];
        if (listed_session_is_over(row, policy, now_s)) {
            /* as sa_session_lookup does: a failed delete is retried by the next look */
            sa_store_session_delete(db, p, row->id_hash);
            continue;
        }
        *(sa_session_row **)apr_array_push(*live) = row;
    }
    return APR_SUCCESS;
}

apr_status_t sa_session_end_of_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    const char *id_hash)
{
    return sa_store_session_delete_of_user(db, p, user_id, id_hash);
}

/* The ids are read first, so that the caller can forget them in the session cache; one
 * statement then deletes every other session, also one started in between (which the cache
 * cannot know yet either). */
apr_status_t sa_session_end_others(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                   const char *keep_hash, apr_array_header_t **ended)
{
    apr_array_header_t *rows;
    apr_status_t rv = sa_store_sessions_of(db, p, user_id, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *ended = apr_array_make(p, rows->nelts, sizeof(const char *));
    for (int i = 0; i < rows->nelts; i++) {
        const sa_session_row *row = ((sa_session_row **)rows->elts)[i];
        if (strcmp(row->id_hash, keep_hash) != 0) {
            *(const char **)apr_array_push(*ended) = row->id_hash;
        }
    }
    return sa_store_sessions_delete_others(db, p, user_id, keep_hash, NULL);
}
