/* What every fuzz target shares: APR started once, a pool per input, the input as a C string,
 * and FUZZ_ASSERT, which aborts (libFuzzer then saves the input as a crash). Each target is a
 * file fuzz_NAME.c defining LLVMFuzzerTestOneInput; see the README, "Fuzzing". */
#ifndef SA_FUZZ_H
#define SA_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *fuzz_root;

/* The process-wide pool; APR is started on first use (libFuzzer has no main of ours). */
static inline apr_pool_t *fuzz_root_pool(void)
{
    if (!fuzz_root) {
        if (apr_initialize() != APR_SUCCESS || apr_pool_create(&fuzz_root, NULL) != APR_SUCCESS) {
            abort();
        }
    }
    return fuzz_root;
}

/* A fresh pool for one input; the caller destroys it. */
static inline apr_pool_t *fuzz_pool(void)
{
    apr_pool_t *p = NULL;
    if (apr_pool_create(&p, fuzz_root_pool()) != APR_SUCCESS) {
        abort();
    }
    return p;
}

/* The input as a NUL-terminated string (it stops at the first NUL byte, as C strings from
 * httpd do: a header or a body field never carries one past the parser). */
static inline char *fuzz_cstring(apr_pool_t *p, const uint8_t *data, size_t size)
{
    char *s = apr_palloc(p, size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* The next field of s up to sep (or the end); *s moves past the separator. */
static inline char *fuzz_next_field(char **s, char sep)
{
    char *start = *s;
    char *end = strchr(start, sep);
    if (end) {
        *end = '\0';
        *s = end + 1;
    } else {
        *s = start + strlen(start);
    }
    return start;
}

#endif
