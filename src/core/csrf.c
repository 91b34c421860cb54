/* CSRF tokens bound to a purpose, a subject and a time; server-signed login nonces. */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "core/csrf.h"
#include "core/token.h"

#define NONCE_BYTES 24
#define NONCE_MAX 128
#define TOKEN_MAX 128
#define CLOCK_SKEW 60 /* seconds a token may come from the future (servers behind one name) */

static const char *token_mac(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                             const char *purpose, const char *subject, const char *seconds)
{
    return sa_hmac_b64url(p, key, keylen,
                          apr_pstrcat(p, purpose, "|", subject, "|", seconds, NULL));
}

const char *sa_csrf_token(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                          const char *purpose, const char *subject, apr_time_t now)
{
    const char *seconds = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)apr_time_sec(now));
    return apr_pstrcat(p, seconds, ".", token_mac(p, key, keylen, purpose, subject, seconds), NULL);
}

/* The SECONDS of "SECONDS.MAC": only digits, at most 12 of them; -1 otherwise. */
static apr_int64_t token_seconds(const char *posted, const char **dot)
{
    apr_int64_t v = 0;
    const char *s = posted;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (s - posted >= 12) {
            return -1;
        }
        v = v * 10 + (*s - '0');
    }
    if (s == posted || *s != '.') {
        return -1;
    }
    *dot = s;
    return v;
}

sa_csrf_result sa_csrf_check(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                             const char *purpose, const char *subject, const char *posted,
                             apr_time_t now, apr_int64_t max_age)
{
    const char *dot = NULL;
    if (!posted || !subject || !*subject || strlen(posted) > TOKEN_MAX) {
        return SA_CSRF_BAD;
    }
    apr_int64_t made = token_seconds(posted, &dot);
    if (made < 0) {
        return SA_CSRF_BAD;
    }
    const char *seconds = apr_pstrmemdup(p, posted, (apr_size_t)(dot - posted));
    if (!sa_ct_streq(token_mac(p, key, keylen, purpose, subject, seconds), dot + 1)) {
        return SA_CSRF_BAD;
    }
    apr_int64_t t = (apr_int64_t)apr_time_sec(now);
    if (made > t + CLOCK_SKEW || t - made > max_age) {
        return SA_CSRF_EXPIRED;
    }
    return SA_CSRF_OK;
}

static const char *nonce_mac(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                             const char *random)
{
    return sa_hmac_b64url(p, key, keylen, apr_pstrcat(p, "login-nonce|", random, NULL));
}

const char *sa_csrf_nonce_new(apr_pool_t *p, const unsigned char *key, apr_size_t keylen)
{
    const char *random = sa_token_new(p, NONCE_BYTES);
    return random ? apr_pstrcat(p, random, ".", nonce_mac(p, key, keylen, random), NULL) : NULL;
}

int sa_csrf_nonce_valid(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                        const char *nonce)
{
    const char *dot = nonce ? strchr(nonce, '.') : NULL;
    if (!dot || dot == nonce || strlen(nonce) > NONCE_MAX) {
        return 0;
    }
    const char *random = apr_pstrmemdup(p, nonce, (apr_size_t)(dot - nonce));
    return sa_ct_streq(nonce_mac(p, key, keylen, random), dot + 1);
}
