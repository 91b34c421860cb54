/* What a person or an admin gives the two-factor code: the otpauth:// URI built from the
 * issuer (SeancesIssuer) and the account name, and the typed code (TOTP or recovery code).
 * The input is "issuer\naccount\ncode". The URI must stay one well-formed URI whatever the
 * names hold (GA-KUF: one ':' between issuer and account, no raw blank or control byte), and
 * its secret must decode to the key. SEC-24, SEC-85. */
#include "fuzz.h"
#include "core/base32.h"
#include "core/recovery.h"
#include "core/totp.h"

static const unsigned char key[SA_TOTP_SECRET_BYTES] = "12345678901234567890";

static void check_uri(apr_pool_t *p, const char *uri)
{
    int colons = 0, questions = 0, amps = 0;
    FUZZ_ASSERT(strncmp(uri, "otpauth://totp/", 15) == 0);
    for (const unsigned char *c = (const unsigned char *)uri; *c; c++) {
        FUZZ_ASSERT(*c > 0x20 && *c < 0x7f && *c != '#');
        colons += *c == ':';
        questions += *c == '?';
        amps += *c == '&';
    }
    FUZZ_ASSERT(colons == 2 && questions == 1 && amps == 1);
    const char *secret = strstr(uri, "?secret=");
    FUZZ_ASSERT(secret != NULL);
    char *b32 = apr_pstrdup(p, secret + 8);
    *strchr(b32, '&') = '\0';
    unsigned char *out = NULL;
    apr_size_t len = 0;
    FUZZ_ASSERT(sa_base32_decode(p, b32, &out, &len) == APR_SUCCESS);
    FUZZ_ASSERT(len == sizeof(key) && memcmp(out, key, len) == 0);
}

static void check_code(apr_pool_t *p, const char *code)
{
    apr_int64_t step = -1;
    const char *six = sa_totp_normalise(p, code);
    sa_totp_result r = sa_totp_verify(key, sizeof(key), code, 1700000000, 0, &step);
    if (!six) {
        FUZZ_ASSERT(r == SA_TOTP_WRONG);
    } else {
        FUZZ_ASSERT(strlen(six) == SA_TOTP_DIGITS && strspn(six, "0123456789") == SA_TOTP_DIGITS);
    }
    const char *rec = sa_recovery_normalise(p, code);
    if (rec) {
        FUZZ_ASSERT(strlen(rec) == SA_RECOVERY_CHARS);
        FUZZ_ASSERT(sa_recovery_hash(p, 1, rec) != NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *rest = fuzz_cstring(p, data, size);
    const char *issuer = fuzz_next_field(&rest, '\n');
    const char *account = fuzz_next_field(&rest, '\n');
    const char *code = rest;

    check_uri(p, sa_totp_uri(p, issuer, account, key, sizeof(key)));
    check_code(p, code);
    apr_pool_destroy(p);
    return 0;
}
