/* CSRF tokens: an HMAC over a purpose, a subject and the time the token was made, so that a
 * token works for one form, one browser (the subject) and a limited time. The login form's
 * subject is a pre-session nonce that the server issues and signs itself: a nonce that a
 * client chose (or another site planted) is not ours and is replaced (SEC-19, issue 13 #4). */
#ifndef SA_CSRF_H
#define SA_CSRF_H

#include <apr_pools.h>
#include <apr_time.h>

typedef enum { SA_CSRF_OK = 0, SA_CSRF_BAD, SA_CSRF_EXPIRED } sa_csrf_result;

/* "SECONDS.MAC": MAC = base64url HMAC-SHA256(key, purpose "|" subject "|" SECONDS). */
const char *sa_csrf_token(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                          const char *purpose, const char *subject, apr_time_t now);

/* SA_CSRF_OK for a token made by sa_csrf_token with the same key, purpose and subject at most
 * max_age seconds before now (and not more than a minute ahead of it); SA_CSRF_EXPIRED for a
 * genuine but older one; SA_CSRF_BAD otherwise (missing, malformed, forged, other subject). */
sa_csrf_result sa_csrf_check(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                             const char *purpose, const char *subject, const char *posted,
                             apr_time_t now, apr_int64_t max_age);

/* A new nonce "RANDOM.MAC", signed with key; NULL when the CSPRNG fails. */
const char *sa_csrf_nonce_new(apr_pool_t *p, const unsigned char *key, apr_size_t keylen);

/* 1 when nonce is one that sa_csrf_nonce_new made with this key, 0 otherwise. */
int sa_csrf_nonce_valid(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                        const char *nonce);

#endif
