/* Random tokens, digests, MACs and constant-time comparison: the small primitives every
 * secret in the product goes through. */
#ifndef SA_TOKEN_H
#define SA_TOKEN_H

#include <apr_pools.h>

/* Fills buf from the CSPRNG (OpenSSL RAND_bytes); APR_EGENERAL if it cannot. */
apr_status_t sa_random_bytes(unsigned char *buf, apr_size_t len);

/* A new random token of nbytes, base64url without padding; NULL if the CSPRNG fails. */
const char *sa_token_new(apr_pool_t *p, apr_size_t nbytes);

/* Lower-case hex SHA-256 of a NUL-terminated string. */
const char *sa_sha256_hex(apr_pool_t *p, const char *s);

/* base64url (no padding) HMAC-SHA256(key, msg). */
const char *sa_hmac_b64url(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                           const char *msg);

/* Encodes bytes as base64url without padding. */
const char *sa_b64url(apr_pool_t *p, const unsigned char *data, apr_size_t len);

/* 1 when both strings are equal, 0 otherwise (or when either is NULL); the time does not
 * depend on where they differ. */
int sa_ct_streq(const char *a, const char *b);

/* Overwrites memory that held a secret in a way the compiler cannot drop. */
void sa_wipe(void *buf, apr_size_t len);

/* Wipes a NUL-terminated string in place (for passwords read from forms or stdin). */
void sa_wipe_str(char *s);

#endif
