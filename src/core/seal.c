/* AES-256-GCM with HKDF-SHA256 keys. The label below fixes what the keys are for: the same
 * passphrase gives the cookie key (PBKDF2, mod_session_crypto's format), the CSRF key and
 * this one, and none can be computed from another. */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <apr_base64.h>
#include <apr_strings.h>

#include "core/seal.h"
#include "core/token.h"

#define SEAL_PREFIX "s1."
#define SEAL_NONCE_LEN 12
#define SEAL_TAG_LEN 16
#define SEAL_MAX_PLAIN 1024

static const char hkdf_salt[] = "mod_seances_auth";
static const char hkdf_info[] = "mod_seances_auth secret at rest v1";

static apr_status_t wipe_on_clear(void *data)
{
    sa_seal_keys *k = data;
    sa_wipe(k->keys, (apr_size_t)k->count * SA_SEAL_KEY_LEN);
    return APR_SUCCESS;
}

static int hkdf(const char *passphrase, unsigned char *key)
{
    size_t len = SA_SEAL_KEY_LEN;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 &&
             EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) > 0 &&
             EVP_PKEY_CTX_set1_hkdf_salt(ctx, (const unsigned char *)hkdf_salt,
                                         (int)sizeof(hkdf_salt) - 1) > 0 &&
             EVP_PKEY_CTX_set1_hkdf_key(ctx, (const unsigned char *)passphrase,
                                        (int)strlen(passphrase)) > 0 &&
             EVP_PKEY_CTX_add1_hkdf_info(ctx, (const unsigned char *)hkdf_info,
                                         (int)sizeof(hkdf_info) - 1) > 0 &&
             EVP_PKEY_derive(ctx, key, &len) > 0 && len == SA_SEAL_KEY_LEN;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

apr_status_t sa_seal_keys_derive(apr_pool_t *p, const apr_array_header_t *passphrases,
                                 sa_seal_keys **out)
{
    if (!passphrases || passphrases->nelts < 1) {
        return APR_EINVAL;
    }
    const char *const *pp = (const char *const *)passphrases->elts;
    sa_seal_keys *k = apr_pcalloc(p, sizeof(*k));
    k->count = passphrases->nelts;
    k->keys = apr_pcalloc(p, (apr_size_t)k->count * SA_SEAL_KEY_LEN);
    apr_pool_cleanup_register(p, k, wipe_on_clear, apr_pool_cleanup_null);
    for (int i = 0; i < k->count; i++) {
        if (!pp[i] || strlen(pp[i]) > INT_MAX || !hkdf(pp[i], k->keys[i])) {
            return APR_EGENERAL;
        }
    }
    *out = k;
    return APR_SUCCESS;
}

/* One GCM operation: encrypt (tag written) or decrypt (tag checked). 1 on success. */
static int gcm(int encrypt, const unsigned char *key, const unsigned char *nonce,
               const char *context, const unsigned char *in, int len, unsigned char *out,
               unsigned char *tag)
{
    int n = 0, fin = 0, ok;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ok = ctx && EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SEAL_NONCE_LEN, NULL) == 1 &&
         EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, encrypt) == 1 &&
         EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)context, (int)strlen(context)) ==
             1 &&
         EVP_CipherUpdate(ctx, out, &n, in, len) == 1;
    if (ok && !encrypt) {
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_LEN, tag) == 1;
    }
    ok = ok && EVP_CipherFinal_ex(ctx, out + n, &fin) == 1;
    if (ok && encrypt) {
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_LEN, tag) == 1;
    }
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

apr_status_t sa_seal(apr_pool_t *p, const sa_seal_keys *keys, const char *context,
                     const unsigned char *plain, apr_size_t len, const char **sealed)
{
    apr_size_t raw_len = SEAL_NONCE_LEN + len + SEAL_TAG_LEN;
    if (!keys || !context || !plain || len > SEAL_MAX_PLAIN) {
        return APR_EINVAL;
    }
    unsigned char *raw = apr_palloc(p, raw_len);
    if (sa_random_bytes(raw, SEAL_NONCE_LEN) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (!gcm(1, keys->keys[0], raw, context, plain, (int)len, raw + SEAL_NONCE_LEN,
             raw + SEAL_NONCE_LEN + len)) {
        return APR_EGENERAL;
    }
    char *text =
        apr_palloc(p, sizeof(SEAL_PREFIX) + (apr_size_t)apr_base64_encode_len((int)raw_len));
    memcpy(text, SEAL_PREFIX, sizeof(SEAL_PREFIX) - 1);
    apr_base64_encode_binary(text + sizeof(SEAL_PREFIX) - 1, raw, (int)raw_len);
    *sealed = text;
    return APR_SUCCESS;
}

typedef struct {
    unsigned char *buf;
    apr_size_t len;
} wiped_buffer;

static apr_status_t wipe_buffer(void *data)
{
    wiped_buffer *w = data;
    sa_wipe(w->buf, w->len);
    return APR_SUCCESS;
}

apr_status_t sa_unseal(apr_pool_t *p, const sa_seal_keys *keys, const char *context,
                       const char *sealed, unsigned char **plain, apr_size_t *len, int *key_index)
{
    const apr_size_t prefix = sizeof(SEAL_PREFIX) - 1;
    if (!keys || !context || !sealed || strncmp(sealed, SEAL_PREFIX, prefix) != 0 ||
        strlen(sealed) > (apr_size_t)4 * SEAL_MAX_PLAIN) {
        return APR_EINVAL;
    }
    const char *b64 = sealed + prefix;
    unsigned char *raw = apr_palloc(p, (apr_size_t)apr_base64_decode_len(b64));
    int raw_len = apr_base64_decode_binary(raw, b64);
    if (raw_len < SEAL_NONCE_LEN + SEAL_TAG_LEN + 1) {
        return APR_EINVAL;
    }
    apr_size_t n = (apr_size_t)raw_len - SEAL_NONCE_LEN - SEAL_TAG_LEN;
    wiped_buffer *out = apr_palloc(p, sizeof(*out));
    out->buf = apr_palloc(p, n + 16);
    out->len = n + 16;
    apr_pool_cleanup_register(p, out, wipe_buffer, apr_pool_cleanup_null);
    for (int i = 0; i < keys->count; i++) {
        if (gcm(0, keys->keys[i], raw, context, raw + SEAL_NONCE_LEN, (int)n, out->buf,
                raw + SEAL_NONCE_LEN + n)) {
            *plain = out->buf;
            *len = n;
            if (key_index) {
                *key_index = i;
            }
            return APR_SUCCESS;
        }
    }
    sa_wipe(out->buf, out->len);
    return APR_EINVAL;
}
