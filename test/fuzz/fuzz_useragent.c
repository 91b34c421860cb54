/* The User-Agent summariser of the portal's session and login lists (src/core/useragent.c):
 * any header gives a summary made only of the module's own words, in every language, so no
 * byte of the header is reflected into the page. SEC-62, SEC-85. */
#include "fuzz.h"
#include "core/useragent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *ua = fuzz_cstring(p, data, size);
    const char *browser = NULL, *system = NULL;

    sa_useragent_parse(ua, &browser, &system);
    for (int l = 0; l < SA_LANG_COUNT; l++) {
        const char *s = sa_useragent_summary(p, ua, (sa_lang)l);
        FUZZ_ASSERT(s != NULL && strlen(s) < 80);
        FUZZ_ASSERT(strpbrk(s, "<>&\"'/\\;") == NULL);
    }
    apr_pool_destroy(p);
    return 0;
}
