/* Two-factor authentication on a real sqlite3 database: enrolment and its confirmation, codes
 * accepted once (the activation code too), the window, recovery codes used up, sealing with
 * a rotated passphrase, and the login pipeline: the states after the password, the pending
 * login, the code step with its tries and its throttling. */
/* Checklist (test/SECURITY.md): SEC-23 seed generation, SEC-25 enrolment confirmed before
 * activation, SEC-28 no reuse of a TOTP code, SEC-29 tOTP guessing is throttled, SEC-33 lost-
 * device recovery does not bypass the factor. */
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "core/crypto.h"
#include "core/login.h"
#include "core/recovery.h"
#include "core/totp.h"
#include "core/twofactor.h"
#include "store/pending.h"
#include "store/totp.h"

#define T0 1700000000 /* 30 * 56666666 + 20: step 56666666, 20 s into it */
#define PASS "unit-test-passphrase-0123456789"
#define OLD_PASS "unit-test-old-passphrase-98765"
#define PW "correct horse battery"
#define IP "192.0.2.1"

static const sa_argon2_params small = {1024, 1, 1};
static const sa_lockout roomy = {
    .account_limit = 50, .address_limit = 50, .window = 600, .ban = 900};
static const sa_lockout strict = {
    .account_limit = 3, .address_limit = 50, .window = 600, .ban = 900};

typedef struct {
    sa_db *db;
    sa_crypto *crypto;
    sa_seal_keys *keys;
    sa_user *alice;
} fixture;

static apr_array_header_t *list_of(apr_pool_t *p, const char *a, const char *b)
{
    apr_array_header_t *l = apr_array_make(p, 2, sizeof(const char *));
    APR_ARRAY_PUSH(l, const char *) = a;
    if (b) {
        APR_ARRAY_PUSH(l, const char *) = b;
    }
    return l;
}

static int setup(apr_pool_t *p, fixture *f)
{
    const char *hash = NULL;
    memset(f, 0, sizeof(*f));
    f->db = unit_db_open(p);
    if (!f->db) {
        return 0;
    }
    CHECK(sa_crypto_create(p, SA_CIPHER_AES256, list_of(p, PASS, NULL), &f->crypto) == APR_SUCCESS);
    CHECK(sa_seal_keys_derive(p, list_of(p, PASS, NULL), &f->keys) == APR_SUCCESS);
    CHECK(sa_password_hash(p, PW, &small, &hash) == APR_SUCCESS);
    f->alice = hash ? unit_db_add_user(f->db, p, "alice", "alice@example.ch", hash) : NULL;
    return f->crypto && f->keys && f->alice;
}

static sa_2fa ctx(fixture *f, apr_pool_t *p, apr_int64_t seconds_after_t0)
{
    sa_2fa c = {f->db, p, f->keys, T0 + seconds_after_t0};
    return c;
}

/* The code of secret for the step `steps` away from T0's. */
static const char *code_at(apr_pool_t *p, const unsigned char *secret, int steps)
{
    char *code = apr_palloc(p, SA_OTP_MAX_DIGITS + 1);
    CHECK(sa_totp(secret, SA_TOTP_SECRET_BYTES, SA_OTP_SHA1, T0 + 30 * steps, 30, 6, code) ==
          APR_SUCCESS);
    return code;
}

/* Enrols alice at T0 and returns her secret (a copy) and recovery codes. */
static const unsigned char *enrol(fixture *f, apr_pool_t *p, const char ***codes)
{
    const unsigned char *secret = NULL;
    apr_size_t len = 0;
    sa_2fa c = ctx(f, p, 0);
    CHECK(sa_2fa_pending_secret(&c, f->alice->id, 1, &secret, &len) == APR_SUCCESS);
    if (!secret || len != SA_TOTP_SECRET_BYTES) {
        return NULL;
    }
    unsigned char *copy = apr_pmemdup(p, secret, len);
    CHECK(sa_2fa_confirm(&c, f->alice->id, code_at(p, copy, 0), codes) == SA_2FA_OK);
    return copy;
}

static const char *value(fixture *f, apr_pool_t *p, const char *sql)
{
    return unit_db_value(f->db, p, sql);
}

static void twofactor_enrolment(apr_pool_t *p)
{
    fixture f;
    const unsigned char *s1 = NULL, *s2 = NULL;
    apr_size_t len = 0;
    const char **codes = NULL;
    if (!setup(p, &f)) {
        return;
    }
    sa_2fa c = ctx(&f, p, 0);
    CHECK(sa_2fa_pending_secret(&c, f.alice->id, 0, &s1, &len) == APR_NOTFOUND);
    CHECK(sa_2fa_pending_secret(&c, f.alice->id, 1, &s1, &len) == APR_SUCCESS);
    CHECK(len == 20);
    unsigned char *first = apr_pmemdup(p, s1, 20);
    /* reloading the page shows the same secret */
    c.now = T0 + 600;
    CHECK(sa_2fa_pending_secret(&c, f.alice->id, 1, &s2, &len) == APR_SUCCESS);
    CHECK(memcmp(first, s2, 20) == 0);
    const char *sealed = value(&f, p, "SELECT totp_pending FROM users");
    CHECK(sealed && strncmp(sealed, "s1.", 3) == 0);
    CHECK(strcmp(value(&f, p, "SELECT totp_enabled FROM users"), "0") == 0);
    /* a wrong code keeps the pending secret; nothing is active yet */
    CHECK(sa_2fa_confirm(&c, f.alice->id, "000000", &codes) == SA_2FA_WRONG ||
          strcmp(code_at(p, first, 20), "000000") == 0);
    CHECK(sa_2fa_confirm(&c, f.alice->id, code_at(p, first, 20 - 2), &codes) == SA_2FA_WRONG);
    CHECK_STR(value(&f, p, "SELECT totp_pending FROM users"), sealed);
    /* an abandoned enrolment (over an hour) gets a new secret */
    c.now = T0 + SA_2FA_PENDING_LIFETIME + 1;
    CHECK(sa_2fa_confirm(&c, f.alice->id, code_at(p, first, 120), &codes) == SA_2FA_NO_SECRET);
    CHECK(sa_2fa_pending_secret(&c, f.alice->id, 1, &s2, &len) == APR_SUCCESS);
    CHECK(memcmp(first, s2, 20) != 0);
    unsigned char *second = apr_pmemdup(p, s2, 20);
    c.now = T0 + 3630;
    CHECK(sa_2fa_confirm(&c, f.alice->id, code_at(p, second, 121), &codes) == SA_2FA_OK);
    CHECK_STR(value(&f, p,
                    "SELECT totp_enabled || totp_pending || '|' || totp_last_step FROM "
                    "users"),
              "1|56666787");
    CHECK(codes && codes[9] && !codes[10]);
    CHECK_STR(value(&f, p, "SELECT count(*) FROM recovery_codes WHERE used = 0"), "10");
    /* the database holds neither the secret nor the codes in clear */
    const char *row = value(&f, p, "SELECT totp_secret FROM users");
    CHECK(row && strncmp(row, "s1.", 3) == 0 && strlen(row) > 40);
    /* (SQL that sqlite3 and PostgreSQL read alike: no group_concat) */
    CHECK(codes && codes[0]);
    if (codes && codes[0]) {
        CHECK_STR(value(&f, p,
                        apr_psprintf(p,
                                     "SELECT count(*) FROM recovery_codes WHERE code_hash LIKE "
                                     "'%%%s%%' OR code_hash LIKE '%%%s%%'",
                                     codes[0], sa_recovery_normalise(p, codes[0]))),
                  "0");
    }
}

static void twofactor_codes_once(apr_pool_t *p)
{
    fixture f;
    const char **codes = NULL;
    const char *factor = NULL;
    if (!setup(p, &f)) {
        return;
    }
    const unsigned char *secret = enrol(&f, p, &codes);
    if (!secret) {
        return;
    }
    sa_2fa c = ctx(&f, p, 10);
    /* the confirmation code cannot log in */
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 0), 1, &factor) == SA_2FA_REPLAY);
    CHECK_STR(factor, "totp");
    /* the next step's code: once */
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 1), 1, &factor) == SA_2FA_OK);
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 1), 1, &factor) == SA_2FA_REPLAY);
    /* two steps from now is outside the window */
    c.now = T0 + 30 * 10;
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 8), 1, &factor) == SA_2FA_WRONG);
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 12), 1, &factor) == SA_2FA_WRONG);
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 9), 1, &factor) == SA_2FA_OK);
    /* a code before the last accepted step is a replay even inside the window */
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 11), 1, &factor) == SA_2FA_OK);
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 10), 1, &factor) == SA_2FA_REPLAY);
    CHECK(sa_2fa_check(&c, f.alice->id, " 12 ab", 1, &factor) == SA_2FA_WRONG);
    /* the atomic update refuses a step that is not after the last one */
    CHECK(sa_store_totp_use_step(f.db, p, f.alice->id, 56666677) == APR_NOTFOUND);
    CHECK(sa_store_totp_use_step(f.db, p, f.alice->id, 56666678) == APR_SUCCESS);
}

static void twofactor_recovery_codes(apr_pool_t *p)
{
    fixture f;
    const char **codes = NULL, **fresh = NULL;
    const char *factor = NULL;
    int left = -1;
    if (!setup(p, &f) || !enrol(&f, p, &codes) || !codes) {
        return;
    }
    sa_2fa c = ctx(&f, p, 5);
    CHECK(sa_2fa_check(&c, f.alice->id, codes[3], 1, &factor) == SA_2FA_OK);
    CHECK_STR(factor, "recovery");
    CHECK(sa_2fa_check(&c, f.alice->id, codes[3], 1, &factor) == SA_2FA_WRONG);
    /* typed in lower case without dashes */
    char *typed = apr_pstrdup(p, sa_recovery_normalise(p, codes[4]));
    for (char *ch = typed; *ch; ch++) {
        *ch = (char)(*ch >= 'A' && *ch <= 'Z' ? *ch - 'A' + 'a' : *ch);
    }
    CHECK(sa_2fa_check(&c, f.alice->id, typed, 1, &factor) == SA_2FA_OK);
    CHECK(sa_2fa_check(&c, f.alice->id, codes[5], 0, &factor) == SA_2FA_WRONG);
    CHECK(sa_store_codes_left(f.db, p, f.alice->id, &left) == APR_SUCCESS && left == 8);
    /* another user's code is not hers */
    sa_user *bob = unit_db_add_user(f.db, p, "bob", "", "x");
    CHECK(bob && sa_2fa_check(&c, bob->id, codes[6], 1, &factor) == SA_2FA_WRONG);
    /* a new set replaces the old one */
    CHECK(sa_2fa_new_codes(&c, f.alice->id, &fresh) == APR_SUCCESS);
    CHECK(sa_store_codes_left(f.db, p, f.alice->id, &left) == APR_SUCCESS && left == 10);
    CHECK(sa_2fa_check(&c, f.alice->id, codes[6], 1, &factor) == SA_2FA_WRONG);
    CHECK(fresh && sa_2fa_check(&c, f.alice->id, fresh[0], 1, &factor) == SA_2FA_OK);
    /* off: everything is gone */
    CHECK(sa_2fa_disable(&c, f.alice->id) == APR_SUCCESS);
    CHECK_STR(value(&f, p,
                    "SELECT totp_enabled || totp_secret || totp_pending FROM users WHERE "
                    "name = 'alice'"),
              "0");
    CHECK_STR(value(&f, p, "SELECT count(*) FROM recovery_codes"), "0");
    CHECK(sa_2fa_check(&c, f.alice->id, "123456", 1, &factor) == SA_2FA_NO_SECRET);
}

static void twofactor_passphrase_rotation(apr_pool_t *p)
{
    fixture f;
    const char **codes = NULL;
    const char *factor = NULL;
    sa_seal_keys *rotated = NULL, *only_new = NULL;
    if (!setup(p, &f)) {
        return;
    }
    CHECK(sa_seal_keys_derive(p, list_of(p, OLD_PASS, NULL), &f.keys) == APR_SUCCESS);
    const unsigned char *secret = enrol(&f, p, &codes);
    CHECK(sa_seal_keys_derive(p, list_of(p, PASS, OLD_PASS), &rotated) == APR_SUCCESS);
    CHECK(sa_seal_keys_derive(p, list_of(p, PASS, NULL), &only_new) == APR_SUCCESS);
    if (!secret || !rotated || !only_new) {
        return;
    }
    sa_2fa c = {f.db, p, only_new, T0 + 30};
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 1), 1, &factor) == SA_2FA_UNREADABLE);
    /* the old passphrase second: it still opens, and the secret is sealed again */
    c.keys = rotated;
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 1), 1, &factor) == SA_2FA_OK);
    c.keys = only_new;
    c.now = T0 + 60;
    CHECK(sa_2fa_check(&c, f.alice->id, code_at(p, secret, 2), 1, &factor) == SA_2FA_OK);
    /* the sealed value is bound to alice: copied to bob's row, it does not open */
    sa_user *bob = unit_db_add_user(f.db, p, "bob", "", "x");
    CHECK(unit_db_sql(f.db, "UPDATE users SET totp_enabled = 1, totp_secret = (SELECT totp_secret "
                            "FROM users WHERE name = 'alice') WHERE name = 'bob'") == 0);
    CHECK(bob && sa_2fa_check(&c, bob->id, code_at(p, secret, 2), 1, &factor) == SA_2FA_UNREADABLE);
}

static void login_states_after_password(apr_pool_t *p)
{
    sa_user plain = {.totp_enabled = 0, .totp_secret = ""};
    sa_user with2fa = {.totp_enabled = 1, .totp_secret = "s1.x"};
    (void)p;
    CHECK(sa_login_after_password(&plain, SA_TWOFACTOR_OFF) == SA_LOGIN_DONE);
    CHECK(sa_login_after_password(&plain, SA_TWOFACTOR_OPTIONAL) == SA_LOGIN_DONE);
    CHECK(sa_login_after_password(&plain, SA_TWOFACTOR_REQUIRED) == SA_LOGIN_NEEDS_ENROLMENT);
    CHECK(sa_login_after_password(&with2fa, SA_TWOFACTOR_OFF) == SA_LOGIN_DONE);
    CHECK(sa_login_after_password(&with2fa, SA_TWOFACTOR_OPTIONAL) == SA_LOGIN_NEEDS_CODE);
    CHECK(sa_login_after_password(&with2fa, SA_TWOFACTOR_REQUIRED) == SA_LOGIN_NEEDS_CODE);
}

static sa_login_attempt password_attempt(const char *password, apr_int64_t after,
                                         const sa_lockout *lockout)
{
    sa_login_attempt a = {.username = "alice",
                          .password = password,
                          .ip = IP,
                          .user_agent = "UnitAgent/2.0",
                          .now = apr_time_from_sec(T0 + after),
                          .lockout = lockout,
                          .argon2 = &small,
                          .policy = SA_TWOFACTOR_OPTIONAL};
    return a;
}

/* The password step, then a pending login opened from its own cookie. */
static int pending_after_password(fixture *f, apr_pool_t *p, apr_int64_t after,
                                  const sa_lockout *lockout, sa_login_pending *pending)
{
    sa_login_outcome out;
    const char *cookie = NULL;
    sa_login_attempt a = password_attempt(PW, after, lockout);
    CHECK(sa_login_password(f->db, p, &a, &out) == SA_LOGIN_OK);
    CHECK(out.state == SA_LOGIN_NEEDS_CODE);
    if (out.state != SA_LOGIN_NEEDS_CODE) {
        return 0;
    }
    CHECK(sa_login_pending_start(f->db, f->crypto, p, out.user, out.state, 1, "/app/", a.now,
                                 &cookie) == APR_SUCCESS);
    return sa_login_pending_open(f->db, f->crypto, p, cookie, a.now, pending) == SA_SESSION_VALID;
}

static sa_login_result code_step(fixture *f, apr_pool_t *p, const sa_login_pending *pending,
                                 const char *code, apr_int64_t after, const sa_lockout *lockout,
                                 sa_login_outcome *out)
{
    sa_code_attempt c = {pending, code,   IP, "UnitAgent/2.0", apr_time_from_sec(T0 + after),
                         lockout, f->keys};
    return sa_login_code(f->db, p, &c, out);
}

static void login_with_code(apr_pool_t *p)
{
    fixture f;
    const char **codes = NULL;
    sa_login_pending pending, again;
    sa_login_outcome out;
    if (!setup(p, &f)) {
        return;
    }
    const unsigned char *secret = enrol(&f, p, &codes);
    if (!secret || !pending_after_password(&f, p, 30, &roomy, &pending)) {
        return;
    }
    CHECK(pending.state == SA_LOGIN_NEEDS_CODE && pending.remember == 1);
    CHECK_STR(pending.user, "alice");
    CHECK_STR(pending.return_to, "/app/");
    CHECK_STR(value(&f, p, "SELECT result || ' ' || factor FROM login_events ORDER BY id DESC"),
              "password_ok password");
    CHECK(code_step(&f, p, &pending, "999999", 31, &roomy, &out) == SA_LOGIN_FAILED ||
          strcmp(code_at(p, secret, 1), "999999") == 0);
    CHECK_STR(out.detail, "bad_code");
    CHECK_STR(value(&f, p, "SELECT result || ' ' || factor FROM login_events ORDER BY id DESC"),
              "bad_code totp");
    CHECK(code_step(&f, p, &pending, code_at(p, secret, 1), 32, &roomy, &out) == SA_LOGIN_OK);
    CHECK(out.state == SA_LOGIN_DONE && out.level == SA_LEVEL_TOTP);
    CHECK(out.user && out.user->id == f.alice->id);
    CHECK_STR(out.factor, "totp");
    CHECK_STR(value(&f, p, "SELECT result || ' ' || factor FROM login_events ORDER BY id DESC"),
              "ok totp");
    CHECK_STR(value(&f, p, "SELECT count(*) FROM throttle WHERE key = 'user:alice'"), "0");
    /* finished: the same pending login cannot log in again, not even with a fresh code */
    CHECK(code_step(&f, p, &pending, code_at(p, secret, 2), 61, &roomy, &out) == SA_LOGIN_RESTART);
    /* a new login: the code that just logged in is refused, a recovery code works once */
    if (!pending_after_password(&f, p, 40, &roomy, &again)) {
        return;
    }
    CHECK(code_step(&f, p, &again, code_at(p, secret, 1), 41, &roomy, &out) == SA_LOGIN_FAILED);
    CHECK_STR(out.detail, "replayed_code");
    CHECK(code_step(&f, p, &again, codes[0], 42, &roomy, &out) == SA_LOGIN_OK);
    CHECK_STR(out.factor, "recovery");
    CHECK_STR(value(&f, p, "SELECT result || ' ' || factor FROM login_events ORDER BY id DESC"),
              "ok recovery");
    if (pending_after_password(&f, p, 50, &roomy, &again)) {
        CHECK(code_step(&f, p, &again, codes[0], 51, &roomy, &out) == SA_LOGIN_FAILED);
        CHECK_STR(value(&f, p,
                        "SELECT result || ' ' || factor FROM login_events ORDER BY id "
                        "DESC"),
                  "bad_code recovery");
    }
}

static void login_code_tries_and_expiry(apr_pool_t *p)
{
    fixture f;
    const char **codes = NULL;
    sa_login_pending pending, check;
    sa_login_outcome out;
    const char *cookie = NULL;
    if (!setup(p, &f) || !enrol(&f, p, &codes) ||
        !pending_after_password(&f, p, 0, &roomy, &pending)) {
        return;
    }
    for (int i = 1; i < SA_LOGIN_PENDING_TRIES; i++) {
        CHECK(code_step(&f, p, &pending, "ABCD-EFGH-IJKL-MNOP", i, &roomy, &out) ==
              SA_LOGIN_FAILED);
        pending.tries = i;
    }
    CHECK(code_step(&f, p, &pending, "ABCD-EFGH-IJKL-MNOP", 9, &roomy, &out) == SA_LOGIN_RESTART);
    CHECK_STR(value(&f, p, "SELECT count(*) FROM login_pending"), "0");
    /* expiry: the row decides, 300 s after the password */
    if (!pending_after_password(&f, p, 100, &roomy, &pending)) {
        return;
    }
    CHECK(code_step(&f, p, &pending, "123456", 100 + SA_LOGIN_PENDING_LIFETIME, &roomy, &out) ==
          SA_LOGIN_RESTART);
    /* a cookie of another passphrase, or a session cookie, is no pending login */
    sa_crypto *other = NULL;
    CHECK(sa_crypto_create(p, SA_CIPHER_AES256, list_of(p, OLD_PASS, NULL), &other) == APR_SUCCESS);
    sa_login_attempt a = password_attempt(PW, 200, &roomy);
    CHECK(sa_login_password(f.db, p, &a, &out) == SA_LOGIN_OK);
    CHECK(sa_login_pending_start(f.db, other, p, out.user, out.state, 0, "/", a.now, &cookie) ==
          APR_SUCCESS);
    CHECK(sa_login_pending_open(f.db, f.crypto, p, cookie, a.now, &check) == SA_SESSION_NONE);
    sa_session_policy policy = {60, 600, 0};
    sa_session_info info;
    CHECK(sa_session_start(f.db, f.crypto, p, &policy, f.alice, 0, 1, IP, "ua", a.now, &cookie,
                           &info) == APR_SUCCESS);
    CHECK(sa_login_pending_open(f.db, f.crypto, p, cookie, a.now, &check) == SA_SESSION_NONE);
}

static void login_codes_throttled_like_passwords(apr_pool_t *p)
{
    fixture f;
    const char **codes = NULL;
    sa_login_pending pending;
    sa_login_outcome out;
    if (!setup(p, &f) || !enrol(&f, p, &codes)) {
        return;
    }
    /* the right password between wrong codes does not reset the account's counter */
    for (int i = 0; i < 3; i++) {
        if (!pending_after_password(&f, p, 10 * i, &strict, &pending)) {
            return;
        }
        CHECK(code_step(&f, p, &pending, "000000", 10 * i + 1, &strict, &out) == SA_LOGIN_FAILED);
    }
    CHECK_STR(value(&f, p,
                    "SELECT failures || ' ' || CASE WHEN banned_until > 0 THEN 1 ELSE 0 END "
                    "FROM throttle WHERE key = 'user:alice'"),
              "0 1");
    sa_login_attempt a = password_attempt(PW, 40, &strict);
    CHECK(sa_login_password(f.db, p, &a, &out) == SA_LOGIN_THROTTLED);
    CHECK_STR(out.detail, "throttled_account");
}

UNIT_SUITE(twofactor_tests) = {
    {"twofactor_enrolment", twofactor_enrolment},
    {"twofactor_codes_once", twofactor_codes_once},
    {"twofactor_recovery_codes", twofactor_recovery_codes},
    {"twofactor_passphrase_rotation", twofactor_passphrase_rotation},
    {"login_states_after_password", login_states_after_password},
    {"login_with_code", login_with_code},
    {"login_code_tries_and_expiry", login_code_tries_and_expiry},
    {"login_codes_throttled_like_passwords", login_codes_throttled_like_passwords},
    {NULL, NULL}};
