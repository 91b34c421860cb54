/* The Accept-Language negotiation (src/core/i18n.c): any header gives one of the four
 * languages, and the fallback when nothing matches. SEC-85. */
#include "fuzz.h"
#include "core/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    apr_pool_t *p = fuzz_pool();
    sa_lang fallback = (sa_lang)(data[0] % SA_LANG_COUNT);
    const char *header = fuzz_cstring(p, data + 1, size - 1);
    sa_lang got = sa_lang_negotiate(header, fallback);
    FUZZ_ASSERT((int)got >= 0 && got < SA_LANG_COUNT);
    FUZZ_ASSERT(sa_lang_code(got) != NULL);
    /* no language tag at all: the fallback */
    if (strpbrk(header, "dDeEfFiI") == NULL) {
        FUZZ_ASSERT(got == fallback);
    }
    apr_pool_destroy(p);
    return 0;
}
