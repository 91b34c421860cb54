/* Password hashing and policy. New hashes are argon2id (libargon2). For imports from
 * htpasswd, bcrypt ($2y$), apr1 MD5 ($apr1$) and {SHA} hashes are verified through APR and
 * flagged for a rehash at the next successful login. */
#ifndef SA_PASSWORD_H
#define SA_PASSWORD_H

#include <apr_pools.h>

#include "core/argon2.h"

#define SA_PASSWORD_MAX_BYTES 1024 /* login input above this is refused before hashing */
#define SA_PASSWORD_MAX_CHARS 128  /* a new password may not be longer (code points) */
#define SA_PASSWORD_MIN_FLOOR 12   /* SeancesPasswordMinLength cannot go below this */

typedef enum { SA_PW_MATCH = 0, SA_PW_MISMATCH = 1, SA_PW_ERROR = 2 } sa_pw_result;

/* The password in Unicode normalisation form C (NFC, through libutf8proc), so that "é" typed
 * as one code point or as "e" and a combining accent is one password; NULL when it is not
 * valid UTF-8. New hashes are made from this form, and verification tries it first. */
const char *sa_password_normalize(apr_pool_t *p, const char *password);

/* A new argon2id hash with a random 16-byte salt, encoded "$argon2id$v=19$m=..,t=..,p=..$..". */
apr_status_t sa_password_hash(apr_pool_t *p, const char *password, const sa_argon2_params *params,
                              const char **hash);

/* Verifies against argon2id, bcrypt, apr1 or {SHA}. SA_PW_ERROR for an unknown format. */
sa_pw_result sa_password_verify(apr_pool_t *p, const char *password, const char *stored);

/* Spends the same work as verifying a real argon2id hash of these params, then fails: used
 * for unknown users so that they cost what a wrong password costs. */
void sa_password_burn(apr_pool_t *p, const char *password, const sa_argon2_params *params);

/* The scheme of a stored hash: "argon2id", "bcrypt", "apr1" or "sha1"; NULL for anything
 * this product cannot verify. */
const char *sa_password_scheme(const char *stored);

/* How many argon2id verifications (real or dummy) this process has run. */
unsigned int sa_password_argon2_runs(void);

/* 1 when the stored hash is not argon2id with exactly these parameters. */
int sa_password_needs_rehash(const char *stored, const sa_argon2_params *params);

/* Counts UTF-8 code points; -1 if the string is not valid UTF-8. */
long sa_utf8_length(const char *s);

/* Policy for a new password. Returns NULL when acceptable, else a message key of sa_i18n
 * ("pw_too_short", "pw_too_long", "pw_not_utf8", "pw_blocklisted", "pw_contains_name").
 * blocklist: optional apr_hash_t of case-folded passwords (may be NULL). The password is
 * checked in its NFC form; the name comparisons ignore case (Unicode case folding). */
struct apr_hash_t;
const char *sa_password_policy(apr_pool_t *p, const char *password, int min_chars,
                               const char *username, const char *email,
                               struct apr_hash_t *blocklist);

/* Loads a blocklist file (one password a line, '#' comments) into a hash of case-folded
 * entries. APR error if the file cannot be read. */
apr_status_t sa_password_blocklist_load(apr_pool_t *p, const char *path, struct apr_hash_t **out);

#endif
