/* Password reset tokens. The token is 256 random bits; the database keeps its SHA-256 and the
 * SHA-256 of the short code, salted with the token's digest, so neither can be read back. The
 * short code is only 8 digits: it is bound to one account and dies after SA_RESET_MAX_TRIES
 * wrong tries, like the token itself. */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "core/account.h"
#include "core/reset.h"
#include "core/session.h"
#include "core/token.h"
#include "core/twofactor.h"
#include "store/events.h"
#include "store/throttle.h"

#define KEY_ACCOUNT "reset-user:"
#define KEY_ADDRESS "reset-ip:"

int sa_reset_token_syntax(const char *s)
{
    if (!s || !*s || strlen(s) > SA_RESET_TOKEN_MAX) {
        return 0;
    }
    for (; *s; s++) {
        if (!apr_isalnum(*s) && *s != '-' && *s != '_') {
            return 0;
        }
    }
    return 1;
}

static const char *code_hash(apr_pool_t *p, const char *token_hash, const char *code)
{
    return sa_sha256_hex(p, apr_pstrcat(p, "reset-code:", token_hash, ":", code, NULL));
}

/* Eight decimal digits, uniform: bytes above 249 are drawn again. */
static const char *new_code(apr_pool_t *p)
{
    char *code = apr_palloc(p, SA_RESET_CODE_DIGITS + 1);
    int n = 0;
    while (n < SA_RESET_CODE_DIGITS) {
        unsigned char b[16];
        if (sa_random_bytes(b, sizeof(b)) != APR_SUCCESS) {
            return NULL;
        }
        for (apr_size_t i = 0; i < sizeof(b) && n < SA_RESET_CODE_DIGITS; i++) {
            if (b[i] < 250) {
                code[n++] = (char)('0' + b[i] % 10);
            }
        }
        sa_wipe(b, sizeof(b));
    }
    code[n] = '\0';
    return code;
}

/* ---- the request ---- */

static int banned(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now, apr_status_t *rv)
{
    sa_throttle_row row = {0, 0, 0};
    *rv = sa_store_throttle_get(db, p, key, &row);
    if (*rv == APR_NOTFOUND) {
        *rv = APR_SUCCESS;
    }
    return row.banned_until > now;
}

/* Both counters are read and counted for every request, whatever the account. */
static sa_reset_outcome count_request(sa_db *db, apr_pool_t *p, const sa_reset_request *rq)
{
    apr_int64_t now = apr_time_sec(rq->now);
    const sa_reset_limits *l = rq->limits;
    const char *k_user = apr_pstrcat(p, KEY_ACCOUNT, sa_store_name_key(p, rq->typed), NULL);
    const char *k_addr = apr_pstrcat(p, KEY_ADDRESS, rq->ip, NULL);
    apr_status_t rv1, rv2;
    int out = banned(db, p, k_user, now, &rv1) | banned(db, p, k_addr, now, &rv2);
    if (rv1 != APR_SUCCESS || rv2 != APR_SUCCESS) {
        return SA_RESET_DB_ERROR;
    }
    if (out) {
        return SA_RESET_THROTTLED;
    }
    if (sa_store_throttle_fail(db, p, k_user, now, l->window, l->account, l->window) ||
        sa_store_throttle_fail(db, p, k_addr, now, l->window, l->address, l->window)) {
        return SA_RESET_DB_ERROR;
    }
    return SA_RESET_ISSUED;
}

static sa_reset_outcome find_account(sa_db *db, apr_pool_t *p, const char *typed, sa_user **u)
{
    apr_status_t rv = sa_store_user_by_name(db, p, typed, u);
    if (rv == APR_NOTFOUND && strchr(typed, '@')) {
        rv = sa_store_user_by_email(db, p, typed, u);
    }
    switch (rv) {
    case APR_SUCCESS:
        return (*u)->disabled ? SA_RESET_DISABLED
                              : (!*(*u)->email ? SA_RESET_NO_EMAIL : SA_RESET_ISSUED);
    case APR_NOTFOUND:
        return SA_RESET_UNKNOWN;
    case APR_EEXIST:
        return SA_RESET_AMBIGUOUS;
    default:
        return SA_RESET_DB_ERROR;
    }
}

static apr_status_t store_token(sa_db *db, apr_pool_t *p, const sa_reset_request *rq,
                                sa_reset_issue *issue)
{
    apr_int64_t now = apr_time_sec(rq->now);
    sa_reset_row row = {.token_hash = sa_sha256_hex(p, issue->token),
                        .user_id = issue->user->id,
                        .created = now,
                        .expires = issue->expires};
    row.code_hash = code_hash(p, row.token_hash, issue->code);
    sa_event ev = {.time = now,
                   .username = issue->user->name,
                   .ip = rq->ip,
                   .user_agent = rq->user_agent,
                   .result = "reset_requested",
                   .factor = "email"};
    apr_status_t rv = sa_db_begin(db, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if ((rv = sa_store_reset_delete_user(db, p, issue->user->id)) != APR_SUCCESS ||
        (rv = sa_store_reset_insert(db, p, &row)) != APR_SUCCESS ||
        (rv = sa_store_event_add(db, p, issue->user->id, &ev)) != APR_SUCCESS) {
        sa_db_rollback(db, p);
        return rv;
    }
    return sa_db_commit(db, p);
}

sa_reset_outcome sa_reset_request_token(sa_db *db, apr_pool_t *p, const sa_reset_request *rq,
                                        sa_reset_issue *issue)
{
    memset(issue, 0, sizeof(*issue));
    sa_reset_outcome o = count_request(db, p, rq);
    if (o == SA_RESET_ISSUED) {
        o = find_account(db, p, rq->typed, &issue->user);
    }
    if (o != SA_RESET_ISSUED) {
        /* the write an issued token costs, on rows nobody needs any more */
        if (o != SA_RESET_DB_ERROR &&
            sa_store_reset_purge(db, p, apr_time_sec(rq->now)) != APR_SUCCESS) {
            return SA_RESET_DB_ERROR;
        }
        return o;
    }
    issue->token = sa_token_new(p, SA_RESET_TOKEN_BYTES);
    issue->code = new_code(p);
    issue->expires = apr_time_sec(rq->now) + rq->lifetime;
    if (!issue->token || !issue->code || store_token(db, p, rq, issue) != APR_SUCCESS) {
        return SA_RESET_DB_ERROR;
    }
    return SA_RESET_ISSUED;
}

/* ---- finding a token ---- */

static int live(const sa_reset_row *row, apr_int64_t now)
{
    return row->used == 0 && row->expires > now && row->tries < SA_RESET_MAX_TRIES;
}

static sa_reset_state with_user(sa_db *db, apr_pool_t *p, sa_reset_row *row, apr_int64_t now,
                                sa_reset_found *out)
{
    if (!live(row, now)) {
        return SA_RESET_DEAD;
    }
    apr_status_t rv = sa_store_user_by_id(db, p, row->user_id, &out->user);
    if (rv == APR_NOTFOUND || (rv == APR_SUCCESS && out->user->disabled)) {
        return SA_RESET_DEAD;
    }
    out->row = row;
    return rv == APR_SUCCESS ? SA_RESET_LIVE : SA_RESET_FIND_DB_ERROR;
}

sa_reset_state sa_reset_find_token(sa_db *db, apr_pool_t *p, const char *token, apr_int64_t now,
                                   sa_reset_found *out)
{
    sa_reset_row *row = NULL;
    memset(out, 0, sizeof(*out));
    if (!sa_reset_token_syntax(token)) {
        return SA_RESET_DEAD;
    }
    apr_status_t rv = sa_store_reset_get(db, p, sa_sha256_hex(p, token), &row);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? SA_RESET_DEAD : SA_RESET_FIND_DB_ERROR;
    }
    return with_user(db, p, row, now, out);
}

static const char *digits_only(apr_pool_t *p, const char *typed)
{
    char *out = apr_palloc(p, strlen(typed) + 1), *o = out;
    for (; *typed; typed++) {
        if (apr_isdigit(*typed)) {
            *o++ = *typed;
        } else if (*typed != ' ' && *typed != '-') {
            return NULL;
        }
    }
    *o = '\0';
    return out;
}

sa_reset_state sa_reset_find_code(sa_db *db, apr_pool_t *p, const char *typed, const char *code,
                                  apr_int64_t now, sa_reset_found *out)
{
    sa_user *u = NULL;
    sa_reset_row *row = NULL;
    memset(out, 0, sizeof(*out));
    if (!typed || !*typed || !code || strlen(code) > 32) {
        return SA_RESET_DEAD;
    }
    sa_reset_outcome who = find_account(db, p, typed, &u);
    if (who == SA_RESET_DB_ERROR) {
        return SA_RESET_FIND_DB_ERROR;
    }
    if (who != SA_RESET_ISSUED) {
        return SA_RESET_DEAD;
    }
    apr_status_t rv = sa_store_reset_newest(db, p, u->id, &row);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? SA_RESET_DEAD : SA_RESET_FIND_DB_ERROR;
    }
    const char *digits = digits_only(p, code);
    if (!live(row, now) ||
        !sa_ct_streq(code_hash(p, row->token_hash, digits ? digits : "-"), row->code_hash)) {
        if (live(row, now) &&
            sa_store_reset_try(db, p, row->token_hash, SA_RESET_MAX_TRIES, now) == APR_EGENERAL) {
            return SA_RESET_FIND_DB_ERROR;
        }
        return SA_RESET_DEAD;
    }
    out->row = row;
    out->user = u;
    return SA_RESET_LIVE;
}

/* ---- setting the password ---- */

static sa_reset_result second_factor(sa_db *db, apr_pool_t *p, const sa_reset_completion *c,
                                     const char **key, const char **factor)
{
    const sa_user *u = c->found->user;
    apr_int64_t now = apr_time_sec(c->now);
    if (!u->totp_enabled) {
        return SA_RESET_DONE;
    }
    if (!c->second || !*c->second) {
        *key = "reset_code_needed";
        return SA_RESET_REFUSED;
    }
    sa_2fa ctx = {db, p, c->keys, now};
    switch (sa_2fa_check(&ctx, u->id, c->second, 1, factor)) {
    case SA_2FA_OK:
        return SA_RESET_DONE;
    case SA_2FA_DB_ERROR:
        return SA_RESET_SET_DB_ERROR;
    default:
        *factor = NULL;
        *key = "reset_code_wrong";
        switch (sa_store_reset_try(db, p, c->found->row->token_hash, SA_RESET_MAX_TRIES, now)) {
        case APR_SUCCESS:
            return SA_RESET_REFUSED;
        case APR_NOTFOUND:
            return SA_RESET_GONE;
        default:
            return SA_RESET_SET_DB_ERROR;
        }
    }
}

static apr_status_t store_password(sa_db *db, apr_pool_t *p, const sa_reset_completion *c,
                                   const char *hash, apr_array_header_t **ended)
{
    const sa_user *u = c->found->user;
    apr_int64_t now = apr_time_sec(c->now);
    sa_event ev = {.time = now,
                   .username = u->name,
                   .ip = c->ip,
                   .user_agent = c->user_agent,
                   .result = "password_reset",
                   .factor = "email"};
    apr_status_t rv = sa_db_begin(db, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* the token first: of two resets racing with one token, one alone goes on */
    if ((rv = sa_store_reset_use(db, p, c->found->row->token_hash, SA_RESET_MAX_TRIES, now)) ||
        (rv = sa_store_user_set_password(db, p, u->id, hash, now)) ||
        (rv = sa_session_end_others(db, p, u->id, "", ended)) ||
        (rv = sa_store_reset_delete_user(db, p, u->id)) ||
        (rv = sa_store_event_add(db, p, u->id, &ev))) {
        sa_db_rollback(db, p);
        return rv;
    }
    return sa_db_commit(db, p);
}

sa_reset_result sa_reset_complete(sa_db *db, apr_pool_t *p, const sa_reset_completion *c,
                                  const char **key, const char **factor, apr_array_header_t **ended)
{
    const char *hash = NULL;
    *key = NULL;
    *factor = NULL;
    *ended = apr_array_make(p, 1, sizeof(const char *));
    *key = sa_account_new_password_problem(p, c->new_password, c->confirm, c->min_length,
                                           c->found->user, c->blocklist);
    if (*key) {
        return SA_RESET_REFUSED;
    }
    sa_reset_result r = second_factor(db, p, c, key, factor);
    if (r != SA_RESET_DONE) {
        return r;
    }
    if (sa_password_hash(p, c->new_password, c->argon2, &hash) != APR_SUCCESS) {
        return SA_RESET_SET_DB_ERROR;
    }
    apr_status_t rv = store_password(db, p, c, hash, ended);
    if (rv == APR_NOTFOUND) {
        return SA_RESET_GONE;
    }
    return rv == APR_SUCCESS ? SA_RESET_DONE : SA_RESET_SET_DB_ERROR;
}
