/* Recovery codes. 80 bits each: far beyond guessing through a throttled form, and beyond
 * brute force of the stored SHA-256 (NIST SP 800-63B rev. 4 asks for 64 bits). */
#include <string.h>
#include <apr_strings.h>

#include "core/base32.h"
#include "core/recovery.h"
#include "core/token.h"

/* "ABCDEFGHIJKLMNOP" -> "ABCD-EFGH-IJKL-MNOP" */
static const char *dashed(apr_pool_t *p, const char *code)
{
    char *out = apr_palloc(p, SA_RECOVERY_CHARS + SA_RECOVERY_CHARS / 4), *o = out;
    for (int i = 0; i < SA_RECOVERY_CHARS; i++) {
        if (i > 0 && i % 4 == 0) {
            *o++ = '-';
        }
        *o++ = code[i];
    }
    *o = '\0';
    return out;
}

apr_status_t sa_recovery_generate(apr_pool_t *p, int count, const char ***codes)
{
    unsigned char raw[SA_RECOVERY_BYTES];
    const char **list = apr_pcalloc(p, sizeof(char *) * (apr_size_t)(count + 1));
    for (int i = 0; i < count; i++) {
        if (sa_random_bytes(raw, sizeof(raw)) != APR_SUCCESS) {
            sa_wipe(raw, sizeof(raw));
            return APR_EGENERAL;
        }
        list[i] = dashed(p, sa_base32_encode(p, raw, sizeof(raw), 0));
    }
    sa_wipe(raw, sizeof(raw));
    *codes = list;
    return APR_SUCCESS;
}

static char canonical(char c)
{
    if (c >= 'a' && c <= 'z') {
        c = (char)(c - 'a' + 'A');
    }
    switch (c) {
    case '0':
        return 'O';
    case '1':
        return 'I';
    case '8':
        return 'B';
    default:
        return c;
    }
}

const char *sa_recovery_normalise(apr_pool_t *p, const char *typed)
{
    char code[SA_RECOVERY_CHARS + 1];
    int n = 0;
    if (!typed || strlen(typed) > 64) {
        return NULL;
    }
    for (const char *c = typed; *c; c++) {
        if (*c == ' ' || *c == '-' || *c == '\t') {
            continue;
        }
        char k = canonical(*c);
        if (n == SA_RECOVERY_CHARS || !((k >= 'A' && k <= 'Z') || (k >= '2' && k <= '7'))) {
            return NULL;
        }
        code[n++] = k;
    }
    if (n != SA_RECOVERY_CHARS) {
        return NULL;
    }
    code[n] = '\0';
    return apr_pstrdup(p, code);
}

const char *sa_recovery_hash(apr_pool_t *p, apr_int64_t user_id, const char *normalised)
{
    return sa_sha256_hex(
        p, apr_psprintf(p, "seances-recovery:%" APR_INT64_T_FMT ":%s", user_id, normalised));
}
