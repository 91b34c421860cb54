/* One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238), and the otpauth:// key URI of
 * Google's Key Uri Format. The product uses SHA1, 6 digits and 30-second steps (the only
 * combination every authenticator app honours); SHA256 and SHA512 exist for the RFC vectors. */
#ifndef SA_TOTP_H
#define SA_TOTP_H

#include <apr_pools.h>

typedef enum { SA_OTP_SHA1 = 0, SA_OTP_SHA256, SA_OTP_SHA512 } sa_otp_hash;

#define SA_TOTP_SECRET_BYTES 20 /* 160 bits, RFC 4226's recommendation */
#define SA_TOTP_DIGITS 6
#define SA_TOTP_PERIOD 30
#define SA_TOTP_WINDOW 1 /* steps accepted either side of now (RFC 6238 section 5.2) */
#define SA_OTP_MAX_DIGITS 9

/* The HOTP value of counter with `digits` digits (6 to 9), zero-padded, into out (at least
 * SA_OTP_MAX_DIGITS + 1 bytes). APR_EINVAL for bad arguments, APR_EGENERAL if HMAC fails. */
apr_status_t sa_hotp(const unsigned char *key, apr_size_t keylen, sa_otp_hash hash,
                     apr_uint64_t counter, int digits, char *out);

/* The time step of a moment: floor(unix_seconds / period), T0 = 0. */
apr_int64_t sa_totp_step(apr_int64_t unix_seconds, int period);

/* The TOTP value at unix_seconds. */
apr_status_t sa_totp(const unsigned char *key, apr_size_t keylen, sa_otp_hash hash,
                     apr_int64_t unix_seconds, int period, int digits, char *out);

/* What people type, with blanks removed; NULL unless it is then exactly SA_TOTP_DIGITS
 * digits. */
const char *sa_totp_normalise(apr_pool_t *p, const char *typed);

typedef enum {
    SA_TOTP_MATCH = 0, /* *step is the step it matched, later than last_step */
    SA_TOTP_REPLAY,    /* it is the code of a step at or before last_step: already used */
    SA_TOTP_WRONG      /* no step of the window has this code (or the code is malformed) */
} sa_totp_result;

/* Checks a product code (SHA1, 6 digits, 30 s) against the steps now-1, now and now+1. Every
 * step of the window is computed and compared in constant time, whatever matches. A match on
 * a step <= last_step is a replay. */
sa_totp_result sa_totp_verify(const unsigned char *key, apr_size_t keylen, const char *code,
                              apr_int64_t now_s, apr_int64_t last_step, apr_int64_t *step);

/* otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER with both parts percent-encoded
 * (a ':' in the account, which the format forbids, becomes '_'), the secret without padding. */
const char *sa_totp_uri(apr_pool_t *p, const char *issuer, const char *account,
                        const unsigned char *secret, apr_size_t len);

#endif
