/* The cookie decoder as a browser reaches it: base64, length checks, the SipHash MAC, the
 * key derivation, CBC decryption and padding, then the session string (SEC-85, SEC-39). A
 * random input essentially never has a valid MAC, so fuzz_cookie_sealed.c covers what lies
 * behind it. Two registries: aes256 with a rotation list, and 3des192 (another block size). */
#include "fuzz.h"
#include <apr_tables.h>
#include "core/crypto.h"
#include "core/session.h"

static sa_crypto *make_crypto(sa_cipher cipher, const char *const *phrases, int n)
{
    apr_array_header_t *a = apr_array_make(fuzz_root_pool(), n, sizeof(const char *));
    sa_crypto *c = NULL;
    for (int i = 0; i < n; i++) {
        APR_ARRAY_PUSH(a, const char *) = phrases[i];
    }
    if (sa_crypto_create(fuzz_root_pool(), cipher, a, &c) != APR_SUCCESS) {
        abort();
    }
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sa_crypto *aes, *des;
    static const char *const aes_phrases[] = {"fuzz-passphrase-one-0123456789",
                                              "fuzz-passphrase-two-0123456789"};
    static const char *const des_phrases[] = {"fuzz-passphrase-3des-01234567"};
    if (!aes) {
        aes = make_crypto(SA_CIPHER_AES256, aes_phrases, 2);
        des = make_crypto(SA_CIPHER_3DES192, des_phrases, 1);
    }
    apr_pool_t *p = fuzz_pool();
    const char *value = fuzz_cstring(p, data, size);
    const char *plain = NULL;
    sa_cookie_claims claims;

    if (sa_crypto_decrypt(aes, p, value, &plain) == APR_SUCCESS) {
        FUZZ_ASSERT(plain != NULL);
    }
    if (sa_session_open_cookie(aes, NULL, p, value, apr_time_from_sec(1800000000), &claims) ==
        SA_SESSION_VALID) {
        FUZZ_ASSERT(claims.sid && claims.user && claims.id_hash);
    }
    (void)sa_crypto_decrypt(des, p, value, &plain);
    apr_pool_destroy(p);
    return 0;
}
