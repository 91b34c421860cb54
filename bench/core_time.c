/* Times single core operations with the module's own code, for bench/run.sh:
 *
 *   core-time hash N   N argon2id verifications of a stored hash (the module's parameters, its
 *                      work-area pool, warmed up by one verification first, as in a child
 *                      that has served a login before), one time per line in seconds
 *   core-time qr N     N renderings of a 2FA enrolment QR code as PNG (sa_qr_png on a typical
 *                      otpauth URI), one time per line in seconds
 *
 * The benchmark compares a login POST with "hash" rather than with a separately built argon2
 * binary, and interleaves the two, so that a busy machine slows both alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <apr_general.h>
#include <apr_pools.h>

#include "core/argon2.h"
#include "core/password.h"
#include "core/qr.h"
#include "core/totp.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int time_hashes(apr_pool_t *pool, int n)
{
    static const char password[] = "correct-horse-battery-staple-42";
    sa_argon2_params params;
    const char *stored = NULL;
    sa_argon2_defaults(&params);
    if (sa_password_hash(pool, password, &params, &stored) != APR_SUCCESS) {
        fputs("core-time: cannot hash\n", stderr);
        return 1;
    }
    /* an Apache child that has logged someone in before has its work area mapped already */
    if (sa_password_verify(pool, password, stored) != SA_PW_MATCH) {
        fputs("core-time: the hash did not verify\n", stderr);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        apr_pool_t *scratch = NULL;
        apr_pool_create(&scratch, pool);
        double t0 = now_s();
        sa_pw_result r = sa_password_verify(scratch, password, stored);
        double t1 = now_s();
        apr_pool_destroy(scratch);
        if (r != SA_PW_MATCH) {
            fputs("core-time: the hash did not verify\n", stderr);
            return 1;
        }
        printf("%.6f\n", t1 - t0);
    }
    return 0;
}

static int time_qr(apr_pool_t *pool, int n)
{
    /* 20 random-looking bytes (160 bits, RFC 6238's SHA-1 key size) and a long-ish account */
    static const unsigned char secret[20] = {0x3d, 0xc6, 0xca, 0xa4, 0x82, 0x4a, 0x6d,
                                             0x28, 0x87, 0x67, 0xb2, 0x33, 0x1e, 0x20,
                                             0xb4, 0x31, 0x66, 0xcb, 0x85, 0xd9};
    const char *uri = sa_totp_uri(pool, "Commune de Val-de-Ruz", "marie.dupont-schneider", secret,
                                  sizeof(secret));
    for (int i = 0; i < n; i++) {
        apr_pool_t *scratch = NULL;
        const unsigned char *png = NULL;
        apr_size_t len = 0;
        apr_pool_create(&scratch, pool);
        double t0 = now_s();
        apr_status_t rv = sa_qr_png(scratch, uri, &png, &len);
        double t1 = now_s();
        apr_pool_destroy(scratch);
        if (rv != APR_SUCCESS || len < 8) {
            fputs("core-time: no PNG\n", stderr);
            return 1;
        }
        printf("%.6f\n", t1 - t0);
    }
    return 0;
}

int main(int argc, char **argv)
{
    apr_pool_t *pool = NULL;
    int n = argc == 3 ? atoi(argv[2]) : 0;
    int rc = 2;
    if (n <= 0 || n > 100000) {
        fputs("usage: core-time hash|qr N\n", stderr);
        return 2;
    }
    apr_initialize();
    apr_pool_create(&pool, NULL);
    if (strcmp(argv[1], "hash") == 0) {
        rc = time_hashes(pool, n);
    } else if (strcmp(argv[1], "qr") == 0) {
        rc = time_qr(pool, n);
    } else {
        fputs("usage: core-time hash|qr N\n", stderr);
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
