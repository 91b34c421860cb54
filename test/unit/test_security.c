/* Items of the security checklist (test/SECURITY.md) that no other unit test states on its
 * own: each test names its SEC id. Cheap argon2 parameters keep them fast; the product's
 * defaults are checked in test_password.c. */
#include <apr_hash.h>
#include <apr_strings.h>
#include "unit.h"
#include "core/password.h"
#include "core/token.h"

static const sa_argon2_params cheap = {1024, 1, 1};

static char *repeat(apr_pool_t *p, const char *s, int n)
{
    char *out = "";
    for (int i = 0; i < n; i++) {
        out = apr_pstrcat(p, out, s, NULL);
    }
    return out;
}

/* SEC-03: the whole password is verified as received: a prefix (the 72-byte bcrypt trap), a
 * changed last character or a changed case do not match. */
static void sec03_no_truncation_no_transformation(apr_pool_t *p)
{
    const char *pw = apr_pstrcat(p, repeat(p, "0123456789", 9), "abcdefghiJ", NULL);
    const char *hash = NULL;
    REQUIRE(strlen(pw) == 100);
    REQUIRE(sa_password_hash(p, pw, &cheap, &hash) == APR_SUCCESS);
    CHECK(sa_password_verify(p, pw, hash) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, apr_pstrndup(p, pw, 72), hash) == SA_PW_MISMATCH);
    CHECK(sa_password_verify(p, apr_pstrndup(p, pw, 99), hash) == SA_PW_MISMATCH);
    CHECK(sa_password_verify(p, apr_pstrcat(p, apr_pstrndup(p, pw, 99), "K", NULL), hash) ==
          SA_PW_MISMATCH);
    CHECK(sa_password_verify(p, apr_pstrcat(p, apr_pstrndup(p, pw, 99), "j", NULL), hash) ==
          SA_PW_MISMATCH);
    CHECK(sa_password_verify(p, apr_pstrcat(p, pw, " ", NULL), hash) == SA_PW_MISMATCH);
}

/* SEC-05: no composition rule: an all-lowercase passphrase, one without digits, one without
 * letters, are accepted when long enough and not blocklisted. (No expiry exists: the users
 * table has no password age, see 80_static.t.) */
static void sec05_no_composition_rules(apr_pool_t *p)
{
    apr_hash_t *block = apr_hash_make(p);
    apr_hash_set(block, "password123456789", APR_HASH_KEY_STRING, "");
    CHECK(sa_password_policy(p, "correcthorsebatterystaple", 12, "alice", NULL, block) == NULL);
    CHECK(sa_password_policy(p, "nouppercasenodigits", 15, "alice", NULL, block) == NULL);
    CHECK(sa_password_policy(p, "831274659018273645", 15, "alice", NULL, block) == NULL);
    CHECK(sa_password_policy(p,
                             "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
                             "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
                             "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91",
                             12, "alice", NULL, block) == NULL);
    /* SEC-06 beside it: the blocklist is matched on the whole password, in any case */
    CHECK_STR(sa_password_policy(p, "Password123456789", 12, "alice", NULL, block),
              "pw_blocklisted");
}

/* SEC-08: two hashes of one password differ (a fresh salt each time) and carry their
 * parameters; SEC-79: the salts and tokens come from the CSPRNG, 1000 tokens all distinct. */
static void sec08_sec79_salts_and_tokens_are_random(apr_pool_t *p)
{
    const char *a = NULL, *b = NULL;
    REQUIRE(sa_password_hash(p, "same password here", &cheap, &a) == APR_SUCCESS);
    REQUIRE(sa_password_hash(p, "same password here", &cheap, &b) == APR_SUCCESS);
    CHECK(strcmp(a, b) != 0);
    CHECK(strncmp(a, "$argon2id$v=19$m=1024,t=1,p=1$", 30) == 0);
    apr_hash_t *seen = apr_hash_make(p);
    for (int i = 0; i < 1000; i++) {
        const char *t = sa_token_new(p, 32);
        REQUIRE(t != NULL);
        CHECK(strlen(t) >= 43); /* 256 bits in base64url */
        CHECK(apr_hash_get(seen, t, APR_HASH_KEY_STRING) == NULL);
        apr_hash_set(seen, t, APR_HASH_KEY_STRING, t);
    }
}

/* SEC-02: the login bound: input above SA_PASSWORD_MAX_BYTES is refused before hashing by the
 * handler (10_login.t); the policy refuses new passwords past 128 code points. */
static void sec02_bounds(apr_pool_t *p)
{
    CHECK(sa_password_policy(p, repeat(p, "a", 64), 12, NULL, NULL, NULL) == NULL);
    CHECK(sa_password_policy(p, repeat(p, "b", 128), 12, NULL, NULL, NULL) == NULL);
    CHECK_STR(sa_password_policy(p, repeat(p, "c", 129), 12, NULL, NULL, NULL), "pw_too_long");
}

UNIT_SUITE(security_tests) = {
    {"sec03_no_truncation_no_transformation", sec03_no_truncation_no_transformation},
    {"sec05_no_composition_rules", sec05_no_composition_rules},
    {"sec08_sec79_salts_and_tokens_are_random", sec08_sec79_salts_and_tokens_are_random},
    {"sec02_bounds", sec02_bounds},
    {NULL, NULL}};
