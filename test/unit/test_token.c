/* Tokens, digests and comparisons: published vectors where they exist (FIPS 180-2, RFC 4231,
 * RFC 4648), properties where the output is random. */
/* Checklist (test/SECURITY.md): SEC-80 constant-time comparisons. */
#include <string.h>

#include "unit.h"
#include "core/token.h"

static void token_sha256_vectors(apr_pool_t *p)
{
    /* FIPS 180-2, appendix B.1 */
    CHECK_STR(sa_sha256_hex(p, "abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_STR(sa_sha256_hex(p, ""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sa_sha256_hex(p, NULL) == NULL);
}

static void token_hmac_rfc4231_case2(apr_pool_t *p)
{
    /* RFC 4231 test case 2: HMAC-SHA-256 = 5bdcc146bf60754e6a042426089575c7
     * 5a003f089d2739839dec58b964ec3843, here in base64url without padding. */
    const unsigned char key[] = "Jefe";
    CHECK_STR(sa_hmac_b64url(p, key, 4, "what do ya want for nothing?"),
              "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
    /* A different key or message must give a different MAC. */
    const unsigned char other[] = "Jeff";
    CHECK(strcmp(sa_hmac_b64url(p, other, 4, "what do ya want for nothing?"),
                 "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM") != 0);
    CHECK(strcmp(sa_hmac_b64url(p, key, 4, "what do ya want for nothing!"),
                 "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM") != 0);
}

static void token_b64url_rfc4648(apr_pool_t *p)
{
    /* RFC 4648 section 10, without the padding. */
    const unsigned char *foobar = (const unsigned char *)"foobar";
    CHECK_STR(sa_b64url(p, foobar, 0), "");
    CHECK_STR(sa_b64url(p, foobar, 1), "Zg");
    CHECK_STR(sa_b64url(p, foobar, 2), "Zm8");
    CHECK_STR(sa_b64url(p, foobar, 3), "Zm9v");
    CHECK_STR(sa_b64url(p, foobar, 4), "Zm9vYg");
    CHECK_STR(sa_b64url(p, foobar, 5), "Zm9vYmE");
    CHECK_STR(sa_b64url(p, foobar, 6), "Zm9vYmFy");
    /* The URL alphabet: '+' and '/' of standard base64 become '-' and '_'. */
    const unsigned char high[] = {0xfb, 0xff, 0xbf};
    CHECK_STR(sa_b64url(p, high, 3), "-_-_");
    CHECK_STR(sa_b64url(p, high, 2), "-_8");
}

static int only_b64url_chars(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
           strlen(s);
}

static void token_new_is_random_b64url(apr_pool_t *p)
{
    const char *a = sa_token_new(p, 32);
    const char *b = sa_token_new(p, 32);
    CHECK(a != NULL && b != NULL);
    if (!a || !b) {
        return;
    }
    CHECK(strlen(a) == 43);
    CHECK(only_b64url_chars(a));
    CHECK(strcmp(a, b) != 0);
    CHECK(strlen(sa_token_new(p, 16)) == 22);
    CHECK_STR(sa_token_new(p, 0), "");

    unsigned char buf[64] = {0};
    unsigned char zero[64] = {0};
    CHECK(sa_random_bytes(buf, sizeof(buf)) == APR_SUCCESS);
    CHECK(memcmp(buf, zero, sizeof(buf)) != 0);
}

/* The fastest of several runs of n comparisons, in microseconds. */
static apr_interval_time_t time_compares(const char *a, const char *b, int n)
{
    apr_interval_time_t best = -1;
    volatile int sink = 0;
    for (int round = 0; round < 7; round++) {
        apr_time_t t0 = apr_time_now();
        for (int i = 0; i < n; i++) {
            sink += sa_ct_streq(a, b);
        }
        apr_interval_time_t took = apr_time_now() - t0;
        best = best < 0 || took < best ? took : best;
    }
    (void)sink;
    return best;
}

/* Differing in the first byte or in the last takes the same time: an early-exit comparison
 * (strcmp, memcmp) would answer the first in nanoseconds and the second in a whole pass. */
static void token_ct_streq_timing(apr_pool_t *p)
{
    const apr_size_t len = 1 << 20;
    char *secret = apr_palloc(p, len + 1), *first = apr_palloc(p, len + 1);
    char *last = apr_palloc(p, len + 1);
    memset(secret, 'k', len);
    secret[len] = '\0';
    memcpy(first, secret, len + 1);
    memcpy(last, secret, len + 1);
    first[0] = 'x';
    last[len - 1] = 'x';
    apr_interval_time_t t_first = time_compares(secret, first, 20);
    apr_interval_time_t t_last = time_compares(secret, last, 20);
    CHECK(t_last > 0);
    if (t_last > 0) {
        double ratio = (double)t_first / (double)t_last;
        if (ratio < 0.5 || ratio > 2.0) {
            fprintf(stderr, "  first byte %ld us, last byte %ld us\n", (long)t_first, (long)t_last);
        }
        CHECK(ratio >= 0.5 && ratio <= 2.0);
    }
}

static void token_ct_streq(apr_pool_t *p)
{
    (void)p;
    CHECK(sa_ct_streq("abc", "abc") == 1);
    CHECK(sa_ct_streq("", "") == 1);
    CHECK(sa_ct_streq("abc", "abd") == 0);
    CHECK(sa_ct_streq("xbc", "abc") == 0);
    CHECK(sa_ct_streq("abc", "abcd") == 0);
    CHECK(sa_ct_streq("abcd", "abc") == 0);
    CHECK(sa_ct_streq("", "a") == 0);
    CHECK(sa_ct_streq(NULL, "a") == 0);
    CHECK(sa_ct_streq("a", NULL) == 0);
    CHECK(sa_ct_streq(NULL, NULL) == 0);
}

static void token_wipe(apr_pool_t *p)
{
    (void)p;
    unsigned char buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    sa_wipe(buf, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++) {
        CHECK(buf[i] == 0);
    }
    char secret[] = "hunter2";
    sa_wipe_str(secret);
    for (size_t i = 0; i < sizeof(secret); i++) {
        CHECK(secret[i] == '\0');
    }
    sa_wipe_str(NULL);
    sa_wipe(NULL, 4);
}

UNIT_SUITE(token_tests) = {
    {"token_sha256_vectors", token_sha256_vectors},
    {"token_hmac_rfc4231_case2", token_hmac_rfc4231_case2},
    {"token_b64url_rfc4648", token_b64url_rfc4648},
    {"token_new_is_random_b64url", token_new_is_random_b64url},
    {"token_ct_streq", token_ct_streq},
    {"token_ct_streq_timing", token_ct_streq_timing},
    {"token_wipe", token_wipe},
    {NULL, NULL},
};
