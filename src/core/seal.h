/* Secrets at rest (the TOTP seeds): AES-256-GCM under keys derived with HKDF-SHA256 from the
 * server's SeancesCryptoPassphrase list, so the database alone never yields a seed. The first
 * passphrase seals; every one is tried to open, so a passphrase rotation keeps old seeds
 * readable. A context string (e.g. "totp:42", the user id) is authenticated with the data:
 * a sealed value copied to another user's row does not open there. */
#ifndef SA_SEAL_H
#define SA_SEAL_H

#include <apr_pools.h>
#include <apr_tables.h>

#define SA_SEAL_KEY_LEN 32

typedef struct {
    int count;
    unsigned char (*keys)[SA_SEAL_KEY_LEN]; /* keys[0] from the first passphrase */
} sa_seal_keys;

/* Derives one key per passphrase (const char * elements, at least one). The keys live in p
 * and are wiped when p is cleared. */
apr_status_t sa_seal_keys_derive(apr_pool_t *p, const apr_array_header_t *passphrases,
                                 sa_seal_keys **out);

/* "s1." + base64(nonce | ciphertext | tag), with the first key and a random nonce. */
apr_status_t sa_seal(apr_pool_t *p, const sa_seal_keys *keys, const char *context,
                     const unsigned char *plain, apr_size_t len, const char **sealed);

/* Opens a value of sa_seal with any key. APR_SUCCESS with *plain (from p, wiped when p is
 * cleared) and *len; *key_index (may be NULL) tells which key opened it (0: the current one).
 * APR_EINVAL for anything malformed, tampered with, sealed for another context or under a
 * passphrase that is no longer configured. */
apr_status_t sa_unseal(apr_pool_t *p, const sa_seal_keys *keys, const char *context,
                       const char *sealed, unsigned char **plain, apr_size_t *len, int *key_index);

#endif
