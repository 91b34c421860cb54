/* A very small unit-test runner: each test is a function; CHECK records a failure with its
 * location and keeps going, so one run shows every broken assertion. */
#ifndef SA_UNIT_H
#define SA_UNIT_H

#include <stdio.h>
#include <string.h>
#include <apr_pools.h>

extern int unit_failures_in_test;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);             \
            unit_failures_in_test++;                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                                   \
            fprintf(stderr, "  %s:%d: %s\n    got:  %s\n    want: %s\n", __FILE__, __LINE__, #got, \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                       \
            unit_failures_in_test++;                                                               \
        }                                                                                          \
    } while (0)

/* CHECK, then leave the test when it failed: for what the rest of the test dereferences. */
#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "  %s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond);           \
            unit_failures_in_test++;                                                               \
            return;                                                                                \
        }                                                                                          \
    } while (0)

typedef void (*unit_fn)(apr_pool_t *p);

typedef struct {
    const char *name;
    unit_fn fn;
} unit_test;

/* Each test file defines one suite table ending with {NULL, NULL}. */
#define UNIT_SUITE(sym) const unit_test sym[]

#endif
