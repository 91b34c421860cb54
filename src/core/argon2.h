/* argon2id with its work area from a per-process pool, and the PHC string format
 * ("$argon2id$v=19$m=..,t=..,p=..$salt$tag") read and written here.
 *
 * libargon2's argon2id_verify and argon2id_hash_encoded take their m KiB work area (19 MiB by
 * default) from malloc. glibc serves such blocks from the heap of the calling thread once its
 * mmap threshold has grown, and keeps them: every worker thread that ever checked a password
 * kept ~19 MiB (400-600 MB per Apache child under logins). Here the area comes from
 * argon2_context's allocate_cbk: a few mmap'd areas per process, reused (mapping a fresh one
 * for every hash costs three times the hash itself in page faults on this machine type). */
#ifndef SA_ARGON2_H
#define SA_ARGON2_H

#include <apr_pools.h>

typedef struct {
    unsigned int m_kib; /* memory cost in KiB */
    unsigned int t;     /* passes */
    unsigned int p;     /* lanes */
} sa_argon2_params;

#define SA_ARGON2_M_DEFAULT 19456
#define SA_ARGON2_T_DEFAULT 2
#define SA_ARGON2_P_DEFAULT 1

/* Stored hashes above these are refused as unusable: a hash in the database must not be able
 * to make one login take gigabytes or minutes. */
#define SA_ARGON2_M_MAX (1024u * 1024u) /* 1 GiB */
#define SA_ARGON2_T_MAX 100u
#define SA_ARGON2_P_MAX 16u

void sa_argon2_defaults(sa_argon2_params *params);

/* The PHC string of an argon2id hash of password with this salt and a 32-byte tag.
 * APR_EINVAL for parameters libargon2 refuses, APR_ENOMEM when no work area can be mapped. */
apr_status_t sa_argon2_hash(apr_pool_t *p, const char *password, const unsigned char *salt,
                            apr_size_t salt_len, const sa_argon2_params *params,
                            const char **encoded);

/* Checks password against a PHC string: ARGON2_OK, ARGON2_VERIFY_MISMATCH, ARGON2_DECODING_FAIL
 * for a string that is not a usable argon2id hash, another libargon2 code on failure. The
 * tags are compared in constant time. */
int sa_argon2_verify(const char *encoded, const char *password);

/* How many idle work areas each process keeps for the next hashes (default 2). More hashes at
 * once still work: their areas are unmapped when they finish. */
void sa_argon2_pool_keep(unsigned int areas);

/* Work areas this process has mapped now, in use or idle. */
unsigned int sa_argon2_areas_mapped(void);

#endif
