/* Behind the MAC: the fuzzer's input is taken as a session plaintext, encrypted with the
 * module's own key (so the MAC is valid), then opened the way a request opens a cookie. This
 * reaches the decryption output and the session-string decoder with arbitrary content, and
 * checks two properties: decrypt(encrypt(x)) == x, and the session string decoder and
 * encoder agree (decode(encode(decode(x))) == decode(x)). SEC-85, SEC-38. */
#include "fuzz.h"
#include <apr_tables.h>
#include "core/codec.h"
#include "core/crypto.h"
#include "core/session.h"

static int is_expiry_key(const char *key)
{
    return strcasecmp(key, "expiry") == 0;
}

/* Every entry of a (but any spelling of "expiry", which the encoder never writes) is in b with
 * the same value, and b has no other entry. */
static void check_same_entries(const apr_table_t *a, const apr_table_t *b)
{
    const apr_array_header_t *arr = apr_table_elts(a);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    int kept = 0;
    for (int i = 0; i < arr->nelts; i++) {
        if (is_expiry_key(e[i].key)) {
            continue;
        }
        kept++;
        const char *v = apr_table_get(b, e[i].key);
        FUZZ_ASSERT(v && strcmp(v, e[i].val) == 0);
    }
    FUZZ_ASSERT(apr_table_elts(b)->nelts == kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sa_crypto *crypto;
    if (!crypto) {
        apr_array_header_t *a = apr_array_make(fuzz_root_pool(), 1, sizeof(const char *));
        APR_ARRAY_PUSH(a, const char *) = "fuzz-passphrase-sealed-012345";
        if (sa_crypto_create(fuzz_root_pool(), SA_CIPHER_AES256, a, &crypto) != APR_SUCCESS) {
            abort();
        }
    }
    if (size > 4096) {
        return 0; /* a cookie stays far below; the base64 form must fit SA_CRYPTO_MAX_COOKIE */
    }
    apr_pool_t *p = fuzz_pool();
    const char *plain = fuzz_cstring(p, data, size);
    const char *cookie = NULL, *back = NULL;
    sa_cookie_claims claims;
    apr_time_t exp1, exp2;

    FUZZ_ASSERT(sa_crypto_encrypt(crypto, p, plain, &cookie) == APR_SUCCESS);
    FUZZ_ASSERT(sa_crypto_decrypt(crypto, p, cookie, &back) == APR_SUCCESS);
    FUZZ_ASSERT(strcmp(back, plain) == 0);
    (void)sa_session_open_cookie(crypto, NULL, p, cookie, apr_time_from_sec(1800000000), &claims);

    apr_table_t *t1 = sa_codec_decode(p, plain, &exp1);
    apr_table_t *t2 = sa_codec_decode(p, sa_codec_encode(p, t1, exp1), &exp2);
    FUZZ_ASSERT(exp1 == exp2);
    check_same_entries(t1, t2);
    apr_pool_destroy(p);
    return 0;
}
