/* The Cookie request header as a browser (or an attacker) sends it, up to the session: the
 * scan for the session cookie (src/core/cookie.c) across several headers (the input's lines),
 * then the cookie decoder with the module's key. The class of CVE-2021-26690 (a crafted Cookie
 * header crashed mod_session). SEC-85, SEC-37. */
#include "fuzz.h"
#include <apr_tables.h>
#include "core/cookie.h"
#include "core/crypto.h"
#include "core/session.h"

static const char name[] = "seances_session";

/* What was found is one piece of one header: no separator, no trailing blank, in the input. */
static void check_value(const char *value, const uint8_t *data, size_t size)
{
    size_t len = strlen(value);
    FUZZ_ASSERT(strpbrk(value, ";,\n") == NULL);
    FUZZ_ASSERT(len == 0 || (value[len - 1] != ' ' && value[len - 1] != '\t'));
    int found = 0;
    for (size_t i = 0; !found && i + len <= size; i++) {
        found = memcmp(data + i, value, len) == 0;
    }
    FUZZ_ASSERT(found);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sa_crypto *crypto;
    if (!crypto) {
        apr_array_header_t *a = apr_array_make(fuzz_root_pool(), 1, sizeof(const char *));
        APR_ARRAY_PUSH(a, const char *) = "fuzz-passphrase-header-012345";
        if (sa_crypto_create(fuzz_root_pool(), SA_CIPHER_AES256, a, &crypto) != APR_SUCCESS) {
            abort();
        }
    }
    apr_pool_t *p = fuzz_pool();
    char *rest = fuzz_cstring(p, data, size);
    sa_cookie_search s = {p, name, NULL, 0};
    while (*rest) {
        sa_cookie_scan(&s, fuzz_next_field(&rest, '\n'));
    }
    const char *value = sa_cookie_value(&s);
    if (value) {
        sa_cookie_claims claims;
        check_value(value, data, size);
        (void)sa_session_open_cookie(crypto, NULL, p, value, apr_time_from_sec(1800000000),
                                     &claims);
    }
    apr_pool_destroy(p);
    return 0;
}
