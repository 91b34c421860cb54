/* Recovery codes: single-use codes for a lost authenticator, typed in the code field. Each
 * is 80 random bits (16 base32 characters, shown as four groups of four); the database keeps
 * only a digest, salted with the user id. */
#ifndef SA_RECOVERY_H
#define SA_RECOVERY_H

#include <apr_pools.h>

#define SA_RECOVERY_COUNT 10
#define SA_RECOVERY_BYTES 10 /* 80 bits */
#define SA_RECOVERY_CHARS 16

/* count new codes as "ABCD-EFGH-JKLM-NPQR" (NULL-terminated array from p); APR_EGENERAL if
 * the CSPRNG fails. */
apr_status_t sa_recovery_generate(apr_pool_t *p, int count, const char ***codes);

/* What was typed, upper-cased, without blanks and dashes, with 0, 1 and 8 read as O, I and B
 * (which base32 does not use); NULL unless it is then 16 base32 characters. */
const char *sa_recovery_normalise(apr_pool_t *p, const char *typed);

/* The digest stored for a normalised code of a user (SHA-256 hex). */
const char *sa_recovery_hash(apr_pool_t *p, apr_int64_t user_id, const char *normalised);

#endif
