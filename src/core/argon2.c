/* argon2id through libargon2's argon2_ctx, with pooled work areas; see argon2.h for why. */
#include <string.h>
#include <sys/mman.h>

#include <argon2.h>
#include <openssl/crypto.h>

#include <apr_atomic.h>
#include <apr_strings.h>

#include "core/argon2.h"

#define SA_ARGON2_TAG_LEN 32
#define SA_ARGON2_TAG_MAX 64
#define SA_ARGON2_SALT_MIN 8
#define SA_ARGON2_SALT_MAX 64
#define SA_AREA_HEADER 4096                  /* one page: the mapped length, then the area */
#define SA_AREA_SLOTS 64                     /* the most idle areas a process can keep */
#define SA_AREA_KEEP_MAX ((size_t)256 << 20) /* bigger areas are never kept */
#define SA_ARGON2_PREFIX "$argon2id$"

void sa_argon2_defaults(sa_argon2_params *params)
{
    params->m_kib = SA_ARGON2_M_DEFAULT;
    params->t = SA_ARGON2_T_DEFAULT;
    params->p = SA_ARGON2_P_DEFAULT;
}

/* ---- the pool of work areas ---- */

static volatile void *idle_areas[SA_AREA_SLOTS];
static apr_uint32_t keep_areas = 2;
static apr_uint32_t areas_mapped;

static void area_unmap(void *area);

void sa_argon2_pool_keep(unsigned int areas)
{
    unsigned int keep = areas < SA_AREA_SLOTS ? areas : SA_AREA_SLOTS;
    apr_atomic_set32(&keep_areas, keep);
    for (unsigned int i = keep; i < SA_AREA_SLOTS; i++) {
        void *area = apr_atomic_xchgptr(&idle_areas[i], NULL);
        if (area) {
            area_unmap(area);
        }
    }
}

unsigned int sa_argon2_areas_mapped(void)
{
    return apr_atomic_read32(&areas_mapped);
}

static size_t area_size(const void *area)
{
    size_t mapped;
    memcpy(&mapped, (const char *)area - SA_AREA_HEADER, sizeof(mapped));
    return mapped - SA_AREA_HEADER;
}

static void area_unmap(void *area)
{
    char *base = (char *)area - SA_AREA_HEADER;
    munmap(base, area_size(area) + SA_AREA_HEADER);
    apr_atomic_dec32(&areas_mapped);
}

static void *area_map(size_t bytes)
{
    size_t mapped = bytes + SA_AREA_HEADER;
    char *base = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        return NULL;
    }
    memcpy(base, &mapped, sizeof(mapped));
    apr_atomic_inc32(&areas_mapped);
    return base + SA_AREA_HEADER;
}

/* An idle area big enough, else a new one. Lock-free: each slot is taken by an exchange. */
static int area_take(uint8_t **memory, size_t bytes)
{
    unsigned int keep = apr_atomic_read32(&keep_areas);
    for (unsigned int i = 0; i < keep; i++) {
        void *area = apr_atomic_xchgptr(&idle_areas[i], NULL);
        if (!area) {
            continue;
        }
        if (area_size(area) >= bytes) {
            *memory = area;
            return 0;
        }
        area_unmap(area); /* the parameters grew: this one is too small now */
    }
    *memory = area_map(bytes);
    return *memory ? 0 : -1;
}

/* libargon2 has wiped the area already (FLAG_clear_internal_memory). */
static void area_give(uint8_t *memory, size_t bytes)
{
    unsigned int keep = apr_atomic_read32(&keep_areas);
    (void)bytes;
    if (area_size(memory) <= SA_AREA_KEEP_MAX) {
        for (unsigned int i = 0; i < keep; i++) {
            if (apr_atomic_casptr(&idle_areas[i], memory, NULL) == NULL) {
                return;
            }
        }
    }
    area_unmap(memory);
}

static int compute(const sa_argon2_params *params, unsigned int version, const char *password,
                   const unsigned char *salt, size_t salt_len, unsigned char *tag, size_t tag_len)
{
    argon2_context ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.out = tag;
    ctx.outlen = (uint32_t)tag_len;
    ctx.pwd = (uint8_t *)(uintptr_t)password; /* read only: no ARGON2_FLAG_CLEAR_PASSWORD */
    ctx.pwdlen = (uint32_t)strlen(password);
    ctx.salt = (uint8_t *)(uintptr_t)salt;
    ctx.saltlen = (uint32_t)salt_len;
    ctx.t_cost = params->t;
    ctx.m_cost = params->m_kib;
    ctx.lanes = params->p;
    ctx.threads = params->p;
    ctx.version = version;
    ctx.allocate_cbk = area_take;
    ctx.free_cbk = area_give;
    ctx.flags = ARGON2_DEFAULT_FLAGS;
    return argon2_ctx(&ctx, Argon2_id);
}

/* ---- the PHC string: base64 without padding, canonical ---- */

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(apr_pool_t *p, const unsigned char *in, size_t len)
{
    char *out = apr_palloc(p, (len * 4 + 2) / 3 + 1), *o = out;
    unsigned int acc = 0, bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            *o++ = b64_chars[(acc >> bits) & 63];
        }
    }
    if (bits > 0) {
        *o++ = b64_chars[(acc << (6 - bits)) & 63];
    }
    *o = '\0';
    return out;
}

static int b64_value(char c)
{
    const char *at = c ? strchr(b64_chars, c) : NULL;
    return at ? (int)(at - b64_chars) : -1;
}

/* Decodes up to the next '$' or the end into out (at most max bytes); *s moves past the text.
 * 0 for a bad character, a length that base64 cannot produce, or non-zero spare bits. */
static size_t b64_decode(const char **s, unsigned char *out, size_t max)
{
    unsigned int acc = 0, bits = 0;
    size_t n = 0;
    const char *c = *s;
    for (; *c && *c != '$'; c++) {
        int v = b64_value(*c);
        if (v < 0) {
            return 0;
        }
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == max) {
                return 0;
            }
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (bits > 4 || (acc & ((1u << bits) - 1)) != 0) {
        return 0;
    }
    *s = c;
    return n;
}

static int parse_number(const char **s, const char *label, unsigned int *out)
{
    size_t n = strlen(label);
    unsigned long v = 0;
    const char *c = *s;
    if (strncmp(c, label, n) != 0) {
        return 0;
    }
    c += n;
    if (*c < '0' || *c > '9' || (c[0] == '0' && c[1] >= '0' && c[1] <= '9')) {
        return 0;
    }
    for (; *c >= '0' && *c <= '9'; c++) {
        v = v * 10 + (unsigned long)(*c - '0');
        if (v > 0xffffffffUL) {
            return 0;
        }
    }
    *out = (unsigned int)v;
    *s = c;
    return 1;
}

typedef struct {
    sa_argon2_params params;
    unsigned int version;
    unsigned char salt[SA_ARGON2_SALT_MAX];
    size_t salt_len;
    unsigned char tag[SA_ARGON2_TAG_MAX];
    size_t tag_len;
} phc_hash;

static int within_limits(const phc_hash *h)
{
    const sa_argon2_params *q = &h->params;
    return (h->version == ARGON2_VERSION_10 || h->version == ARGON2_VERSION_13) && q->t >= 1 &&
           q->t <= SA_ARGON2_T_MAX && q->p >= 1 && q->p <= SA_ARGON2_P_MAX &&
           q->m_kib >= 8 * q->p && q->m_kib <= SA_ARGON2_M_MAX &&
           h->salt_len >= SA_ARGON2_SALT_MIN && h->tag_len >= 4;
}

/* "$argon2id$" ["v=" n "$"] "m=" n ",t=" n ",p=" n "$" salt "$" tag; no "v=" means 0x10, as
 * libargon2 reads it. */
static int phc_decode(const char *s, phc_hash *h)
{
    memset(h, 0, sizeof(*h));
    h->version = ARGON2_VERSION_10;
    if (strncmp(s, SA_ARGON2_PREFIX, strlen(SA_ARGON2_PREFIX)) != 0) {
        return 0;
    }
    s += strlen(SA_ARGON2_PREFIX);
    if (strncmp(s, "v=", 2) == 0 && (!parse_number(&s, "v=", &h->version) || *s++ != '$')) {
        return 0;
    }
    if (!parse_number(&s, "m=", &h->params.m_kib) || !parse_number(&s, ",t=", &h->params.t) ||
        !parse_number(&s, ",p=", &h->params.p) || *s++ != '$') {
        return 0;
    }
    h->salt_len = b64_decode(&s, h->salt, sizeof(h->salt));
    if (*s++ != '$') {
        return 0;
    }
    h->tag_len = b64_decode(&s, h->tag, sizeof(h->tag));
    return *s == '\0' && within_limits(h);
}

apr_status_t sa_argon2_hash(apr_pool_t *p, const char *password, const unsigned char *salt,
                            apr_size_t salt_len, const sa_argon2_params *params,
                            const char **encoded)
{
    unsigned char tag[SA_ARGON2_TAG_LEN];
    *encoded = NULL;
    int rc = compute(params, ARGON2_VERSION_13, password, salt, salt_len, tag, sizeof(tag));
    if (rc != ARGON2_OK) {
        OPENSSL_cleanse(tag, sizeof(tag));
        return rc == ARGON2_MEMORY_ALLOCATION_ERROR ? APR_ENOMEM : APR_EINVAL;
    }
    *encoded = apr_psprintf(p, SA_ARGON2_PREFIX "v=%d$m=%u,t=%u,p=%u$%s$%s", ARGON2_VERSION_13,
                            params->m_kib, params->t, params->p, b64_encode(p, salt, salt_len),
                            b64_encode(p, tag, sizeof(tag)));
    OPENSSL_cleanse(tag, sizeof(tag));
    return APR_SUCCESS;
}

int sa_argon2_verify(const char *encoded, const char *password)
{
    phc_hash h;
    unsigned char tag[SA_ARGON2_TAG_MAX];
    if (!phc_decode(encoded, &h)) {
        return ARGON2_DECODING_FAIL;
    }
    int rc = compute(&h.params, h.version, password, h.salt, h.salt_len, tag, h.tag_len);
    if (rc == ARGON2_OK && CRYPTO_memcmp(tag, h.tag, h.tag_len) != 0) {
        rc = ARGON2_VERIFY_MISMATCH;
    }
    OPENSSL_cleanse(tag, sizeof(tag));
    OPENSSL_cleanse(&h, sizeof(h));
    return rc;
}
