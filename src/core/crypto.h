/* mod_session_crypto's cookie format: base64(SipHash-2-4 MAC | salt | IV | CBC ciphertext),
 * key = PBKDF2-HMAC-SHA1(passphrase, salt, 4096). The first passphrase encrypts; every one
 * is tried on decrypt. Derived keys are cached by (passphrase, salt), so a request carrying a
 * cookie we wrote runs no PBKDF2. Thread-safe once created. */
#ifndef SA_CRYPTO_H
#define SA_CRYPTO_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef enum {
    SA_CIPHER_AES256 = 0,
    SA_CIPHER_AES192,
    SA_CIPHER_AES128,
    SA_CIPHER_3DES192
} sa_cipher;

#define SA_CRYPTO_SALT_LEN 16
#define SA_CRYPTO_MAX_COOKIE 8192 /* longer base64 input is refused before any work */

/* Returns 0 and sets *out for "aes256", "aes192", "aes128" or "3des192"; -1 otherwise. */
int sa_cipher_from_name(const char *name, sa_cipher *out);
const char *sa_cipher_name(sa_cipher c);
/* The names accepted, for error messages. */
#define SA_CIPHER_NAMES "aes256, aes192, aes128, 3des192"

typedef struct sa_crypto sa_crypto;

/* passphrases: array of const char *, at least one. The strings are copied into p. */
apr_status_t sa_crypto_create(apr_pool_t *p, sa_cipher cipher,
                              const apr_array_header_t *passphrases, sa_crypto **out);

/* Encrypts with the first passphrase, its fixed per-passphrase write salt and a random IV. */
apr_status_t sa_crypto_encrypt(sa_crypto *c, apr_pool_t *p, const char *plaintext,
                               const char **cookie_value);

/* The same with a caller's salt and IV (IV length: 16 for AES, 8 for 3DES); for test vectors. */
apr_status_t sa_crypto_encrypt_with(sa_crypto *c, apr_pool_t *p, const char *plaintext,
                                    const unsigned char *salt, const unsigned char *iv,
                                    const char **cookie_value);

/* APR_SUCCESS and the plaintext, or APR_EINVAL for anything that is not a valid cookie under
 * one of the passphrases (bad base64, too short, MAC mismatch, bad padding). Never logs. */
apr_status_t sa_crypto_decrypt(sa_crypto *c, apr_pool_t *p, const char *cookie_value,
                               const char **plaintext);

/* How many PBKDF2 derivations this object has run: lets tests prove the cache works. */
unsigned long sa_crypto_pbkdf2_count(const sa_crypto *c);

#endif
