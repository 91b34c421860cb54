/* Base32 (src/core/base32.c), which reads TOTP secrets: any text decodes or is refused, and
 * what decodes re-encodes to an equivalent text; any bytes survive encode/decode, padded,
 * unpadded and grouped for reading. SEC-85, SEC-23. */
#include "fuzz.h"
#include "core/base32.h"

static void check_round_trip(apr_pool_t *p, const unsigned char *bytes, apr_size_t len)
{
    for (int pad = 0; pad <= 1; pad++) {
        const char *text = sa_base32_encode(p, bytes, len, pad);
        unsigned char *back = NULL;
        apr_size_t back_len = 0;
        FUZZ_ASSERT(sa_base32_decode(p, text, &back, &back_len) == APR_SUCCESS);
        FUZZ_ASSERT(back_len == len && (len == 0 || memcmp(back, bytes, len) == 0));
        FUZZ_ASSERT(sa_base32_decode(p, sa_base32_grouped(p, text), &back, &back_len) ==
                    APR_SUCCESS);
        FUZZ_ASSERT(back_len == len && (len == 0 || memcmp(back, bytes, len) == 0));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *text = fuzz_cstring(p, data, size);
    unsigned char *out = NULL;
    apr_size_t len = 0;

    if (sa_base32_decode(p, text, &out, &len) == APR_SUCCESS) {
        check_round_trip(p, out, len);
    }
    check_round_trip(p, data, size);
    apr_pool_destroy(p);
    return 0;
}
