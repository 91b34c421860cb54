/* The return-path check (src/core/validate.c), which decides where a browser goes after the
 * login: whatever it lets through must be a local path a browser cannot read as another
 * origin, raw or after one round of percent-decoding. SEC-64, SEC-85. */
#include "fuzz.h"
#include "core/codec.h"
#include "core/validate.h"

static void check_local(const char *path)
{
    FUZZ_ASSERT(path[0] == '/');
    FUZZ_ASSERT(path[1] != '/' && path[1] != '\\');
    for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
        FUZZ_ASSERT(*c >= 0x20 && *c != 0x7f && *c != '\\');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *target = fuzz_cstring(p, data, size);
    const char *got = sa_safe_return_path(target);

    FUZZ_ASSERT(got == target || strcmp(got, "/") == 0);
    FUZZ_ASSERT(strlen(got) <= SA_RETURN_MAX);
    check_local(got);
    if (got == target) {
        /* a proxy or the browser may decode once: still local */
        char *decoded = apr_pstrdup(p, got);
        if (sa_codec_unescape(decoded) == 0) {
            check_local(decoded);
        }
    }
    apr_pool_destroy(p);
    return 0;
}
