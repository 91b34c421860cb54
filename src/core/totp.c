/* HOTP and TOTP. The counter is 64 bits big-endian and the time 64 bits, so the RFC 6238
 * vector of the year 2603 works; dynamic truncation as RFC 4226 section 5.3. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <apr_strings.h>

#include "core/base32.h"
#include "core/html.h"
#include "core/token.h"
#include "core/totp.h"

static const EVP_MD *digest_of(sa_otp_hash hash)
{
    switch (hash) {
    case SA_OTP_SHA1:
        return EVP_sha1();
    case SA_OTP_SHA256:
        return EVP_sha256();
    case SA_OTP_SHA512:
        return EVP_sha512();
    }
    return NULL;
}

/* RFC 4226 section 5.3: 31 bits at the offset named by the low nibble of the last byte. */
static apr_uint32_t truncate_mac(const unsigned char *mac, unsigned int maclen)
{
    unsigned int offset = mac[maclen - 1] & 0x0f;
    return ((apr_uint32_t)(mac[offset] & 0x7f) << 24) | ((apr_uint32_t)mac[offset + 1] << 16) |
           ((apr_uint32_t)mac[offset + 2] << 8) | (apr_uint32_t)mac[offset + 3];
}

apr_status_t sa_hotp(const unsigned char *key, apr_size_t keylen, sa_otp_hash hash,
                     apr_uint64_t counter, int digits, char *out)
{
    unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    const EVP_MD *md = digest_of(hash);
    apr_uint32_t modulus = 1;
    if (!key || !md || digits < 6 || digits > SA_OTP_MAX_DIGITS || keylen > 1024) {
        return APR_EINVAL;
    }
    for (int i = 7; i >= 0; i--) {
        msg[i] = (unsigned char)(counter & 0xff);
        counter >>= 8;
    }
    if (!HMAC(md, key, (int)keylen, msg, sizeof(msg), mac, &maclen) || maclen < 20) {
        return APR_EGENERAL;
    }
    for (int i = 0; i < digits; i++) {
        modulus *= 10;
    }
    apr_snprintf(out, SA_OTP_MAX_DIGITS + 1, "%0*u", digits,
                 (unsigned int)(truncate_mac(mac, maclen) % modulus));
    sa_wipe(mac, sizeof(mac));
    return APR_SUCCESS;
}

apr_int64_t sa_totp_step(apr_int64_t unix_seconds, int period)
{
    if (period <= 0 || unix_seconds < 0) {
        return 0;
    }
    return unix_seconds / period;
}

apr_status_t sa_totp(const unsigned char *key, apr_size_t keylen, sa_otp_hash hash,
                     apr_int64_t unix_seconds, int period, int digits, char *out)
{
    return sa_hotp(key, keylen, hash, (apr_uint64_t)sa_totp_step(unix_seconds, period), digits,
                   out);
}

const char *sa_totp_normalise(apr_pool_t *p, const char *typed)
{
    char code[SA_TOTP_DIGITS + 1];
    int n = 0;
    if (!typed || strlen(typed) > 32) {
        return NULL;
    }
    for (const char *c = typed; *c; c++) {
        if (*c == ' ' || *c == '\t') {
            continue;
        }
        if (*c < '0' || *c > '9' || n == SA_TOTP_DIGITS) {
            return NULL;
        }
        code[n++] = *c;
    }
    if (n != SA_TOTP_DIGITS) {
        return NULL;
    }
    code[n] = '\0';
    return apr_pstrdup(p, code);
}

sa_totp_result sa_totp_verify(const unsigned char *key, apr_size_t keylen, const char *code,
                              apr_int64_t now_s, apr_int64_t last_step, apr_int64_t *step)
{
    apr_int64_t now_step = sa_totp_step(now_s, SA_TOTP_PERIOD);
    apr_int64_t fresh = -1, used = -1;
    char expected[SA_OTP_MAX_DIGITS + 1];
    if (!code || strlen(code) != SA_TOTP_DIGITS) {
        return SA_TOTP_WRONG;
    }
    /* no early exit: the time spent does not say which step (if any) matched */
    for (apr_int64_t s = now_step - SA_TOTP_WINDOW; s <= now_step + SA_TOTP_WINDOW; s++) {
        if (s < 0 || sa_hotp(key, keylen, SA_OTP_SHA1, (apr_uint64_t)s, SA_TOTP_DIGITS, expected) !=
                         APR_SUCCESS) {
            continue;
        }
        int equal = sa_ct_streq(expected, code);
        if (equal && s > last_step) {
            fresh = s; /* the latest step wins: it closes the most codes for replays */
        } else if (equal) {
            used = s;
        }
    }
    sa_wipe(expected, sizeof(expected));
    if (fresh >= 0) {
        *step = fresh;
        return SA_TOTP_MATCH;
    }
    return used >= 0 ? SA_TOTP_REPLAY : SA_TOTP_WRONG;
}

const char *sa_totp_uri(apr_pool_t *p, const char *issuer, const char *account,
                        const unsigned char *secret, apr_size_t len)
{
    char *acct = apr_pstrdup(p, account);
    for (char *c = acct; *c; c++) {
        if (*c == ':') {
            *c = '_';
        }
    }
    const char *enc_issuer = sa_url_encode(p, issuer);
    return apr_pstrcat(p, "otpauth://totp/", enc_issuer, ":", sa_url_encode(p, acct),
                       "?secret=", sa_base32_encode(p, secret, len, 0), "&issuer=", enc_issuer,
                       NULL);
}
