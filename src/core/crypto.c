/* mod_session_crypto's cookie format (spec: session-crypto-format.md, sections 2.2 to 2.5),
 * with a per-object cache of PBKDF2 keys so that the hot path does not pay 1-2 ms per request. */
#include <limits.h>
#include <string.h>
#include <apr_base64.h>
#include <apr_md5.h>
#include <apr_siphash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "core/crypto.h"

#if !APR_HAS_THREADS
#error "sa_crypto needs APR built with thread support"
#endif

#define SA_MAC_LEN APR_SIPHASH_DSIZE
#define SA_SALT_OFFSET SA_MAC_LEN
#define SA_IV_OFFSET (SA_SALT_OFFSET + SA_CRYPTO_SALT_LEN)
#define SA_PBKDF2_ITERATIONS 4096
#define SA_MAX_KEY_LEN 32
#define SA_MAX_IV_LEN 16
#define SA_MAX_BLOCK_LEN 16
/* Enough for every salt a server farm sharing the passphrase writes, plus the Apache-written
 * cookies of the users active at one moment; beyond that, replacement is round robin. */
#define SA_KEY_CACHE_SLOTS 64

static const char write_salt_label[] = "mod_seances_auth write salt"; /* hashed with its NUL */

typedef struct {
    const char *name;
    const EVP_CIPHER *(*evp)(void);
    int key_len;
    int iv_len;
    int block_len;
} sa_cipher_info;

static const sa_cipher_info cipher_table[] = {
    [SA_CIPHER_AES256] = {"aes256", EVP_aes_256_cbc, 32, 16, 16},
    [SA_CIPHER_AES192] = {"aes192", EVP_aes_192_cbc, 24, 16, 16},
    [SA_CIPHER_AES128] = {"aes128", EVP_aes_128_cbc, 16, 16, 16},
    [SA_CIPHER_3DES192] = {"3des192", EVP_des_ede3_cbc, 24, 8, 8},
};
#define SA_CIPHER_COUNT ((int)(sizeof(cipher_table) / sizeof(cipher_table[0])))

typedef struct {
    unsigned char salt[SA_CRYPTO_SALT_LEN];
    unsigned char key[SA_MAX_KEY_LEN];
} sa_key_slot;

typedef struct {
    char *text;
    apr_size_t len;
    unsigned char mac_key[APR_MD5_DIGESTSIZE];
    sa_key_slot slots[SA_KEY_CACHE_SLOTS]; /* guarded by sa_crypto.lock */
    unsigned int slots_used;
    unsigned int next_victim;
} sa_passphrase;

struct sa_crypto {
    const sa_cipher_info *cipher;
    sa_passphrase *pass;
    int npass;
    unsigned char write_salt[SA_CRYPTO_SALT_LEN]; /* of pass[0]; immutable after create */
    unsigned char write_key[SA_MAX_KEY_LEN];
    apr_thread_mutex_t *lock;
    unsigned long pbkdf2_runs; /* guarded by lock */
};

int sa_cipher_from_name(const char *name, sa_cipher *out)
{
    for (int i = 0; name && i < SA_CIPHER_COUNT; i++) {
        if (strcmp(name, cipher_table[i].name) == 0) {
            *out = (sa_cipher)i;
            return 0;
        }
    }
    return -1;
}

const char *sa_cipher_name(sa_cipher c)
{
    if ((int)c < 0 || (int)c >= SA_CIPHER_COUNT) {
        return NULL;
    }
    return cipher_table[c].name;
}

/* ---- key derivation and cache ---- */

static int derive_key(const sa_crypto *c, const sa_passphrase *pass, const unsigned char *salt,
                      unsigned char *key)
{
    return PKCS5_PBKDF2_HMAC_SHA1(pass->text, (int)pass->len, salt, SA_CRYPTO_SALT_LEN,
                                  SA_PBKDF2_ITERATIONS, c->cipher->key_len, key) == 1;
}

static int cached_slot_index(const sa_passphrase *pass, const unsigned char *salt)
{
    for (unsigned int i = 0; i < pass->slots_used; i++) {
        if (memcmp(pass->slots[i].salt, salt, SA_CRYPTO_SALT_LEN) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int cache_lookup(sa_crypto *c, const sa_passphrase *pass, const unsigned char *salt,
                        unsigned char *key)
{
    int found;
    apr_thread_mutex_lock(c->lock);
    found = cached_slot_index(pass, salt);
    if (found >= 0) {
        memcpy(key, pass->slots[found].key, (size_t)c->cipher->key_len);
    }
    apr_thread_mutex_unlock(c->lock);
    return found >= 0;
}

/* Counts the derivation that produced key and keeps the key, unless a thread that raced us
 * already stored it. */
static void count_and_remember(sa_crypto *c, sa_passphrase *pass, const unsigned char *salt,
                               const unsigned char *key)
{
    apr_thread_mutex_lock(c->lock);
    c->pbkdf2_runs++;
    if (cached_slot_index(pass, salt) < 0) {
        sa_key_slot *slot;
        if (pass->slots_used < SA_KEY_CACHE_SLOTS) {
            slot = &pass->slots[pass->slots_used++];
        } else {
            slot = &pass->slots[pass->next_victim];
            pass->next_victim = (pass->next_victim + 1) % SA_KEY_CACHE_SLOTS;
        }
        memcpy(slot->salt, salt, SA_CRYPTO_SALT_LEN);
        memcpy(slot->key, key, (size_t)c->cipher->key_len);
    }
    apr_thread_mutex_unlock(c->lock);
}

/* The caller wipes key. PBKDF2 runs outside the lock so that threads do not queue behind it. */
static int key_for_salt(sa_crypto *c, int idx, const unsigned char *salt, unsigned char *key)
{
    sa_passphrase *pass = &c->pass[idx];
    if (idx == 0 && memcmp(salt, c->write_salt, SA_CRYPTO_SALT_LEN) == 0) {
        memcpy(key, c->write_key, (size_t)c->cipher->key_len);
        return 1;
    }
    if (cache_lookup(c, pass, salt, key)) {
        return 1;
    }
    if (!derive_key(c, pass, salt, key)) {
        return 0;
    }
    count_and_remember(c, pass, salt, key);
    return 1;
}

/* ---- creation ---- */

static int compute_write_salt(const sa_passphrase *pass, unsigned char *salt)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(md, write_salt_label, sizeof(write_salt_label)) == 1 &&
             EVP_DigestUpdate(md, pass->text, pass->len) == 1 &&
             EVP_DigestFinal_ex(md, digest, &digest_len) == 1 && digest_len >= SA_CRYPTO_SALT_LEN;
    EVP_MD_CTX_free(md);
    if (ok) {
        memcpy(salt, digest, SA_CRYPTO_SALT_LEN);
    }
    OPENSSL_cleanse(digest, sizeof(digest));
    return ok;
}

static apr_status_t wipe_secrets(void *data)
{
    sa_crypto *c = data;
    for (int i = 0; i < c->npass; i++) {
        OPENSSL_cleanse(c->pass[i].text, c->pass[i].len);
        OPENSSL_cleanse(c->pass[i].mac_key, sizeof(c->pass[i].mac_key));
        OPENSSL_cleanse(c->pass[i].slots, sizeof(c->pass[i].slots));
    }
    OPENSSL_cleanse(c->write_key, sizeof(c->write_key));
    return APR_SUCCESS;
}

static apr_status_t copy_passphrases(sa_crypto *c, apr_pool_t *p,
                                     const apr_array_header_t *passphrases)
{
    c->pass = apr_pcalloc(p, sizeof(*c->pass) * (apr_size_t)passphrases->nelts);
    for (int i = 0; i < passphrases->nelts; i++) {
        const char *text = APR_ARRAY_IDX(passphrases, i, const char *);
        sa_passphrase *pass = &c->pass[i];
        if (!text || strlen(text) > INT_MAX) {
            return APR_EINVAL;
        }
        pass->text = apr_pstrdup(p, text);
        pass->len = strlen(text);
        /* The MAC key is per passphrase, not per cookie: computed once here, off the hot path. */
        if (apr_md5(pass->mac_key, pass->text, pass->len) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        c->npass = i + 1; /* from now on the cleanup wipes this one too */
    }
    return APR_SUCCESS;
}

/* Derived here so that encrypting never runs PBKDF2. */
static apr_status_t prepare_write_key(sa_crypto *c)
{
    if (!compute_write_salt(&c->pass[0], c->write_salt) ||
        !derive_key(c, &c->pass[0], c->write_salt, c->write_key)) {
        return APR_EGENERAL;
    }
    c->pbkdf2_runs++;
    return APR_SUCCESS;
}

apr_status_t sa_crypto_create(apr_pool_t *p, sa_cipher cipher,
                              const apr_array_header_t *passphrases, sa_crypto **out)
{
    sa_crypto *c;
    apr_status_t rv;

    *out = NULL;
    if (!sa_cipher_name(cipher) || !passphrases || passphrases->nelts < 1) {
        return APR_EINVAL;
    }
    c = apr_pcalloc(p, sizeof(*c));
    c->cipher = &cipher_table[cipher];
    rv = apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    apr_pool_cleanup_register(p, c, wipe_secrets, apr_pool_cleanup_null);
    rv = copy_passphrases(c, p, passphrases);
    if (rv == APR_SUCCESS) {
        rv = prepare_write_key(c);
    }
    if (rv == APR_SUCCESS) {
        *out = c;
    }
    return rv;
}

/* ---- encryption ---- */

static int cbc_crypt(const sa_cipher_info *ci, int encrypt, const unsigned char *key,
                     const unsigned char *iv, const unsigned char *in, int in_len,
                     unsigned char *out, int *out_len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int head = 0, tail = 0;
    int ok = ctx && EVP_CipherInit_ex(ctx, ci->evp(), NULL, key, iv, encrypt) == 1 &&
             EVP_CipherUpdate(ctx, out, &head, in, in_len) == 1 &&
             EVP_CipherFinal_ex(ctx, out + head, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    *out_len = ok ? head + tail : 0;
    return ok;
}

static apr_size_t raw_cookie_len(const sa_cipher_info *ci, apr_size_t plaintext_len)
{
    apr_size_t block = (apr_size_t)ci->block_len;
    return SA_IV_OFFSET + (apr_size_t)ci->iv_len + (plaintext_len / block + 1) * block;
}

static apr_size_t base64_len(apr_size_t raw_len)
{
    return (raw_len + 2) / 3 * 4;
}

/* Builds base64(MAC | salt | IV | CBC(plaintext)). Refuses a plaintext whose cookie would be
 * longer than SA_CRYPTO_MAX_COOKIE, since no reader (this one included) would accept it. */
static apr_status_t seal(const sa_crypto *c, apr_pool_t *p, const char *plaintext,
                         const unsigned char *salt, const unsigned char *iv,
                         const unsigned char *key, const char **cookie_value)
{
    const sa_cipher_info *ci = c->cipher;
    apr_size_t len = strlen(plaintext);
    apr_size_t raw_len;
    unsigned char *raw;
    char *encoded;
    int ct_len;

    if (len > SA_CRYPTO_MAX_COOKIE || base64_len(raw_cookie_len(ci, len)) > SA_CRYPTO_MAX_COOKIE) {
        return APR_EINVAL;
    }
    raw = apr_palloc(p, raw_cookie_len(ci, len) + SA_MAX_BLOCK_LEN);
    memcpy(raw + SA_SALT_OFFSET, salt, SA_CRYPTO_SALT_LEN);
    memcpy(raw + SA_IV_OFFSET, iv, (size_t)ci->iv_len);
    if (!cbc_crypt(ci, 1, key, iv, (const unsigned char *)plaintext, (int)len,
                   raw + SA_IV_OFFSET + ci->iv_len, &ct_len)) {
        return APR_EGENERAL;
    }
    raw_len = SA_IV_OFFSET + (apr_size_t)ci->iv_len + (apr_size_t)ct_len;
    apr_siphash24_auth(raw, raw + SA_MAC_LEN, raw_len - SA_MAC_LEN, c->pass[0].mac_key);
    encoded = apr_palloc(p, (apr_size_t)apr_base64_encode_len((int)raw_len));
    apr_base64_encode_binary(encoded, raw, (int)raw_len);
    *cookie_value = encoded;
    return APR_SUCCESS;
}

apr_status_t sa_crypto_encrypt(sa_crypto *c, apr_pool_t *p, const char *plaintext,
                               const char **cookie_value)
{
    unsigned char iv[SA_MAX_IV_LEN];
    *cookie_value = NULL;
    if (!plaintext) {
        return APR_EINVAL;
    }
    if (RAND_bytes(iv, c->cipher->iv_len) != 1) {
        return APR_EGENERAL;
    }
    return seal(c, p, plaintext, c->write_salt, iv, c->write_key, cookie_value);
}

apr_status_t sa_crypto_encrypt_with(sa_crypto *c, apr_pool_t *p, const char *plaintext,
                                    const unsigned char *salt, const unsigned char *iv,
                                    const char **cookie_value)
{
    unsigned char key[SA_MAX_KEY_LEN];
    apr_status_t rv;
    *cookie_value = NULL;
    if (!plaintext || !salt || !iv) {
        return APR_EINVAL;
    }
    if (!key_for_salt(c, 0, salt, key)) {
        return APR_EGENERAL;
    }
    rv = seal(c, p, plaintext, salt, iv, key, cookie_value);
    OPENSSL_cleanse(key, sizeof(key));
    return rv;
}

/* ---- decryption ---- */

/* Lenient like APR (stops at the first byte outside the alphabet) because that is what
 * Apache accepts, e.g. values whose '=' padding was stripped. */
static int base64_decode_cookie(apr_pool_t *p, const char *value, unsigned char **raw,
                                apr_size_t *raw_len)
{
    int decoded;
    if (!value || strnlen(value, SA_CRYPTO_MAX_COOKIE + 1) > SA_CRYPTO_MAX_COOKIE) {
        return 0;
    }
    *raw = apr_palloc(p, (apr_size_t)apr_base64_decode_len(value));
    decoded = apr_base64_decode_binary(*raw, value);
    if (decoded < 0) {
        return 0;
    }
    *raw_len = (apr_size_t)decoded;
    return 1;
}

/* The shape does not depend on the passphrase: check it once, before any MAC. */
static int has_valid_shape(const sa_cipher_info *ci, apr_size_t raw_len)
{
    apr_size_t header = SA_IV_OFFSET + (apr_size_t)ci->iv_len;
    return raw_len >= header + (apr_size_t)ci->block_len &&
           (raw_len - header) % (apr_size_t)ci->block_len == 0;
}

static int mac_matches(const sa_passphrase *pass, const unsigned char *raw, apr_size_t raw_len)
{
    unsigned char mac[SA_MAC_LEN];
    apr_siphash24_auth(mac, raw + SA_MAC_LEN, raw_len - SA_MAC_LEN, pass->mac_key);
    return CRYPTO_memcmp(mac, raw, SA_MAC_LEN) == 0;
}

/* Decrypts a cookie whose MAC passphrase idx produced; NULL on bad padding or embedded NUL. */
static const char *open_with(sa_crypto *c, apr_pool_t *p, int idx, const unsigned char *raw,
                             apr_size_t raw_len)
{
    const sa_cipher_info *ci = c->cipher;
    const unsigned char *iv = raw + SA_IV_OFFSET;
    const unsigned char *ct = iv + ci->iv_len;
    int ct_len = (int)(raw_len - SA_IV_OFFSET - (apr_size_t)ci->iv_len);
    apr_size_t cap = (apr_size_t)ct_len + SA_MAX_BLOCK_LEN + 1;
    unsigned char key[SA_MAX_KEY_LEN];
    unsigned char *out;
    int out_len = 0;
    int ok;

    if (!key_for_salt(c, idx, raw + SA_SALT_OFFSET, key)) {
        return NULL;
    }
    out = apr_palloc(p, cap);
    ok = cbc_crypt(ci, 0, key, iv, ct, ct_len, out, &out_len) &&
         memchr(out, '\0', (size_t)out_len) == NULL;
    OPENSSL_cleanse(key, sizeof(key));
    if (!ok) {
        OPENSSL_cleanse(out, cap);
        return NULL;
    }
    out[out_len] = '\0';
    return (const char *)out;
}

apr_status_t sa_crypto_decrypt(sa_crypto *c, apr_pool_t *p, const char *cookie_value,
                               const char **plaintext)
{
    unsigned char *raw;
    apr_size_t raw_len;

    *plaintext = NULL;
    if (!base64_decode_cookie(p, cookie_value, &raw, &raw_len) ||
        !has_valid_shape(c->cipher, raw_len)) {
        return APR_EINVAL;
    }
    for (int i = 0; i < c->npass; i++) {
        /* MAC first: a forged or foreign cookie must never cost a PBKDF2. */
        if (mac_matches(&c->pass[i], raw, raw_len)) {
            *plaintext = open_with(c, p, i, raw, raw_len);
            if (*plaintext) {
                return APR_SUCCESS;
            }
        }
    }
    return APR_EINVAL;
}

unsigned long sa_crypto_pbkdf2_count(const sa_crypto *c)
{
    unsigned long runs;
    apr_thread_mutex_lock(c->lock);
    runs = c->pbkdf2_runs;
    apr_thread_mutex_unlock(c->lock);
    return runs;
}
