/* CSRF tokens bound to a time, and login nonces that only the server can issue (SEC-19;
 * issue 13 finding 4: a nonce chosen by the client was accepted and tokens never expired). */
#include <apr_strings.h>

#include "unit.h"
#include "core/csrf.h"

static const unsigned char key[32] = "0123456789abcdef0123456789abcde";
static const unsigned char other_key[32] = "fedcba9876543210fedcba987654321";

#define NOW ((apr_time_t)1764547200 * APR_USEC_PER_SEC)

static void csrf_token_roundtrip(apr_pool_t *p)
{
    const char *t = sa_csrf_token(p, key, sizeof(key), "login", "n1", NOW);
    CHECK(strncmp(t, "1764547200.", 11) == 0);
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n1", t, NOW, 3600) == SA_CSRF_OK);
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n1", t, NOW + apr_time_from_sec(3600),
                        3600) == SA_CSRF_OK);
    /* another purpose, subject or key */
    CHECK(sa_csrf_check(p, key, sizeof(key), "logout", "n1", t, NOW, 3600) == SA_CSRF_BAD);
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n2", t, NOW, 3600) == SA_CSRF_BAD);
    CHECK(sa_csrf_check(p, other_key, sizeof(other_key), "login", "n1", t, NOW, 3600) ==
          SA_CSRF_BAD);
}

static void csrf_token_expires(apr_pool_t *p)
{
    const char *t = sa_csrf_token(p, key, sizeof(key), "login", "n1", NOW);
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n1", t, NOW + apr_time_from_sec(3601),
                        3600) == SA_CSRF_EXPIRED);
    /* from the future beyond the clock skew */
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n1", t, NOW - apr_time_from_sec(120),
                        3600) == SA_CSRF_EXPIRED);
    /* the time is under the MAC: moving it forward breaks the token */
    const char *moved = apr_pstrcat(p, "1764550000", strchr(t, '.'), NULL);
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n1", moved, NOW, 3600) == SA_CSRF_BAD);
}

static void csrf_token_malformed(apr_pool_t *p)
{
    const char *bad[] = {"",        ".", "x.y", "123", "123.", "-1.abc", "1234567890123.abc",
                         "12 .abc", NULL};
    for (int i = 0; bad[i]; i++) {
        CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n1", bad[i], NOW, 3600) == SA_CSRF_BAD);
    }
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "n1", NULL, NOW, 3600) == SA_CSRF_BAD);
    const char *t = sa_csrf_token(p, key, sizeof(key), "login", "", NOW);
    CHECK(sa_csrf_check(p, key, sizeof(key), "login", "", t, NOW, 3600) == SA_CSRF_BAD);
}

static void csrf_nonce_signed(apr_pool_t *p)
{
    const char *n = sa_csrf_nonce_new(p, key, sizeof(key));
    CHECK(n != NULL && strchr(n, '.') != NULL);
    CHECK(sa_csrf_nonce_valid(p, key, sizeof(key), n));
    CHECK(!sa_csrf_nonce_valid(p, other_key, sizeof(other_key), n));
    CHECK(strcmp(n, sa_csrf_nonce_new(p, key, sizeof(key))) != 0);
    /* the nonce of the finding, and other client inventions */
    const char *bad[] = {"attacker-fixed-nonce", "", ".", "a.", ".b", "a.b", NULL};
    for (int i = 0; bad[i]; i++) {
        CHECK(!sa_csrf_nonce_valid(p, key, sizeof(key), bad[i]));
    }
    CHECK(!sa_csrf_nonce_valid(p, key, sizeof(key), NULL));
    char *tampered = apr_pstrdup(p, n);
    tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
    CHECK(!sa_csrf_nonce_valid(p, key, sizeof(key), tampered));
}

const unit_test csrf_tests[] = {{"csrf_token_roundtrip", csrf_token_roundtrip},
                                {"csrf_token_expires", csrf_token_expires},
                                {"csrf_token_malformed", csrf_token_malformed},
                                {"csrf_nonce_signed", csrf_nonce_signed},
                                {NULL, NULL}};
