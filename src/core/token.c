/* Random tokens, digests, MACs and constant-time comparison, on top of OpenSSL. Every secret
 * in the product (session ids, CSRF tokens, reset links) goes through these few functions, so
 * they are kept small and free of branches on secret data. */
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <apr_strings.h>

#include "core/token.h"

#define SA_SHA256_LEN 32

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

apr_status_t sa_random_bytes(unsigned char *buf, apr_size_t len)
{
    /* RAND_bytes takes an int: split larger requests rather than truncate them silently. */
    while (len > 0) {
        int chunk = len > (apr_size_t)INT_MAX ? INT_MAX : (int)len;
        if (RAND_bytes(buf, chunk) != 1) {
            return APR_EGENERAL;
        }
        buf += chunk;
        len -= (apr_size_t)chunk;
    }
    return APR_SUCCESS;
}

/* Characters needed for len bytes in base64 without padding, plus the NUL. */
static apr_size_t b64url_size(apr_size_t len)
{
    return (len / 3) * 4 + (len % 3 ? len % 3 + 1 : 0) + 1;
}

static void b64url_encode_into(char *out, const unsigned char *data, apr_size_t len)
{
    apr_size_t i = 0;
    char *o = out;

    for (; i + 3 <= len; i += 3) {
        unsigned long v =
            ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8) | data[i + 2];
        *o++ = b64url_alphabet[(v >> 18) & 0x3f];
        *o++ = b64url_alphabet[(v >> 12) & 0x3f];
        *o++ = b64url_alphabet[(v >> 6) & 0x3f];
        *o++ = b64url_alphabet[v & 0x3f];
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)data[i] << 16;
        *o++ = b64url_alphabet[(v >> 18) & 0x3f];
        *o++ = b64url_alphabet[(v >> 12) & 0x3f];
    } else if (len - i == 2) {
        unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8);
        *o++ = b64url_alphabet[(v >> 18) & 0x3f];
        *o++ = b64url_alphabet[(v >> 12) & 0x3f];
        *o++ = b64url_alphabet[(v >> 6) & 0x3f];
    }
    *o = '\0';
}

const char *sa_b64url(apr_pool_t *p, const unsigned char *data, apr_size_t len)
{
    char *out = apr_palloc(p, b64url_size(len));
    b64url_encode_into(out, data, len);
    return out;
}

const char *sa_token_new(apr_pool_t *p, apr_size_t nbytes)
{
    unsigned char *raw = apr_palloc(p, nbytes ? nbytes : 1);
    const char *token = NULL;

    if (sa_random_bytes(raw, nbytes) == APR_SUCCESS) {
        token = sa_b64url(p, raw, nbytes);
    }
    /* The raw bytes are the token in another form: do not leave them in the pool. */
    sa_wipe(raw, nbytes);
    return token;
}

const char *sa_sha256_hex(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[SA_SHA256_LEN];
    unsigned int mdlen = 0;
    char *out;

    if (!s || EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha256(), NULL) != 1 ||
        mdlen != SA_SHA256_LEN) {
        return NULL;
    }
    out = apr_palloc(p, 2 * SA_SHA256_LEN + 1);
    for (apr_size_t i = 0; i < SA_SHA256_LEN; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0x0f];
    }
    out[(apr_size_t)2 * SA_SHA256_LEN] = '\0';
    /* Digests of tokens are what the database stores: the input may be secret, the digest
     * on the stack is not worth leaving around either. */
    sa_wipe(md, sizeof(md));
    return out;
}

const char *sa_hmac_b64url(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                           const char *msg)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    const char *out;

    if (!key || !msg || keylen > (apr_size_t)INT_MAX) {
        return NULL;
    }
    if (!HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, strlen(msg), mac,
              &maclen)) {
        return NULL;
    }
    out = sa_b64url(p, mac, maclen);
    sa_wipe(mac, sizeof(mac));
    return out;
}

int sa_ct_streq(const char *a, const char *b)
{
    apr_size_t la, lb;

    if (!a || !b) {
        return 0;
    }
    la = strlen(a);
    lb = strlen(b);
    if (la != lb) {
        /* The lengths of our tokens are public; still spend a comparison's worth of time so
         * a wrong length does not stand out from a wrong content. */
        (void)CRYPTO_memcmp(a, a, la);
        return 0;
    }
    return CRYPTO_memcmp(a, b, la) == 0;
}

void sa_wipe(void *buf, apr_size_t len)
{
    if (buf && len) {
        OPENSSL_cleanse(buf, len);
    }
}

void sa_wipe_str(char *s)
{
    if (s) {
        sa_wipe(s, strlen(s));
    }
}
