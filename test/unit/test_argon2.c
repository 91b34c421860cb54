/* argon2id through argon2_ctx with pooled work areas: the same hashes as libargon2's own
 * encoder (the oracle), strict reading of the PHC string, and a pool that stays bounded. */
/* Checklist (test/SECURITY.md): SEC-86 thread safety and isolation, SEC-88 bounded cost of
 * password hashing. */
#include <string.h>

#include <argon2.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>

#include "unit.h"
#include "core/argon2.h"

static const sa_argon2_params small = {1024, 1, 1};
static const unsigned char salt16[16] = "seances-salt-16b";

/* What libargon2's own encoder writes for these inputs. */
static const char *oracle(apr_pool_t *p, const char *pw, const sa_argon2_params *q,
                          const unsigned char *salt, size_t salt_len)
{
    size_t len = argon2_encodedlen(q->t, q->m_kib, q->p, (uint32_t)salt_len, 32, Argon2_id);
    char *out = apr_palloc(p, len);
    int rc =
        argon2id_hash_encoded(q->t, q->m_kib, q->p, pw, strlen(pw), salt, salt_len, 32, out, len);
    return rc == ARGON2_OK ? out : NULL;
}

static void argon2_matches_libargon2_encoder(apr_pool_t *p)
{
    const sa_argon2_params params[] = {{1024, 1, 1}, {2048, 3, 2}, {19456, 2, 1}};
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        const char *ours = NULL;
        CHECK(sa_argon2_hash(p, "Velo rouge", salt16, sizeof(salt16), &params[i], &ours) ==
              APR_SUCCESS);
        CHECK_STR(ours, oracle(p, "Velo rouge", &params[i], salt16, sizeof(salt16)));
        /* and libargon2 accepts what we wrote */
        CHECK(ours && argon2id_verify(ours, "Velo rouge", 10) == ARGON2_OK);
    }
}

static void argon2_verifies_libargon2_hashes(apr_pool_t *p)
{
    /* libargon2's reference vector: "password", salt "somesalt", m=2^16, t=2, p=1 */
    const char *ref =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    CHECK(sa_argon2_verify(ref, "password") == ARGON2_OK);
    CHECK(sa_argon2_verify(ref, "passwore") == ARGON2_VERIFY_MISMATCH);

    /* version 0x10, with a 16-byte tag and an 8-byte salt; without "v=" it means 0x10 too */
    char v10[128];
    CHECK(argon2_hash(1, 1024, 1, "pw", 2, "saltsalt", 8, NULL, 16, v10, sizeof(v10), Argon2_id,
                      ARGON2_VERSION_10) == ARGON2_OK);
    REQUIRE(strncmp(v10, "$argon2id$v=16$m=1024", 21) == 0);
    CHECK(sa_argon2_verify(v10, "pw") == ARGON2_OK);
    CHECK(sa_argon2_verify(v10, "pX") == ARGON2_VERIFY_MISMATCH);
    const char *no_v = apr_pstrcat(p, "$argon2id$", v10 + 15, NULL);
    CHECK(sa_argon2_verify(no_v, "pw") == ARGON2_OK);
}

static void argon2_refuses_malformed_strings(apr_pool_t *p)
{
    const char *good = NULL;
    CHECK(sa_argon2_hash(p, "pw", salt16, sizeof(salt16), &small, &good) == APR_SUCCESS);
    REQUIRE(good && sa_argon2_verify(good, "pw") == ARGON2_OK);
    const char *bad[] = {
        apr_pstrcat(p, good, "=", NULL),  /* padding */
        apr_pstrcat(p, good, "AA", NULL), /* a length base64 cannot have */
        apr_pstrcat(p, good, "$", NULL),  /* trailing field */
        "$argon2i$v=19$m=1024,t=1,p=1$c2VhbmNlcy1zYWx0LTE2Yg$AAAA",
        "$argon2id$v=18$m=1024,t=1,p=1$c2VhbmNlcy1zYWx0LTE2Yg$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=01024,t=1,p=1$c2VhbmNlcy1zYWx0LTE2Yg$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=1024,t=0,p=1$c2VhbmNlcy1zYWx0LTE2Yg$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=1024,t=1,p=1$c2Fs$AAAAAAAAAAAAAAAAAAAAAA", /* 3-byte salt */
        "$argon2id$v=19$m=1024,t=1,p=1$c2VhbmNlcy1zYWx0LTE2Yg$AB",   /* 1-byte tag */
        "$argon2id$v=19$m=1024,t=1,p=1$c2VhbmNlcy1zYWx0LTE2Yh$AAAAAAAAAAAAAAAAAAAAAA", /* bits */
        "$argon2id$v=19$m=1024,t=1,p=1$c2VhbmNlcy1z*Wx0LTE2Yg$AAAAAAAAAAAAAAAAAAAAAA",
        /* beyond the limits: refused before any work area is mapped */
        "$argon2id$v=19$m=4194304,t=1,p=1$c2VhbmNlcy1zYWx0LTE2Yg$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=1024,t=1000,p=1$c2VhbmNlcy1zYWx0LTE2Yg$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=1024,t=1,p=64$c2VhbmNlcy1zYWx0LTE2Yg$AAAAAAAAAAAAAAAAAAAAAA",
        "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = sa_argon2_verify(bad[i], "pw");
        if (rc != ARGON2_DECODING_FAIL) {
            fprintf(stderr, "    accepted: %s (%d)\n", bad[i], rc);
        }
        CHECK(rc == ARGON2_DECODING_FAIL);
    }
}

static void argon2_pool_reuses_and_bounds_areas(apr_pool_t *p)
{
    const char *h = NULL;
    sa_argon2_pool_keep(0);
    CHECK(sa_argon2_hash(p, "pw", salt16, sizeof(salt16), &small, &h) == APR_SUCCESS);
    CHECK(sa_argon2_areas_mapped() == 0); /* nothing kept: unmapped at once */
    sa_argon2_pool_keep(1);
    for (int i = 0; i < 5; i++) {
        CHECK(sa_argon2_verify(h, "pw") == ARGON2_OK);
        CHECK(sa_argon2_areas_mapped() == 1); /* one area, reused */
    }
    /* bigger parameters replace the kept area instead of adding one */
    const sa_argon2_params bigger = {4096, 1, 1};
    CHECK(sa_argon2_hash(p, "pw", salt16, sizeof(salt16), &bigger, &h) == APR_SUCCESS);
    CHECK(sa_argon2_areas_mapped() == 1);
    sa_argon2_pool_keep(2);
}

typedef struct {
    const char *hash;
    int failures;
} hash_job;

static void *APR_THREAD_FUNC hash_thread(apr_thread_t *t, void *data)
{
    hash_job *job = data;
    for (int i = 0; i < 4; i++) {
        if (sa_argon2_verify(job->hash, "pw") != ARGON2_OK) {
            job->failures++;
        }
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static void argon2_pool_under_threads(apr_pool_t *p)
{
    enum { THREADS = 6 };
    apr_thread_t *threads[THREADS];
    hash_job jobs[THREADS];
    const char *h = NULL;
    sa_argon2_pool_keep(2);
    REQUIRE(sa_argon2_hash(p, "pw", salt16, sizeof(salt16), &small, &h) == APR_SUCCESS);
    for (int i = 0; i < THREADS; i++) {
        jobs[i].hash = h;
        jobs[i].failures = 0;
        CHECK(apr_thread_create(&threads[i], NULL, hash_thread, &jobs[i], p) == APR_SUCCESS);
    }
    for (int i = 0; i < THREADS; i++) {
        apr_status_t rv;
        apr_thread_join(&rv, threads[i]);
        CHECK(jobs[i].failures == 0);
    }
    /* however many ran at once, the process keeps two afterwards */
    CHECK(sa_argon2_areas_mapped() <= 2);
}

UNIT_SUITE(argon2_tests) = {
    {"argon2_matches_libargon2_encoder", argon2_matches_libargon2_encoder},
    {"argon2_verifies_libargon2_hashes", argon2_verifies_libargon2_hashes},
    {"argon2_refuses_malformed_strings", argon2_refuses_malformed_strings},
    {"argon2_pool_reuses_and_bounds_areas", argon2_pool_reuses_and_bounds_areas},
    {"argon2_pool_under_threads", argon2_pool_under_threads},
    {NULL, NULL},
};
