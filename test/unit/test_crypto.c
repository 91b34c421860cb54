/* mod_session_crypto cookies: the fixed vectors from session-crypto-vectors.txt (which the real
 * Apache 2.4.71 accepted), round trips, tampering, and the PBKDF2 key cache. */
/* Checklist (test/SECURITY.md): SEC-38 mod_session_crypto wire compatibility, SEC-39 integrity
 * before decryption; one failure path, SEC-42 keys and ciphers, SEC-79 every secret from the
 * CSPRNG, SEC-86 thread safety and isolation. */
#include <stdlib.h>
#include <apr_base64.h>
#include <apr_md5.h>
#include <apr_siphash.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <openssl/evp.h>
#include "unit.h"
#include "core/crypto.h"

#define PASS "correct horse battery"
#define PLAIN "seances-user=alice&seances-pw=s3cret-pw"

#define COOKIE_AES256                                                                              \
    "8LzUu1qFLFEAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eH8TwLwDR5vhWAGNANx88Rh1cqixwWi+q3/"       \
    "TWcETXtuVAPQ9UaRB7POtuvdb8d6S7zQ=="
#define COOKIE_AES128                                                                              \
    "Y8r1kWRlYagAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eH7FMk86+cT/"                              \
    "0j7LUnbdD2h5/utLDd3Jou4soyqCjkVIfADt5JBTSDdDW1TeTB73ohA=="
#define COOKIE_3DES192                                                                             \
    "mqVFM5Hnl8YAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhccNpTgKQkhFQk2nDWak9jpuHr85tdwCYfUvXVAchFC5EOuswez" \
    "Oxtr"

static const unsigned char vector_salt[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const unsigned char vector_iv[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                                            0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
static const char *const vector_md5_hex = "88e4ddd2402d92d50e1879d6ecd9ffd4";
static const char *const vector_aes256_key_hex =
    "42fa6beb070ca807ff83c5acc139cf6c74ff21f69b6fc6dab54840c5466e1a31";

static const sa_cipher all_ciphers[] = {SA_CIPHER_AES256, SA_CIPHER_AES192, SA_CIPHER_AES128,
                                        SA_CIPHER_3DES192};

/* ---- helpers ---- */

static sa_crypto *make_crypto(apr_pool_t *p, sa_cipher cipher, const char *first,
                              const char *second)
{
    apr_array_header_t *list = apr_array_make(p, 2, sizeof(const char *));
    sa_crypto *c = NULL;
    APR_ARRAY_PUSH(list, const char *) = first;
    if (second) {
        APR_ARRAY_PUSH(list, const char *) = second;
    }
    CHECK(sa_crypto_create(p, cipher, list, &c) == APR_SUCCESS);
    return c;
}

static int decrypts_to(sa_crypto *c, apr_pool_t *p, const char *cookie, const char *want)
{
    const char *got = NULL;
    return sa_crypto_decrypt(c, p, cookie, &got) == APR_SUCCESS && got && strcmp(got, want) == 0;
}

static int decrypt_fails(sa_crypto *c, apr_pool_t *p, const char *cookie)
{
    const char *got = "unchanged";
    return sa_crypto_decrypt(c, p, cookie, &got) == APR_EINVAL && got == NULL;
}

static unsigned char *cookie_bytes(apr_pool_t *p, const char *cookie, int *len)
{
    unsigned char *raw = apr_palloc(p, (apr_size_t)apr_base64_decode_len(cookie));
    *len = apr_base64_decode_binary(raw, cookie);
    return raw;
}

static const char *bytes_cookie(apr_pool_t *p, const unsigned char *raw, int len)
{
    char *out = apr_palloc(p, (apr_size_t)apr_base64_encode_len(len));
    apr_base64_encode_binary(out, raw, len);
    return out;
}

static void hex_to_bytes(const char *hex, unsigned char *out)
{
    for (size_t i = 0; hex[2 * i]; i++) {
        char pair[3] = {hex[2 * i], hex[2 * i + 1], '\0'};
        out[i] = (unsigned char)strtoul(pair, NULL, 16);
    }
}

/* Builds a cookie independently of sa_crypto, from the vector's MD5 and PBKDF2 values, so the
 * test can put bytes into the plaintext that the API cannot (a NUL). */
static const char *hand_made_aes256_cookie(apr_pool_t *p, const unsigned char *plain, int len)
{
    unsigned char key[32], mac_key[16], raw[256];
    int ct_len = 0, tail = 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    hex_to_bytes(vector_aes256_key_hex, key);
    hex_to_bytes(vector_md5_hex, mac_key);
    memcpy(raw + 8, vector_salt, 16);
    memcpy(raw + 24, vector_iv, 16);
    CHECK(EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, vector_iv) == 1);
    CHECK(EVP_EncryptUpdate(ctx, raw + 40, &ct_len, plain, len) == 1);
    CHECK(EVP_EncryptFinal_ex(ctx, raw + 40 + ct_len, &tail) == 1);
    EVP_CIPHER_CTX_free(ctx);
    apr_siphash24_auth(raw, raw + 8, (apr_size_t)(32 + ct_len + tail), mac_key);
    return bytes_cookie(p, raw, 40 + ct_len + tail);
}

static apr_size_t expected_cookie_len(sa_cipher cipher, apr_size_t plaintext_len)
{
    apr_size_t block = cipher == SA_CIPHER_3DES192 ? 8 : 16;
    apr_size_t raw = 24 + block + (plaintext_len / block + 1) * block;
    return (raw + 2) / 3 * 4;
}

/* ---- cipher names ---- */

static void crypto_cipher_names(apr_pool_t *p)
{
    static const char *const names[] = {"aes256", "aes192", "aes128", "3des192"};
    sa_cipher c = SA_CIPHER_AES128;
    (void)p;
    for (int i = 0; i < 4; i++) {
        CHECK(sa_cipher_from_name(names[i], &c) == 0);
        CHECK(c == all_ciphers[i]);
        CHECK_STR(sa_cipher_name(all_ciphers[i]), names[i]);
    }
    CHECK(sa_cipher_from_name("AES256", &c) == -1);
    CHECK(sa_cipher_from_name("aes", &c) == -1);
    CHECK(sa_cipher_from_name("", &c) == -1);
    CHECK(sa_cipher_from_name(NULL, &c) == -1);
    CHECK(sa_cipher_name((sa_cipher)42) == NULL);
}

static void crypto_create_rejects_bad_arguments(apr_pool_t *p)
{
    apr_array_header_t *list = apr_array_make(p, 2, sizeof(const char *));
    sa_crypto *c = (sa_crypto *)&c;
    CHECK(sa_crypto_create(p, SA_CIPHER_AES256, list, &c) == APR_EINVAL);
    CHECK(c == NULL);
    APR_ARRAY_PUSH(list, const char *) = NULL;
    CHECK(sa_crypto_create(p, SA_CIPHER_AES256, list, &c) == APR_EINVAL);
    APR_ARRAY_IDX(list, 0, const char *) = PASS;
    CHECK(sa_crypto_create(p, (sa_cipher)9, list, &c) == APR_EINVAL);
    CHECK(sa_crypto_create(p, SA_CIPHER_AES256, list, &c) == APR_SUCCESS);
    CHECK(c != NULL);
}

/* ---- fixed vectors ---- */

static void check_vector(apr_pool_t *p, sa_cipher cipher, const char *want)
{
    sa_crypto *c = make_crypto(p, cipher, PASS, NULL);
    const char *cookie = NULL;
    CHECK(sa_crypto_encrypt_with(c, p, PLAIN, vector_salt, vector_iv, &cookie) == APR_SUCCESS);
    CHECK_STR(cookie, want);
    CHECK(decrypts_to(c, p, want, PLAIN));
}

static void crypto_vector_aes256(apr_pool_t *p)
{
    check_vector(p, SA_CIPHER_AES256, COOKIE_AES256);
}

static void crypto_vector_aes128(apr_pool_t *p)
{
    check_vector(p, SA_CIPHER_AES128, COOKIE_AES128);
}

static void crypto_vector_3des192(apr_pool_t *p)
{
    check_vector(p, SA_CIPHER_3DES192, COOKIE_3DES192);
}

static void crypto_vector_intermediates(apr_pool_t *p)
{
    /* The hand-made cookie uses the published MD5 and PBKDF2 key, so equality with the vector
     * cookie pins both intermediate values. */
    unsigned char md5[APR_MD5_DIGESTSIZE], want_md5[APR_MD5_DIGESTSIZE];
    CHECK(apr_md5(md5, PASS, strlen(PASS)) == APR_SUCCESS);
    hex_to_bytes(vector_md5_hex, want_md5);
    CHECK(memcmp(md5, want_md5, sizeof(md5)) == 0);
    CHECK_STR(hand_made_aes256_cookie(p, (const unsigned char *)PLAIN, (int)strlen(PLAIN)),
              COOKIE_AES256);
}

/* ---- round trips ---- */

static void crypto_aes192_round_trip(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES192, PASS, NULL);
    const char *cookie = NULL;
    CHECK(sa_crypto_encrypt(c, p, PLAIN, &cookie) == APR_SUCCESS);
    CHECK(cookie && strlen(cookie) == 120);
    CHECK(decrypts_to(c, p, cookie, PLAIN));
    CHECK(sa_crypto_encrypt_with(c, p, PLAIN, vector_salt, vector_iv, &cookie) == APR_SUCCESS);
    CHECK(cookie && strlen(cookie) == 120);
    CHECK(decrypts_to(c, p, cookie, PLAIN));
    /* aes192 and aes256 share salt, IV and MAC key but not the key. */
    CHECK(cookie && strcmp(cookie, COOKIE_AES256) != 0);
}

static void crypto_round_trip_all_ciphers_and_lengths(apr_pool_t *p)
{
    static const char *const texts[] = {"",
                                        "a",
                                        "exactly 15 byte",
                                        "exactly 16 bytes",
                                        "exactly 17 bytes!",
                                        "expiry=1795542929000237&seances-user=alice&seances-pw=s3"
                                        "cret-pw&x=Zo%c3%ab+%26+co&y=" PLAIN};
    for (int i = 0; i < 4; i++) {
        sa_crypto *c = make_crypto(p, all_ciphers[i], PASS, NULL);
        for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
            const char *cookie = NULL;
            CHECK(sa_crypto_encrypt(c, p, texts[t], &cookie) == APR_SUCCESS);
            CHECK(cookie &&
                  strlen(cookie) == expected_cookie_len(all_ciphers[i], strlen(texts[t])));
            CHECK(decrypts_to(c, p, cookie, texts[t]));
        }
    }
}

static void crypto_encrypt_uses_fixed_salt_and_fresh_iv(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    sa_crypto *other_child = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    const char *one = NULL, *two = NULL, *three = NULL;
    unsigned char want_salt[32];
    int n1, n2, n3;
    const unsigned char *r1, *r2, *r3;

    CHECK(sa_crypto_encrypt(c, p, PLAIN, &one) == APR_SUCCESS);
    CHECK(sa_crypto_encrypt(c, p, PLAIN, &two) == APR_SUCCESS);
    CHECK(sa_crypto_encrypt(other_child, p, PLAIN, &three) == APR_SUCCESS);
    CHECK(one && two && three && strcmp(one, two) != 0);
    r1 = cookie_bytes(p, one, &n1);
    r2 = cookie_bytes(p, two, &n2);
    r3 = cookie_bytes(p, three, &n3);
    CHECK(n1 == 88 && n2 == 88 && n3 == 88);
    CHECK(memcmp(r1 + 24, r2 + 24, 16) != 0);
    /* The write salt is SHA-256("mod_seances_auth write salt\0" || passphrase)[0..16). */
    CHECK(EVP_Digest("mod_seances_auth write salt\0" PASS,
                     sizeof("mod_seances_auth write salt\0" PASS) - 1, want_salt, NULL,
                     EVP_sha256(), NULL) == 1);
    CHECK(memcmp(r1 + 8, want_salt, 16) == 0);
    CHECK(memcmp(r2 + 8, want_salt, 16) == 0);
    CHECK(memcmp(r3 + 8, want_salt, 16) == 0);
    CHECK(decrypts_to(c, p, three, PLAIN));
    CHECK(decrypts_to(other_child, p, one, PLAIN));
}

/* ---- passphrases ---- */

static void crypto_two_passphrases(apr_pool_t *p)
{
    sa_crypto *both = make_crypto(p, SA_CIPHER_AES256, PASS, "second-secret");
    sa_crypto *first_only = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    sa_crypto *second_only = make_crypto(p, SA_CIPHER_AES256, "second-secret", NULL);
    sa_crypto *stranger = make_crypto(p, SA_CIPHER_AES256, "not-configured", NULL);
    const char *from_both = NULL, *from_second = NULL, *from_stranger = NULL;

    CHECK(sa_crypto_encrypt(both, p, "a=1", &from_both) == APR_SUCCESS);
    CHECK(sa_crypto_encrypt(second_only, p, "a=2", &from_second) == APR_SUCCESS);
    CHECK(sa_crypto_encrypt(stranger, p, "a=3", &from_stranger) == APR_SUCCESS);
    CHECK(decrypts_to(first_only, p, from_both, "a=1"));
    CHECK(decrypt_fails(second_only, p, from_both));
    CHECK(decrypts_to(both, p, from_second, "a=2"));
    CHECK(decrypt_fails(both, p, from_stranger));
}

static void crypto_vector_read_with_second_passphrase(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, "second-secret", PASS);
    CHECK(decrypts_to(c, p, COOKIE_AES256, PLAIN));
}

/* ---- tampering and malformed input ---- */

static void crypto_every_byte_flip_fails(apr_pool_t *p)
{
    static const unsigned char masks[] = {0x01, 0x80, 0xff};
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    unsigned long runs = sa_crypto_pbkdf2_count(c);
    int len = 0;
    unsigned char *raw = cookie_bytes(p, COOKIE_AES256, &len);
    CHECK(len == 88);
    for (int i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof(masks); m++) {
            raw[i] ^= masks[m];
            CHECK(decrypt_fails(c, p, bytes_cookie(p, raw, len)));
            raw[i] ^= masks[m];
        }
    }
    /* Every flip was caught by the MAC, before any key derivation. */
    CHECK(sa_crypto_pbkdf2_count(c) == runs);
    CHECK(decrypts_to(c, p, bytes_cookie(p, raw, len), PLAIN));
}

static void crypto_truncated_values_fail(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    size_t len = strlen(COOKIE_AES256);
    for (size_t n = 0; n + 2 < len; n++) {
        CHECK(decrypt_fails(c, p, apr_pstrndup(p, COOKIE_AES256, n)));
    }
    int raw_len = 0;
    unsigned char *raw = cookie_bytes(p, COOKIE_AES256, &raw_len);
    for (int n = 0; n < raw_len; n++) {
        CHECK(decrypt_fails(c, p, bytes_cookie(p, raw, n)));
    }
}

static void crypto_garbage_fails(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    unsigned char zeros[88] = {0};
    CHECK(decrypt_fails(c, p, ""));
    CHECK(decrypt_fails(c, p, NULL));
    CHECK(decrypt_fails(c, p, "AAAA"));
    CHECK(decrypt_fails(c, p, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"));
    CHECK(decrypt_fails(c, p, "not base64 at all, just a sentence that is long enough"));
    CHECK(decrypt_fails(c, p, bytes_cookie(p, zeros, 23)));
    CHECK(decrypt_fails(c, p, bytes_cookie(p, zeros, 24)));
    CHECK(decrypt_fails(c, p, bytes_cookie(p, zeros, 56)));
    CHECK(decrypt_fails(c, p, bytes_cookie(p, zeros, 88)));
    CHECK(decrypt_fails(c, p, "%2B" COOKIE_AES256));
}

static void crypto_url_encoded_value_fails(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    const char *encoded = COOKIE_AES256;
    char *url = apr_palloc(p, strlen(encoded) * 3 + 1), *out = url;
    for (const char *in = encoded; *in; in++) {
        const char *esc = *in == '+' ? "%2B" : *in == '/' ? "%2F" : *in == '=' ? "%3D" : NULL;
        if (esc) {
            memcpy(out, esc, 3);
            out += 3;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    CHECK(strstr(url, "%2B") != NULL);
    CHECK(decrypt_fails(c, p, url));
}

static void crypto_lenient_base64_like_apache(apr_pool_t *p)
{
    sa_crypto *c256 = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    sa_crypto *c128 = make_crypto(p, SA_CIPHER_AES128, PASS, NULL);
    size_t len = strlen(COOKIE_AES256);
    CHECK(decrypts_to(c256, p, apr_pstrndup(p, COOKIE_AES256, len - 2), PLAIN));
    CHECK(decrypts_to(c256, p, apr_pstrndup(p, COOKIE_AES256, len - 1), PLAIN));
    CHECK(decrypts_to(c128, p, apr_pstrndup(p, COOKIE_AES128, strlen(COOKIE_AES128) - 2), PLAIN));
    CHECK(decrypts_to(c256, p, COOKIE_AES256 "  ", PLAIN));
    CHECK(decrypts_to(c256, p, COOKIE_AES256 ";path=/", PLAIN));
}

static void crypto_oversized_value_is_refused(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    size_t len = strlen(COOKIE_AES256);
    char *padded = apr_palloc(p, SA_CRYPTO_MAX_COOKIE + 2);
    memcpy(padded, COOKIE_AES256, len);
    memset(padded + len, ' ', SA_CRYPTO_MAX_COOKIE - len);
    padded[SA_CRYPTO_MAX_COOKIE] = '\0';
    CHECK(decrypts_to(c, p, padded, PLAIN));
    padded[SA_CRYPTO_MAX_COOKIE] = ' ';
    padded[SA_CRYPTO_MAX_COOKIE + 1] = '\0';
    CHECK(decrypt_fails(c, p, padded));
    char *huge = apr_palloc(p, 100001);
    memset(huge, 'A', 100000);
    huge[100000] = '\0';
    CHECK(decrypt_fails(c, p, huge));
}

static void crypto_encrypt_refuses_what_no_reader_accepts(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    char *big = apr_palloc(p, 20001);
    const char *cookie = "unchanged";
    memset(big, 'x', 20000);
    big[20000] = '\0';
    CHECK(sa_crypto_encrypt(c, p, big, &cookie) == APR_EINVAL);
    CHECK(cookie == NULL);
    /* 6095 bytes give 6136 raw bytes, 8184 characters; 6096 would give 8204. */
    big[6095] = '\0';
    CHECK(sa_crypto_encrypt(c, p, big, &cookie) == APR_SUCCESS);
    CHECK(cookie && strlen(cookie) == 8184);
    CHECK(decrypts_to(c, p, cookie, big));
    big[6095] = 'x';
    big[6096] = '\0';
    CHECK(sa_crypto_encrypt(c, p, big, &cookie) == APR_EINVAL);
}

static void crypto_plaintext_with_nul_fails(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    static const unsigned char with_nul[] = {'a', '=', '1', '\0', 'b', '=', '2'};
    CHECK(decrypts_to(c, p, hand_made_aes256_cookie(p, (const unsigned char *)"a=1", 3), "a=1"));
    CHECK(decrypt_fails(c, p, hand_made_aes256_cookie(p, with_nul, (int)sizeof(with_nul))));
}

static void crypto_cipher_mismatch_fails(apr_pool_t *p)
{
    CHECK(decrypt_fails(make_crypto(p, SA_CIPHER_AES128, PASS, NULL), p, COOKIE_AES256));
    CHECK(decrypt_fails(make_crypto(p, SA_CIPHER_AES192, PASS, NULL), p, COOKIE_AES256));
    CHECK(decrypt_fails(make_crypto(p, SA_CIPHER_3DES192, PASS, NULL), p, COOKIE_AES256));
    CHECK(decrypt_fails(make_crypto(p, SA_CIPHER_AES256, PASS, NULL), p, COOKIE_AES128));
    CHECK(decrypt_fails(make_crypto(p, SA_CIPHER_AES256, PASS, NULL), p, COOKIE_3DES192));
}

/* ---- key cache ---- */

static void crypto_cache_avoids_pbkdf2(apr_pool_t *p)
{
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES256, PASS, NULL);
    const char *own = NULL;
    CHECK(sa_crypto_pbkdf2_count(c) == 1); /* the write key, derived at create time */
    for (int i = 0; i < 5; i++) {
        CHECK(sa_crypto_encrypt(c, p, PLAIN, &own) == APR_SUCCESS);
    }
    CHECK(decrypts_to(c, p, own, PLAIN));
    CHECK(sa_crypto_pbkdf2_count(c) == 1);
    CHECK(decrypts_to(c, p, COOKIE_AES256, PLAIN));
    CHECK(sa_crypto_pbkdf2_count(c) == 2);
    CHECK(decrypts_to(c, p, COOKIE_AES256, PLAIN));
    CHECK(sa_crypto_pbkdf2_count(c) == 2);
    CHECK(sa_crypto_encrypt_with(c, p, PLAIN, vector_salt, vector_iv, &own) == APR_SUCCESS);
    CHECK(sa_crypto_pbkdf2_count(c) == 2);
}

static void crypto_cache_is_per_passphrase(apr_pool_t *p)
{
    sa_crypto *both = make_crypto(p, SA_CIPHER_AES256, PASS, "second-secret");
    sa_crypto *second_only = make_crypto(p, SA_CIPHER_AES256, "second-secret", NULL);
    sa_crypto *bad = make_crypto(p, SA_CIPHER_AES256, "not-configured", NULL);
    const char *cookie = NULL, *foreign = NULL;
    CHECK(sa_crypto_encrypt(second_only, p, "a=2", &cookie) == APR_SUCCESS);
    CHECK(sa_crypto_encrypt(bad, p, "a=3", &foreign) == APR_SUCCESS);
    CHECK(sa_crypto_pbkdf2_count(both) == 1);
    CHECK(decrypts_to(both, p, cookie, "a=2"));
    CHECK(sa_crypto_pbkdf2_count(both) == 2);
    CHECK(decrypts_to(both, p, cookie, "a=2"));
    CHECK(decrypt_fails(both, p, foreign));
    CHECK(sa_crypto_pbkdf2_count(both) == 2);
}

static void crypto_cache_stays_bounded_and_correct(apr_pool_t *p)
{
    enum { N = 70 };
    sa_crypto *writer = make_crypto(p, SA_CIPHER_AES128, PASS, NULL);
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES128, PASS, NULL);
    const char *cookies[N];
    unsigned char salt[16];
    for (int i = 0; i < N; i++) {
        memset(salt, i + 1, sizeof(salt));
        CHECK(sa_crypto_encrypt_with(writer, p, PLAIN, salt, vector_iv, &cookies[i]) ==
              APR_SUCCESS);
    }
    for (int i = 0; i < N; i++) {
        CHECK(decrypts_to(c, p, cookies[i], PLAIN));
    }
    CHECK(sa_crypto_pbkdf2_count(c) == 1 + N);
    /* The newest 64 salts are still cached; the oldest ones were replaced. */
    for (int i = N - 64; i < N; i++) {
        CHECK(decrypts_to(c, p, cookies[i], PLAIN));
    }
    CHECK(sa_crypto_pbkdf2_count(c) == 1 + N);
    CHECK(decrypts_to(c, p, cookies[0], PLAIN));
    CHECK(sa_crypto_pbkdf2_count(c) == 2 + N);
}

/* ---- threads ---- */

enum { THREADS = 4, THREAD_COOKIES = 6, THREAD_ROUNDS = 20 };

typedef struct {
    sa_crypto *c;
    const char **cookies;
    apr_pool_t *pool;
    int offset;
    int failures;
} thread_job;

static void *APR_THREAD_FUNC decrypt_many(apr_thread_t *thread, void *data)
{
    thread_job *job = data;
    (void)thread;
    for (int r = 0; r < THREAD_ROUNDS; r++) {
        for (int i = 0; i < THREAD_COOKIES; i++) {
            int n = (i + r + job->offset) % THREAD_COOKIES;
            const char *want = apr_psprintf(job->pool, "n=%d", n);
            if (!decrypts_to(job->c, job->pool, job->cookies[n], want)) {
                job->failures++;
            }
        }
        apr_pool_clear(job->pool);
    }
    return NULL;
}

static void crypto_threads_share_one_object(apr_pool_t *p)
{
    sa_crypto *writer = make_crypto(p, SA_CIPHER_AES128, PASS, NULL);
    sa_crypto *c = make_crypto(p, SA_CIPHER_AES128, "other", PASS);
    const char *cookies[THREAD_COOKIES];
    apr_thread_t *threads[THREADS];
    thread_job jobs[THREADS];
    unsigned char salt[16];
    for (int i = 0; i < THREAD_COOKIES; i++) {
        memset(salt, 0x40 + i, sizeof(salt));
        CHECK(sa_crypto_encrypt_with(writer, p, apr_psprintf(p, "n=%d", i), salt, vector_iv,
                                     &cookies[i]) == APR_SUCCESS);
    }
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (thread_job){c, cookies, NULL, t, 0};
        CHECK(apr_pool_create_unmanaged_ex(&jobs[t].pool, NULL, NULL) == APR_SUCCESS);
        CHECK(apr_thread_create(&threads[t], NULL, decrypt_many, &jobs[t], p) == APR_SUCCESS);
    }
    for (int t = 0; t < THREADS; t++) {
        apr_status_t rv;
        CHECK(apr_thread_join(&rv, threads[t]) == APR_SUCCESS);
        CHECK(jobs[t].failures == 0);
        apr_pool_destroy(jobs[t].pool);
    }
    /* Racing threads may derive one salt twice, but never more often than once each. */
    CHECK(sa_crypto_pbkdf2_count(c) >= 1 + THREAD_COOKIES);
    CHECK(sa_crypto_pbkdf2_count(c) <= 1 + THREAD_COOKIES * THREADS);
}

const unit_test crypto_tests[] = {
    {"crypto_cipher_names", crypto_cipher_names},
    {"crypto_create_rejects_bad_arguments", crypto_create_rejects_bad_arguments},
    {"crypto_vector_aes256", crypto_vector_aes256},
    {"crypto_vector_aes128", crypto_vector_aes128},
    {"crypto_vector_3des192", crypto_vector_3des192},
    {"crypto_vector_intermediates", crypto_vector_intermediates},
    {"crypto_aes192_round_trip", crypto_aes192_round_trip},
    {"crypto_round_trip_all_ciphers_and_lengths", crypto_round_trip_all_ciphers_and_lengths},
    {"crypto_encrypt_uses_fixed_salt_and_fresh_iv", crypto_encrypt_uses_fixed_salt_and_fresh_iv},
    {"crypto_two_passphrases", crypto_two_passphrases},
    {"crypto_vector_read_with_second_passphrase", crypto_vector_read_with_second_passphrase},
    {"crypto_every_byte_flip_fails", crypto_every_byte_flip_fails},
    {"crypto_truncated_values_fail", crypto_truncated_values_fail},
    {"crypto_garbage_fails", crypto_garbage_fails},
    {"crypto_url_encoded_value_fails", crypto_url_encoded_value_fails},
    {"crypto_lenient_base64_like_apache", crypto_lenient_base64_like_apache},
    {"crypto_oversized_value_is_refused", crypto_oversized_value_is_refused},
    {"crypto_encrypt_refuses_what_no_reader_accepts",
     crypto_encrypt_refuses_what_no_reader_accepts},
    {"crypto_plaintext_with_nul_fails", crypto_plaintext_with_nul_fails},
    {"crypto_cipher_mismatch_fails", crypto_cipher_mismatch_fails},
    {"crypto_cache_avoids_pbkdf2", crypto_cache_avoids_pbkdf2},
    {"crypto_cache_is_per_passphrase", crypto_cache_is_per_passphrase},
    {"crypto_cache_stays_bounded_and_correct", crypto_cache_stays_bounded_and_correct},
    {"crypto_threads_share_one_object", crypto_threads_share_one_object},
    {NULL, NULL}};
