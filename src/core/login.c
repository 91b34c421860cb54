/* The login pipeline: the password step, the pending login that a second step needs, and the
 * code step. Every failure looks the same from outside; only the history and the error log
 * tell an administrator which failure it was. */
#include <string.h>
#include <apr_strings.h>

#include "core/codec.h"
#include "core/login.h"
#include "core/token.h"
#include "core/twofactor.h"
#include "store/pending.h"

#define PENDING_ID_BYTES 32
#define PENDING_ID_MAX_LEN 128

const char *sa_login_account_key(apr_pool_t *p, const char *username)
{
    return apr_pstrcat(p, "user:", sa_store_name_key(p, username), NULL);
}

const char *sa_login_address_key(apr_pool_t *p, const char *ip)
{
    return apr_pstrcat(p, "ip:", ip ? ip : "", NULL);
}

static apr_status_t record(sa_db *db, apr_pool_t *p, const sa_login_attempt *a, apr_int64_t user_id,
                           const char *result, const char *factor)
{
    sa_event ev = {.time = apr_time_sec(a->now),
                   .username = a->username,
                   .ip = a->ip,
                   .user_agent = a->user_agent,
                   .result = result,
                   .factor = factor};
    return sa_store_event_add(db, p, user_id, &ev);
}

apr_status_t sa_login_record(sa_db *db, apr_pool_t *p, const sa_user *user, const char *result,
                             const char *factor, const char *ip, const char *user_agent,
                             apr_time_t now)
{
    sa_login_attempt a = {.username = user->name, .ip = ip, .user_agent = user_agent, .now = now};
    return record(db, p, &a, user->id, result, factor);
}

typedef enum {
    TURN_GO = 0, /* the attempt is counted and may be checked */
    TURN_FULL,   /* the window holds `limit` attempts, some still being checked */
    TURN_BANNED,
    TURN_ERROR
} throttle_turn;

/* One attempt reserved for key before any secret is checked. Counting first, in one
 * statement, is what keeps parallel attempts (other processes, other servers) from all passing
 * a check made before any of them is counted (issue 13, finding 2). A banned key is not
 * counted; a full window is, and the attempt is given back. */
static throttle_turn reserve(sa_db *db, apr_pool_t *p, const char *key, const sa_login_attempt *a,
                             int limit)
{
    apr_int64_t now_s = apr_time_sec(a->now);
    sa_throttle_row row;
    if (sa_store_throttle_reserve(db, p, key, now_s, a->lockout->window, &row) != APR_SUCCESS) {
        return TURN_ERROR;
    }
    if (row.banned_until > now_s) {
        return TURN_BANNED;
    }
    if (row.failures <= limit) {
        return TURN_GO;
    }
    return sa_store_throttle_release(db, p, key) == APR_SUCCESS ? TURN_FULL : TURN_ERROR;
}

typedef struct {
    const char *account;
    const char *address;
} throttle_keys;

/* The account first, then the address; the address is not charged for an account that is
 * refused, and the account gets its attempt back when the address is refused. *refused_by
 * names the key that refused. */
static throttle_turn take_turn(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                               const throttle_keys *k, const char **refused_by)
{
    const sa_lockout *l = a->lockout;
    throttle_turn t = reserve(db, p, k->account, a, l->account_limit);
    if (t != TURN_GO) {
        *refused_by = "throttled_account";
        return t;
    }
    t = reserve(db, p, k->address, a, l->address_limit);
    if (t != TURN_GO) {
        *refused_by = "throttled_address";
        return sa_store_throttle_release(db, p, k->account) == APR_SUCCESS ? t : TURN_ERROR;
    }
    return TURN_GO;
}

/* A window full but not banned is full of attempts still being checked: a failure that fills
 * it bans the key at once. Their outcome is awaited (up to lockout->turn_wait) rather than this
 * attempt refused, so that a right password is not refused because others were being checked
 * at the same moment (several people behind one address, one account in several tabs). While
 * they wait, no more than `limit` attempts are ever checked at once. */
static throttle_turn wait_for_turn(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                   const throttle_keys *k, const char **refused_by)
{
    apr_interval_time_t pause = apr_time_from_msec(5);
    apr_time_t deadline = apr_time_now() + a->lockout->turn_wait;
    for (;;) {
        throttle_turn t = take_turn(db, p, a, k, refused_by);
        apr_time_t now = apr_time_now();
        if (t != TURN_FULL || now >= deadline) {
            return t;
        }
        apr_sleep(pause < deadline - now ? pause : deadline - now);
        pause = pause >= apr_time_from_msec(100) ? pause : pause * 2;
    }
}

/* A reserved attempt that failed: the ban once the window is full. */
static apr_status_t count_failure(sa_db *db, apr_pool_t *p, const sa_login_attempt *a)
{
    apr_int64_t now_s = apr_time_sec(a->now);
    const sa_lockout *l = a->lockout;
    apr_status_t rv = sa_store_throttle_ban(db, p, sa_login_account_key(p, a->username), now_s,
                                            l->account_limit, l->ban);
    if (rv == APR_SUCCESS) {
        rv = sa_store_throttle_ban(db, p, sa_login_address_key(p, a->ip), now_s, l->address_limit,
                                   l->ban);
    }
    return rv;
}

/* A reserved attempt that succeeded: the account's counter is cleared (clear_account) or its
 * attempt given back, and the address gets its attempt back, so that both count failures
 * only, as before reservations. */
static apr_status_t release(sa_db *db, apr_pool_t *p, const sa_login_attempt *a, int clear_account)
{
    const char *account = sa_login_account_key(p, a->username);
    apr_status_t rv = clear_account ? sa_store_throttle_clear(db, p, account)
                                    : sa_store_throttle_release(db, p, account);
    return rv == APR_SUCCESS ? sa_store_throttle_release(db, p, sa_login_address_key(p, a->ip))
                             : rv;
}

static sa_login_result fail(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                            apr_int64_t user_id, const char *why, sa_login_outcome *out)
{
    out->detail = why;
    if (count_failure(db, p, a) != APR_SUCCESS ||
        record(db, p, a, user_id, why, out->factor) != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    return SA_LOGIN_FAILED;
}

/* The same throttle for every step: a code step counts against the account and the address
 * exactly like a password does, so guessing codes is as slow as guessing passwords. The
 * attempt is reserved here, before the check. */
static sa_login_result check_throttle(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                      apr_int64_t user_id, sa_login_outcome *out)
{
    throttle_keys k = {sa_login_account_key(p, a->username), sa_login_address_key(p, a->ip)};
    const char *refused_by = NULL;
    switch (wait_for_turn(db, p, a, &k, &refused_by)) {
    case TURN_GO:
        return SA_LOGIN_OK;
    case TURN_ERROR:
        return SA_LOGIN_DB_ERROR;
    default:
        out->detail = refused_by;
        return record(db, p, a, user_id, "throttled", out->factor) == APR_SUCCESS
                   ? SA_LOGIN_THROTTLED
                   : SA_LOGIN_DB_ERROR;
    }
}

/* What the password check found out, before anything is written. */
typedef struct {
    sa_user *user;        /* NULL for an unknown name */
    const char *failure;  /* why the step fails, or NULL for the right password */
    const char *new_hash; /* the right password's hash to store instead of a legacy one */
} password_verdict;

/* A legacy or weaker hash is replaced now that we hold the right password: computed before
 * the transaction, so that no write lock is held while argon2 runs. Failing to compute or to
 * store it must not cost the user the login: the next login tries again. */
static void plan_rehash(apr_pool_t *p, const sa_login_attempt *a, password_verdict *v)
{
    const char *hash;
    if (sa_password_needs_rehash(v->user->password_hash, a->argon2) &&
        sa_password_hash(p, a->password, a->argon2, &hash) == APR_SUCCESS) {
        v->new_hash = hash;
    }
}

static void store_rehash(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                         const password_verdict *v)
{
    if (v->new_hash && sa_store_user_set_password(db, p, v->user->id, v->new_hash,
                                                  apr_time_sec(a->now)) == APR_SUCCESS) {
        v->user->password_hash = v->new_hash;
    }
}

sa_login_state sa_login_after_password(const sa_user *user, sa_twofactor_policy policy)
{
    if (policy == SA_TWOFACTOR_OFF) {
        return SA_LOGIN_DONE; /* secrets are kept for when the policy changes, never asked */
    }
    if (user->totp_enabled && user->totp_secret && *user->totp_secret) {
        return SA_LOGIN_NEEDS_CODE;
    }
    return policy == SA_TWOFACTOR_REQUIRED ? SA_LOGIN_NEEDS_ENROLMENT : SA_LOGIN_DONE;
}

/* A right password. When a second step follows, the account's failure counter only gets this
 * attempt back: were it cleared here, whoever knows the password could reset it between
 * guesses of the code. */
static sa_login_result password_proven(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                       const password_verdict *v, sa_login_outcome *out)
{
    sa_user *u = v->user;
    out->state = sa_login_after_password(u, a->policy);
    out->level = SA_LEVEL_PASSWORD;
    out->detail = out->state == SA_LOGIN_DONE ? "ok" : "password_ok";
    if (release(db, p, a, out->state == SA_LOGIN_DONE) != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    if (record(db, p, a, u->id, out->detail, "password") != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    store_rehash(db, p, a, v);
    out->user = u;
    if (a->finish && a->finish(db, a->finish_ctx, out) != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    return SA_LOGIN_OK;
}

/* Verifies the password, and makes every failure cost at least one argon2id run with the
 * server's parameters: an unusable hash, and a legacy hash imported from htpasswd ({SHA}, apr1,
 * bcrypt), whose check alone takes a few milliseconds, are padded with a dummy run, so that
 * their wrong passwords cost what an unknown name or an argon2id account costs (issue 13,
 * finding 3). A right legacy password pays the argon2id run of its rehash instead. */
static sa_pw_result verify_at_argon2_cost(apr_pool_t *p, const sa_login_attempt *a,
                                          const char *stored)
{
    sa_pw_result pw = sa_password_verify(p, a->password, stored);
    const char *scheme = sa_password_scheme(stored);
    if (pw == SA_PW_ERROR || (pw != SA_PW_MATCH && (!scheme || strcmp(scheme, "argon2id") != 0))) {
        sa_password_burn(p, a->password, a->argon2);
    }
    return pw;
}

/* The reads and the hash: no writes. */
static sa_login_result judge(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                             password_verdict *v)
{
    apr_status_t rv = sa_store_user_by_name(db, p, a->username, &v->user);
    if (rv == APR_NOTFOUND) {
        v->user = NULL;
        sa_password_burn(p, a->password, a->argon2);
        v->failure = "unknown_user";
        return SA_LOGIN_FAILED;
    }
    if (rv != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    sa_pw_result pw = verify_at_argon2_cost(p, a, v->user->password_hash);
    if (v->user->disabled) {
        v->failure = "disabled";
    } else if (pw != SA_PW_MATCH) {
        v->failure = pw == SA_PW_ERROR ? "bad_hash" : "bad_password";
    } else {
        plan_rehash(p, a, v);
    }
    return v->failure ? SA_LOGIN_FAILED : SA_LOGIN_OK;
}

/* Every write of the step, in one transaction. */
static sa_login_result write_down(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                  const password_verdict *v, sa_login_outcome *out)
{
    if (sa_db_begin(db, p) != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    sa_login_result r = v->failure ? fail(db, p, a, v->user ? v->user->id : 0, v->failure, out)
                                   : password_proven(db, p, a, v, out);
    if (r == SA_LOGIN_DB_ERROR) {
        sa_db_rollback(db, p);
        return r;
    }
    return sa_db_commit(db, p) == APR_SUCCESS ? r : SA_LOGIN_DB_ERROR;
}

sa_login_result sa_login_password(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                  sa_login_outcome *out)
{
    password_verdict v = {NULL, NULL, NULL};
    memset(out, 0, sizeof(*out));
    out->state = SA_LOGIN_NEEDS_PASSWORD;
    out->factor = "password";
    out->detail = "ok";
    sa_login_result tr = check_throttle(db, p, a, 0, out);
    if (tr != SA_LOGIN_OK) {
        return tr;
    }
    if (judge(db, p, a, &v) == SA_LOGIN_DB_ERROR) {
        return SA_LOGIN_DB_ERROR;
    }
    return write_down(db, p, a, &v, out);
}

/* ---- pending logins ---- */

static const char *step_name(sa_login_state state)
{
    return state == SA_LOGIN_NEEDS_ENROLMENT ? "enrol" : "code";
}

static const char *pending_plaintext(apr_pool_t *p, const char *id, const sa_user *user,
                                     sa_login_state state, const char *return_to,
                                     apr_int64_t expires)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_table_setn(t, SA_KEY_PENDING, id);
    apr_table_setn(t, SA_KEY_USER, user->name);
    apr_table_setn(t, SA_KEY_STEP, step_name(state));
    apr_table_setn(t, SA_KEY_RETURN, return_to && *return_to ? return_to : "/");
    return sa_codec_encode(p, t, apr_time_from_sec(expires));
}

apr_status_t sa_login_pending_start(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                                    const sa_user *user, sa_login_state state, int remember,
                                    const char *return_to, apr_time_t now,
                                    const char **cookie_value)
{
    apr_int64_t now_s = apr_time_sec(now);
    const char *id = sa_token_new(p, PENDING_ID_BYTES);
    if (!id) {
        db->error = "the CSPRNG failed";
        return APR_EGENERAL;
    }
    sa_pending_row row = {.id_hash = sa_sha256_hex(p, id),
                          .user_id = user->id,
                          .step = step_name(state),
                          .created = now_s,
                          .expires = now_s + (state == SA_LOGIN_NEEDS_ENROLMENT
                                                  ? SA_LOGIN_ENROL_LIFETIME
                                                  : SA_LOGIN_PENDING_LIFETIME),
                          .remember = remember};
    /* abandoned pending logins of anyone go here; failing to purge costs nothing */
    sa_store_pending_purge(db, p, now_s);
    apr_status_t rv = sa_store_pending_insert(db, p, &row);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    return sa_crypto_encrypt(
        crypto, p, pending_plaintext(p, id, user, state, return_to, row.expires), cookie_value);
}

/* The cookie's claims: its id, user, step and return target, if it decrypts and is not over. */
static int pending_claims(sa_crypto *crypto, apr_pool_t *p, const char *value, apr_time_t now,
                          sa_login_pending *out, const char **id)
{
    const char *plain = NULL;
    apr_time_t expiry = 0;
    if (!value || !*value || sa_crypto_decrypt(crypto, p, value, &plain) != APR_SUCCESS) {
        return 0;
    }
    apr_table_t *t = sa_codec_decode(p, plain, &expiry);
    const char *step = apr_table_get(t, SA_KEY_STEP);
    *id = apr_table_get(t, SA_KEY_PENDING);
    out->user = apr_table_get(t, SA_KEY_USER);
    out->return_to = apr_table_get(t, SA_KEY_RETURN);
    if (!*id || strlen(*id) > PENDING_ID_MAX_LEN || !out->user || !step || expiry <= now) {
        return 0;
    }
    out->state = strcmp(step, "enrol") == 0 ? SA_LOGIN_NEEDS_ENROLMENT : SA_LOGIN_NEEDS_CODE;
    out->id_hash = sa_sha256_hex(p, *id);
    return 1;
}

sa_session_status sa_login_pending_open(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                                        const char *cookie_value, apr_time_t now,
                                        sa_login_pending *out)
{
    sa_pending_row *row = NULL;
    const char *id = NULL;
    memset(out, 0, sizeof(*out));
    if (!pending_claims(crypto, p, cookie_value, now, out, &id)) {
        return SA_SESSION_NONE;
    }
    apr_status_t rv = sa_store_pending_get(db, p, out->id_hash, &row);
    if (rv == APR_NOTFOUND) {
        return SA_SESSION_NONE;
    }
    if (rv != APR_SUCCESS) {
        return SA_SESSION_DB_ERROR;
    }
    /* the row decides: the expiry and the step in the cookie cannot outlive or change it */
    if (row->expires <= apr_time_sec(now) || row->tries >= SA_LOGIN_PENDING_TRIES ||
        strcmp(row->step, step_name(out->state)) != 0) {
        return SA_SESSION_NONE;
    }
    out->user_id = row->user_id;
    out->remember = row->remember;
    out->expires = row->expires;
    out->tries = row->tries;
    return SA_SESSION_VALID;
}

apr_status_t sa_login_pending_finish(sa_db *db, apr_pool_t *p, const sa_login_pending *pending)
{
    return sa_store_pending_delete(db, p, pending->id_hash);
}

/* ---- the code step ---- */

/* The account of the pending login, still the same and still enabled. */
static sa_login_result pending_user(sa_db *db, apr_pool_t *p, const sa_login_pending *pending,
                                    sa_user **user)
{
    apr_status_t rv = sa_store_user_by_name(db, p, pending->user, user);
    if (rv == APR_NOTFOUND ||
        (rv == APR_SUCCESS && ((*user)->id != pending->user_id || (*user)->disabled))) {
        return SA_LOGIN_RESTART;
    }
    return rv == APR_SUCCESS ? SA_LOGIN_OK : SA_LOGIN_DB_ERROR;
}

static sa_login_result code_proven(sa_db *db, apr_pool_t *p, const sa_code_attempt *c,
                                   const sa_login_attempt *a, sa_login_outcome *out)
{
    apr_status_t rv = sa_login_pending_finish(db, p, c->pending);
    if (rv == APR_NOTFOUND) {
        return SA_LOGIN_RESTART; /* a parallel request finished this login first */
    }
    if (rv != APR_SUCCESS || release(db, p, a, 1) != APR_SUCCESS ||
        record(db, p, a, out->user->id, "ok", out->factor) != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    out->state = SA_LOGIN_DONE;
    out->level = SA_LEVEL_TOTP;
    out->detail = "ok";
    return SA_LOGIN_OK;
}

static const char *code_failure(sa_2fa_result r)
{
    switch (r) {
    case SA_2FA_REPLAY:
        return "replayed_code";
    case SA_2FA_UNREADABLE:
        return "unreadable_secret";
    default:
        return "bad_code";
    }
}

static sa_login_result check_code(sa_db *db, apr_pool_t *p, const sa_code_attempt *c,
                                  const sa_login_attempt *a, sa_login_outcome *out)
{
    sa_2fa ctx = {db, p, c->keys, apr_time_sec(c->now)};
    sa_2fa_result r = sa_2fa_check(&ctx, out->user->id, c->code, 1, &out->factor);
    if (r == SA_2FA_OK) {
        return code_proven(db, p, c, a, out);
    }
    if (r == SA_2FA_DB_ERROR) {
        return SA_LOGIN_DB_ERROR;
    }
    if (r == SA_2FA_NO_SECRET) {
        out->detail = "no_secret"; /* 2FA was reset meanwhile: start again */
        return SA_LOGIN_RESTART;
    }
    /* the history says bad_code for all three; the error log tells them apart */
    sa_login_result fr = fail(db, p, a, out->user->id, "bad_code", out);
    out->detail = code_failure(r);
    if (fr == SA_LOGIN_FAILED && c->pending->tries + 1 >= SA_LOGIN_PENDING_TRIES) {
        sa_login_pending_finish(db, p, c->pending);
        return SA_LOGIN_RESTART;
    }
    return fr;
}

sa_login_result sa_login_code(sa_db *db, apr_pool_t *p, const sa_code_attempt *c,
                              sa_login_outcome *out)
{
    sa_login_attempt a = {.username = c->pending->user,
                          .ip = c->ip,
                          .user_agent = c->user_agent,
                          .now = c->now,
                          .lockout = c->lockout};
    memset(out, 0, sizeof(*out));
    out->state = SA_LOGIN_NEEDS_CODE;
    out->factor = "totp";
    out->detail = "expired";
    sa_login_result r = check_throttle(db, p, &a, c->pending->user_id, out);
    if (r != SA_LOGIN_OK) {
        return r;
    }
    /* the try is spent before the code is looked at: parallel guesses cannot exceed it */
    apr_status_t rv = sa_store_pending_try(db, p, c->pending->id_hash, SA_LOGIN_PENDING_TRIES,
                                           apr_time_sec(c->now));
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? SA_LOGIN_RESTART : SA_LOGIN_DB_ERROR;
    }
    r = pending_user(db, p, c->pending, &out->user);
    if (r != SA_LOGIN_OK) {
        out->detail = "account_changed";
        return r;
    }
    return check_code(db, p, c, &a, out);
}

sa_login_result sa_login_reverify(sa_db *db, apr_pool_t *p, const sa_code_attempt *c, sa_user *user,
                                  int allow_recovery, sa_login_outcome *out)
{
    sa_login_attempt a = {.username = user->name,
                          .ip = c->ip,
                          .user_agent = c->user_agent,
                          .now = c->now,
                          .lockout = c->lockout};
    sa_2fa ctx = {db, p, c->keys, apr_time_sec(c->now)};
    memset(out, 0, sizeof(*out));
    out->state = SA_LOGIN_DONE;
    out->user = user;
    out->factor = "totp";
    sa_login_result r = check_throttle(db, p, &a, user->id, out);
    if (r != SA_LOGIN_OK) {
        return r;
    }
    sa_2fa_result cr = sa_2fa_check(&ctx, user->id, c->code, allow_recovery, &out->factor);
    if (cr == SA_2FA_OK || cr == SA_2FA_DB_ERROR) {
        out->detail = "ok";
        return cr == SA_2FA_OK && release(db, p, &a, 0) == APR_SUCCESS ? SA_LOGIN_OK
                                                                       : SA_LOGIN_DB_ERROR;
    }
    r = fail(db, p, &a, user->id, "bad_code", out);
    out->detail = cr == SA_2FA_NO_SECRET ? "no_secret" : code_failure(cr);
    return r;
}

/* The portal's "current password" of a signed-in user: the same throttle as a login, and a
 * wrong password counts toward the same lockout (account and address) and is recorded. A
 * right one clears the account's counter, as a login that ends in a session does: the holder
 * of this session has passed every step already. */
sa_login_result sa_login_recheck(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                 const sa_user *user, const char **detail)
{
    sa_login_outcome out;
    memset(&out, 0, sizeof(out));
    out.state = SA_LOGIN_DONE;
    out.factor = "password";
    out.detail = "ok";
    sa_login_result r = check_throttle(db, p, a, user->id, &out);
    if (r == SA_LOGIN_OK) {
        sa_pw_result pw = verify_at_argon2_cost(p, a, user->password_hash);
        if (pw != SA_PW_MATCH) {
            r = fail(db, p, a, user->id, pw == SA_PW_ERROR ? "bad_hash" : "bad_current_password",
                     &out);
        } else if (release(db, p, a, 1) != APR_SUCCESS) {
            r = SA_LOGIN_DB_ERROR;
        }
    }
    *detail = out.detail;
    return r;
}
