/* One-time passwords and their helpers against published vectors: RFC 4226 Appendix D,
 * RFC 6238 Appendix B (SHA1, SHA256 and SHA512, each with its own seed), RFC 4648 base32,
 * Google's Key Uri Format; then the verification window, replays, the sealing of secrets at
 * rest, recovery codes and the QR code PNG. */
/* Checklist (test/SECURITY.md): SEC-22 hOTP/TOTP RFC conformance, SEC-24 provisioning URI,
 * SEC-27 acceptance window T-1…T+1, SEC-31 seeds protected at rest, never re-displayed, SEC-33
 * lost-device recovery does not bypass the factor. */
#include <string.h>
#include <apr_strings.h>

#include "unit.h"
#include "core/base32.h"
#include "core/qr.h"
#include "core/recovery.h"
#include "core/seal.h"
#include "core/totp.h"

#define SEED20 "12345678901234567890"
#define SEED32 "12345678901234567890123456789012"
#define SEED64 "1234567890123456789012345678901234567890123456789012345678901234"

static const unsigned char *u(const char *s)
{
    return (const unsigned char *)s;
}

static void hotp_rfc4226_appendix_d(apr_pool_t *p)
{
    static const char *const want[] = {"755224", "287082", "359152", "969429", "338314",
                                       "254676", "287922", "162583", "399871", "520489"};
    char code[SA_OTP_MAX_DIGITS + 1];
    (void)p;
    for (unsigned i = 0; i < 10; i++) {
        CHECK(sa_hotp(u(SEED20), 20, SA_OTP_SHA1, i, 6, code) == APR_SUCCESS);
        CHECK_STR(code, want[i]);
    }
    /* the truncated values of the appendix, as 9 digits (mod 10^9 of the 31-bit number) */
    CHECK(sa_hotp(u(SEED20), 20, SA_OTP_SHA1, 0, 9, code) == APR_SUCCESS);
    CHECK_STR(code, "284755224"); /* 1284755224 */
    CHECK(sa_hotp(u(SEED20), 20, SA_OTP_SHA1, 7, 9, code) == APR_SUCCESS);
    CHECK_STR(code, "082162583"); /* 82162583, zero-padded */
    CHECK(sa_hotp(u(SEED20), 20, SA_OTP_SHA1, 0, 5, code) == APR_EINVAL);
    CHECK(sa_hotp(u(SEED20), 20, SA_OTP_SHA1, 0, 10, code) == APR_EINVAL);
}

static void totp_rfc6238_appendix_b(apr_pool_t *p)
{
    static const struct {
        apr_int64_t time;
        const char *sha1, *sha256, *sha512;
    } rows[] = {
        {59, "94287082", "46119246", "90693936"},
        {1111111109, "07081804", "68084774", "25091201"},
        {1111111111, "14050471", "67062674", "99943326"},
        {1234567890, "89005924", "91819424", "93441116"},
        {2000000000, "69279037", "90698825", "38618901"},
        {20000000000LL, "65353130", "77737706", "47863826"}, /* a counter beyond 32 bits */
    };
    char code[SA_OTP_MAX_DIGITS + 1];
    (void)p;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CHECK(sa_totp(u(SEED20), 20, SA_OTP_SHA1, rows[i].time, 30, 8, code) == APR_SUCCESS);
        CHECK_STR(code, rows[i].sha1);
        CHECK(sa_totp(u(SEED32), 32, SA_OTP_SHA256, rows[i].time, 30, 8, code) == APR_SUCCESS);
        CHECK_STR(code, rows[i].sha256);
        CHECK(sa_totp(u(SEED64), 64, SA_OTP_SHA512, rows[i].time, 30, 8, code) == APR_SUCCESS);
        CHECK_STR(code, rows[i].sha512);
        /* the product's 6 digits are the last six */
        CHECK(sa_totp(u(SEED20), 20, SA_OTP_SHA1, rows[i].time, 30, 6, code) == APR_SUCCESS);
        CHECK_STR(code, rows[i].sha1 + 2);
    }
    CHECK(sa_totp_step(59, 30) == 1);
    CHECK(sa_totp_step(20000000000LL, 30) == 0x27BC86AA);
}

static void base32_rfc4648_vectors(apr_pool_t *p)
{
    static const char *const padded[] = {
        "", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB", "MZXW6YTBOI======"};
    const char *foobar = "foobar";
    for (apr_size_t n = 0; n <= 6; n++) {
        unsigned char *out = NULL;
        apr_size_t len = 99;
        CHECK_STR(sa_base32_encode(p, u(foobar), n, 1), padded[n]);
        CHECK(sa_base32_decode(p, padded[n], &out, &len) == APR_SUCCESS);
        CHECK(len == n && memcmp(out, foobar, n) == 0);
        /* without padding and in lower case, as in otpauth URIs and typed by hand */
        char *lower = apr_pstrdup(p, sa_base32_encode(p, u(foobar), n, 0));
        CHECK(strchr(lower, '=') == NULL);
        for (char *c = lower; *c; c++) {
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        }
        CHECK(sa_base32_decode(p, lower, &out, &len) == APR_SUCCESS);
        CHECK(len == n && memcmp(out, foobar, n) == 0);
    }
    CHECK_STR(sa_base32_encode(p, u(SEED20), 20, 0), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void base32_refuses_garbage(apr_pool_t *p)
{
    unsigned char *out;
    apr_size_t len;
    CHECK(sa_base32_decode(p, "MZXW6Y1B", &out, &len) == APR_EINVAL); /* 1 is not base32 */
    CHECK(sa_base32_decode(p, "MZX", &out, &len) == APR_EINVAL);      /* no encoder ends so */
    CHECK(sa_base32_decode(p, "MY==MY==", &out, &len) == APR_EINVAL); /* data after padding */
    CHECK(sa_base32_decode(p, "MZXW 6YTB", &out, &len) == APR_SUCCESS && len == 5);
    CHECK_STR(sa_base32_grouped(p, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
              "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
    CHECK_STR(sa_base32_grouped(p, "ABCDEF"), "ABCD EF");
}

static void key_uri_format(apr_pool_t *p)
{
    /* Google's wiki: JBSWY3DPEHPK3PXP is "Hello!" followed by DE AD BE EF */
    const unsigned char hello[] = {'H', 'e', 'l', 'l', 'o', '!', 0xde, 0xad, 0xbe, 0xef};
    CHECK_STR(sa_totp_uri(p, "Example", "alice@google.com", hello, sizeof(hello)),
              "otpauth://totp/Example:alice%40google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example");
    CHECK_STR(sa_totp_uri(p, "ACME Co", "john.doe", hello, sizeof(hello)),
              "otpauth://totp/ACME%20Co:john.doe?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co");
    /* UTF-8 issuer, a colon in the account (forbidden by the format), & and = escaped */
    CHECK_STR(
        sa_totp_uri(p, "Séances", "a:b&c=d", hello, sizeof(hello)),
        "otpauth://totp/S%C3%A9ances:a_b%26c%3Dd?secret=JBSWY3DPEHPK3PXP&issuer=S%C3%A9ances");
    /* a 20-byte secret: 32 characters, no padding */
    const char *uri = sa_totp_uri(p, "X", "y", u(SEED20), 20);
    CHECK(strstr(uri, "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&") != NULL);
    CHECK(strchr(uri, '=') != NULL && strstr(uri, "==") == NULL);
}

static void verify_window_and_replay(apr_pool_t *p)
{
    char at[5][SA_OTP_MAX_DIGITS + 1];
    const apr_int64_t now = 1111111111; /* step 37037037 */
    const apr_int64_t step = sa_totp_step(now, 30);
    apr_int64_t matched = 0;
    (void)p;
    for (int i = 0; i < 5; i++) { /* steps now-2 .. now+2 */
        CHECK(sa_hotp(u(SEED20), 20, SA_OTP_SHA1, (apr_uint64_t)(step - 2 + i), 6, at[i]) ==
              APR_SUCCESS);
    }
    CHECK(sa_totp_verify(u(SEED20), 20, at[2], now, 0, &matched) == SA_TOTP_MATCH);
    CHECK(matched == step);
    CHECK(sa_totp_verify(u(SEED20), 20, at[1], now, 0, &matched) == SA_TOTP_MATCH);
    CHECK(matched == step - 1);
    CHECK(sa_totp_verify(u(SEED20), 20, at[3], now, 0, &matched) == SA_TOTP_MATCH);
    CHECK(matched == step + 1);
    CHECK(sa_totp_verify(u(SEED20), 20, at[0], now, 0, &matched) == SA_TOTP_WRONG);
    CHECK(sa_totp_verify(u(SEED20), 20, at[4], now, 0, &matched) == SA_TOTP_WRONG);
    /* once step was accepted, its code and older ones are replays; the next one is fine */
    CHECK(sa_totp_verify(u(SEED20), 20, at[2], now, step, &matched) == SA_TOTP_REPLAY);
    CHECK(sa_totp_verify(u(SEED20), 20, at[1], now, step, &matched) == SA_TOTP_REPLAY);
    CHECK(sa_totp_verify(u(SEED20), 20, at[3], now, step, &matched) == SA_TOTP_MATCH);
    CHECK(sa_totp_verify(u(SEED20), 20, "000000", now, 0, &matched) == SA_TOTP_WRONG ||
          strcmp(at[1], "000000") == 0 || strcmp(at[2], "000000") == 0 ||
          strcmp(at[3], "000000") == 0);
    CHECK(sa_totp_verify(u(SEED20), 20, "12345", now, 0, &matched) == SA_TOTP_WRONG);
    CHECK(sa_totp_verify(u(SEED20), 20, NULL, now, 0, &matched) == SA_TOTP_WRONG);
    /* another secret does not produce these codes */
    CHECK(sa_totp_verify(u("abcdefghijabcdefghij"), 20, at[2], now, 0, &matched) != SA_TOTP_MATCH);
}

static void normalise_typed_codes(apr_pool_t *p)
{
    CHECK_STR(sa_totp_normalise(p, "123456"), "123456");
    CHECK_STR(sa_totp_normalise(p, " 123 456 "), "123456");
    CHECK(sa_totp_normalise(p, "12345") == NULL);
    CHECK(sa_totp_normalise(p, "1234567") == NULL);
    CHECK(sa_totp_normalise(p, "12345a") == NULL);
    CHECK(sa_totp_normalise(p, "") == NULL);
    CHECK(sa_totp_normalise(p, NULL) == NULL);
}

static apr_array_header_t *passphrases(apr_pool_t *p, const char *first, const char *second)
{
    apr_array_header_t *a = apr_array_make(p, 2, sizeof(const char *));
    *(const char **)apr_array_push(a) = first;
    if (second) {
        *(const char **)apr_array_push(a) = second;
    }
    return a;
}

static void seal_round_trip_and_rotation(apr_pool_t *p)
{
    sa_seal_keys *old_keys, *new_keys, *other;
    const char *sealed, *again;
    unsigned char *plain = NULL;
    apr_size_t len = 0;
    int index = -1;
    CHECK(sa_seal_keys_derive(p, passphrases(p, "older-passphrase-0123456789", NULL), &old_keys) ==
          APR_SUCCESS);
    CHECK(sa_seal_keys_derive(
              p, passphrases(p, "newer-passphrase-0123456789", "older-passphrase-0123456789"),
              &new_keys) == APR_SUCCESS);
    CHECK(sa_seal_keys_derive(p, passphrases(p, "unrelated-passphrase-01234", NULL), &other) ==
          APR_SUCCESS);
    CHECK(sa_seal(p, old_keys, "totp:7", u(SEED20), 20, &sealed) == APR_SUCCESS);
    CHECK(strncmp(sealed, "s1.", 3) == 0);
    CHECK(strstr(sealed, "GEZDGNBV") == NULL && strstr(sealed, SEED20) == NULL);
    CHECK(sa_unseal(p, old_keys, "totp:7", sealed, &plain, &len, &index) == APR_SUCCESS);
    CHECK(len == 20 && memcmp(plain, SEED20, 20) == 0 && index == 0);
    /* after a rotation the old passphrase, now second, still opens it */
    CHECK(sa_unseal(p, new_keys, "totp:7", sealed, &plain, &len, &index) == APR_SUCCESS);
    CHECK(len == 20 && memcmp(plain, SEED20, 20) == 0 && index == 1);
    CHECK(sa_unseal(p, other, "totp:7", sealed, &plain, &len, &index) == APR_EINVAL);
    /* a random nonce: sealing twice gives two different texts */
    CHECK(sa_seal(p, old_keys, "totp:7", u(SEED20), 20, &again) == APR_SUCCESS);
    CHECK(strcmp(sealed, again) != 0);
}

static void seal_refuses_tampering(apr_pool_t *p)
{
    sa_seal_keys *keys;
    const char *sealed;
    unsigned char *plain;
    apr_size_t len;
    CHECK(sa_seal_keys_derive(p, passphrases(p, "test-passphrase-0123456789abcdef", NULL), &keys) ==
          APR_SUCCESS);
    CHECK(sa_seal(p, keys, "totp:7", u(SEED20), 20, &sealed) == APR_SUCCESS);
    /* the row of another user: the context (associated data) differs */
    CHECK(sa_unseal(p, keys, "totp:8", sealed, &plain, &len, NULL) == APR_EINVAL);
    /* every character of the base64 changed in turn */
    int opened = 0;
    for (size_t i = 3; sealed[i] && sealed[i] != '='; i++) {
        char *bad = apr_pstrdup(p, sealed);
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        opened += sa_unseal(p, keys, "totp:7", bad, &plain, &len, NULL) == APR_SUCCESS;
    }
    CHECK(opened == 0);
    CHECK(sa_unseal(p, keys, "totp:7", "s1.", &plain, &len, NULL) == APR_EINVAL);
    CHECK(sa_unseal(p, keys, "totp:7", "", &plain, &len, NULL) == APR_EINVAL);
    CHECK(sa_unseal(p, keys, "totp:7", sealed + 3, &plain, &len, NULL) == APR_EINVAL);
    CHECK(sa_unseal(p, keys, "totp:7", apr_pstrndup(p, sealed, strlen(sealed) - 8), &plain, &len,
                    NULL) == APR_EINVAL);
}

static void recovery_codes(apr_pool_t *p)
{
    const char **codes = NULL;
    CHECK(sa_recovery_generate(p, SA_RECOVERY_COUNT, &codes) == APR_SUCCESS);
    for (int i = 0; i < SA_RECOVERY_COUNT; i++) {
        CHECK(codes[i] && strlen(codes[i]) == 19 && codes[i][4] == '-' && codes[i][14] == '-');
        const char *n = sa_recovery_normalise(p, codes[i]);
        CHECK(n && strlen(n) == 16);
        for (int j = 0; j < i; j++) {
            CHECK(strcmp(codes[i], codes[j]) != 0);
        }
    }
    CHECK(codes[SA_RECOVERY_COUNT] == NULL);
    CHECK_STR(sa_recovery_normalise(p, "abcd efgh-ijkl mnop"), "ABCDEFGHIJKLMNOP");
    CHECK_STR(sa_recovery_normalise(p, "0BCD-EFGH-1JKL-MN8P"), "OBCDEFGHIJKLMNBP");
    CHECK(sa_recovery_normalise(p, "ABCD-EFGH-IJKL-MNO") == NULL);
    CHECK(sa_recovery_normalise(p, "ABCD-EFGH-IJKL-MNOPQ") == NULL);
    CHECK(sa_recovery_normalise(p, "ABCD-EFGH-IJKL-MN9P") == NULL);
    CHECK(sa_recovery_normalise(p, "123456") == NULL);
    const char *h1 = sa_recovery_hash(p, 1, "ABCDEFGHIJKLMNOP");
    CHECK(h1 && strlen(h1) == 64);
    CHECK(strcmp(h1, sa_recovery_hash(p, 2, "ABCDEFGHIJKLMNOP")) != 0);
    CHECK_STR(h1, sa_recovery_hash(p, 1, "ABCDEFGHIJKLMNOP"));
}

static void qr_png_is_a_png(apr_pool_t *p)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const unsigned char *png = NULL;
    apr_size_t len = 0;
    const char *uri = sa_totp_uri(p, "Séances", "alice", u(SEED20), 20);
    CHECK(sa_qr_png(p, uri, &png, &len) == APR_SUCCESS);
    CHECK(len > 100 && memcmp(png, signature, 8) == 0);
    /* IHDR: a square, 1-bit greyscale */
    CHECK(memcmp(png + 12, "IHDR", 4) == 0);
    CHECK(memcmp(png + 16, png + 20, 4) == 0);
    CHECK(png[24] == 1 && png[25] == 0);
    CHECK(memcmp(png + len - 8, "IEND", 4) == 0);
    char *huge = apr_palloc(p, 5000);
    memset(huge, 'x', 4999);
    huge[4999] = '\0';
    CHECK(sa_qr_png(p, huge, &png, &len) == APR_EINVAL);
    CHECK(sa_qr_png(p, "", &png, &len) == APR_EINVAL);
}

UNIT_SUITE(totp_tests) = {{"hotp_rfc4226_appendix_d", hotp_rfc4226_appendix_d},
                          {"totp_rfc6238_appendix_b", totp_rfc6238_appendix_b},
                          {"base32_rfc4648_vectors", base32_rfc4648_vectors},
                          {"base32_refuses_garbage", base32_refuses_garbage},
                          {"key_uri_format", key_uri_format},
                          {"verify_window_and_replay", verify_window_and_replay},
                          {"normalise_typed_codes", normalise_typed_codes},
                          {"seal_round_trip_and_rotation", seal_round_trip_and_rotation},
                          {"seal_refuses_tampering", seal_refuses_tampering},
                          {"recovery_codes", recovery_codes},
                          {"qr_png_is_a_png", qr_png_is_a_png},
                          {NULL, NULL}};
