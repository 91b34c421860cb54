/* Password hashing (argon2id through libargon2), verification of hashes imported from
 * htpasswd (through APR), and the policy for new passwords. */
#include <string.h>

#include <argon2.h>
#include <utf8proc.h>

#include <apr_atomic.h>
#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_md5.h>
#include <apr_strings.h>

#include "core/password.h"
#include "core/token.h"

#define SA_ARGON2_SALT_LEN 16
#define SA_ARGON2_PREFIX "$argon2id$"
#define SA_NAME_MIN_CHARS 3                /* shorter names would forbid too much */
#define SA_BLOCKLIST_MAX_BYTES (64L << 20) /* a sane upper bound for a word list */

/* Runs a utf8proc transformation with every buffer from the pool, wiped after use (utf8proc's
 * own utf8proc_NFC works in malloc'd buffers that it frees unwiped). NULL when s is not valid
 * UTF-8. */
static const char *utf8_transform(apr_pool_t *p, const char *s, utf8proc_option_t options)
{
    const utf8proc_uint8_t *in = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    utf8proc_ssize_t n = utf8proc_decompose(in, len, NULL, 0, options);
    if (n < 0 || sa_utf8_length(s) < 0) {
        return NULL;
    }
    apr_size_t size = ((apr_size_t)n + 1) * sizeof(utf8proc_int32_t);
    utf8proc_int32_t *buf = apr_palloc(p, size);
    utf8proc_ssize_t m = utf8proc_decompose(in, len, buf, n, options);
    m = m == n ? utf8proc_reencode(buf, n, options) : -1;
    const char *out = m >= 0 ? apr_pstrmemdup(p, (const char *)buf, (apr_size_t)m) : NULL;
    sa_wipe(buf, size);
    return out;
}

const char *sa_password_normalize(apr_pool_t *p, const char *password)
{
    return utf8_transform(p, password, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

/* The form a password is hashed in: NFC when it is UTF-8, else its bytes (legacy input). */
static const char *hashed_form(apr_pool_t *p, const char *password)
{
    const char *nfc = sa_password_normalize(p, password);
    return nfc ? nfc : password;
}

apr_status_t sa_password_hash(apr_pool_t *p, const char *password, const sa_argon2_params *params,
                              const char **hash)
{
    unsigned char salt[SA_ARGON2_SALT_LEN];

    *hash = NULL;
    if (!password || !params) {
        return APR_EINVAL;
    }
    if (sa_random_bytes(salt, sizeof(salt)) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *form = hashed_form(p, password);
    apr_status_t rv = sa_argon2_hash(p, form, salt, sizeof(salt), params, hash);
    if (form != password) {
        sa_wipe_str((char *)form);
    }
    return rv;
}

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Every stored format the product verifies, by prefix: the one list. */
static const struct {
    const char *prefix;
    const char *scheme;
} schemes[] = {{SA_ARGON2_PREFIX, "argon2id"},
               {"$2y$", "bcrypt"},
               {"$2a$", "bcrypt"},
               {"$2b$", "bcrypt"},
               {"$apr1$", "apr1"},
               {"{SHA}", "sha1"},
               {NULL, NULL}};

const char *sa_password_scheme(const char *stored)
{
    for (int i = 0; stored && schemes[i].prefix; i++) {
        if (has_prefix(stored, schemes[i].prefix)) {
            return schemes[i].scheme;
        }
    }
    return NULL;
}

/* The formats apr_password_validate understands natively. Anything else would make it fall
 * back to crypt(3) or, worse, to a plain-text comparison, so those never reach it. */
static int is_apr_format(const char *stored)
{
    const char *scheme = sa_password_scheme(stored);
    return scheme && strcmp(scheme, "argon2id") != 0;
}

/* Every argon2id verification, real or dummy: statistics for the status page, and the proof
 * in the tests that an unknown user costs a hash too. */
static apr_uint32_t argon2_runs;

unsigned int sa_password_argon2_runs(void)
{
    return apr_atomic_read32(&argon2_runs);
}

static int run_argon2id_verify(const char *stored, const char *password)
{
    apr_atomic_inc32(&argon2_runs);
    return sa_argon2_verify(stored, password);
}

static sa_pw_result verify_argon2id(const char *password, const char *stored)
{
    int rc = run_argon2id_verify(stored, password);
    if (rc == ARGON2_OK) {
        return SA_PW_MATCH;
    }
    return rc == ARGON2_VERIFY_MISMATCH ? SA_PW_MISMATCH : SA_PW_ERROR;
}

static sa_pw_result verify_apr(apr_pool_t *p, const char *password, const char *stored)
{
    const char *hash = stored;

    /* APR's bcrypt knows $2a$ and $2y$ but not $2b$, which OpenBSD and newer htpasswd
     * variants write; all three compute the same thing for the passwords we accept. */
    if (has_prefix(stored, "$2b$")) {
        hash = apr_pstrcat(p, "$2y$", stored + 4, NULL);
    }
    return apr_password_validate(password, hash) == APR_SUCCESS ? SA_PW_MATCH : SA_PW_MISMATCH;
}

static sa_pw_result verify_form(apr_pool_t *p, const char *password, const char *stored)
{
    if (has_prefix(stored, SA_ARGON2_PREFIX)) {
        return verify_argon2id(password, stored);
    }
    if (is_apr_format(stored)) {
        return verify_apr(p, password, stored);
    }
    return SA_PW_ERROR;
}

/* The NFC form first (what every hash of ours is made from); the bytes as typed second, for
 * hashes made elsewhere (htpasswd) or before normalisation, when the two forms differ. */
sa_pw_result sa_password_verify(apr_pool_t *p, const char *password, const char *stored)
{
    if (!password || !stored) {
        return SA_PW_ERROR;
    }
    const char *form = hashed_form(p, password);
    sa_pw_result rv = verify_form(p, form, stored);
    if (form != password) {
        if (rv == SA_PW_MISMATCH && strcmp(form, password) != 0) {
            rv = verify_form(p, password, stored);
        }
        sa_wipe_str((char *)form);
    }
    return rv;
}

/* A well-formed argon2id hash with these parameters that no password matches in practice
 * (fixed salt, all-zero tag): verifying against it costs exactly what a real verification
 * costs. Built on the stack for each call, so there is no shared state to initialise or lock. */
#define SA_DUMMY_SALT_B64 "c2VhbmNlcy1kdW1teS1zYQ" /* "seances-dummy-sa", 16 bytes */
#define SA_DUMMY_TAG_B64 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" /* 32 zero bytes */

void sa_password_burn(apr_pool_t *p, const char *password, const sa_argon2_params *params)
{
    char dummy[160];
    sa_argon2_params defaults;
    if (!params) {
        sa_argon2_defaults(&defaults);
        params = &defaults;
    }
    apr_snprintf(dummy, sizeof(dummy), "$argon2id$v=19$m=%u,t=%u,p=%u$%s$%s", params->m_kib,
                 params->t, params->p, SA_DUMMY_SALT_B64, SA_DUMMY_TAG_B64);
    (void)run_argon2id_verify(dummy, password ? password : "");
    /* sa_password_verify checks a password that NFC changes twice: so does this */
    const char *form = password ? sa_password_normalize(p, password) : NULL;
    if (form && strcmp(form, password) != 0) {
        (void)run_argon2id_verify(dummy, form);
    }
    if (form) {
        sa_wipe_str((char *)form);
    }
}

/* Reads a decimal unsigned int at *s and advances past it; 0 when there are no digits or the
 * value does not fit. Leading zeros are refused: libargon2 never writes them. */
static int parse_uint(const char **s, unsigned int *out)
{
    const char *c = *s;
    unsigned long v = 0;

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

/* Matches literal text at *s and advances past it. */
static int expect(const char **s, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*s, lit, n) != 0) {
        return 0;
    }
    *s += n;
    return 1;
}

int sa_password_needs_rehash(const char *stored, const sa_argon2_params *params)
{
    const char *s = stored;
    unsigned int v, m, t, par;

    if (!stored || !params) {
        return 1;
    }
    if (!expect(&s, "$argon2id$v=") || !parse_uint(&s, &v) || !expect(&s, "$m=") ||
        !parse_uint(&s, &m) || !expect(&s, ",t=") || !parse_uint(&s, &t) || !expect(&s, ",p=") ||
        !parse_uint(&s, &par) || !expect(&s, "$")) {
        return 1;
    }
    return v != ARGON2_VERSION_NUMBER || m != params->m_kib || t != params->t || par != params->p;
}

/* Length of the UTF-8 sequence starting with byte c, 0 if c cannot start one. The second
 * byte's range is narrowed where RFC 3629 demands it (overlongs, surrogates, > U+10FFFF). */
static int utf8_seq_len(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xbf;
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        return 2;
    }
    if (c >= 0xe0 && c <= 0xef) {
        *lo = c == 0xe0 ? 0xa0 : 0x80;
        *hi = c == 0xed ? 0x9f : 0xbf;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        *lo = c == 0xf0 ? 0x90 : 0x80;
        *hi = c == 0xf4 ? 0x8f : 0xbf;
        return 4;
    }
    return 0;
}

long sa_utf8_length(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    long count = 0;

    if (!s) {
        return -1;
    }
    while (*u) {
        unsigned char lo, hi;
        int n = utf8_seq_len(*u, &lo, &hi);
        if (n == 0) {
            return -1;
        }
        if (n > 1 && (u[1] < lo || u[1] > hi)) {
            return -1;
        }
        for (int i = 2; i < n; i++) {
            if (u[i] < 0x80 || u[i] > 0xbf) {
                return -1;
            }
        }
        u += n;
        count++;
    }
    return count;
}

/* ASCII lower-case copy: the comparisons are case-insensitive for ASCII letters only, which
 * is what blocklists and user names need; other bytes are kept as they are. */
static char *lower_copy(apr_pool_t *p, const char *s, size_t len)
{
    char *out = apr_pstrmemdup(p, s, len);
    for (char *c = out; *c; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c = (char)(*c - 'A' + 'a');
        }
    }
    return out;
}

/* The comparison form of a text: NFC with Unicode case folding ("Élodie" and "éLODIE" are
 * one), or ASCII lower case for bytes that are not UTF-8. */
static char *fold(apr_pool_t *p, const char *s, size_t len)
{
    char *copy = lower_copy(p, s, len);
    const char *folded =
        utf8_transform(p, copy, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (!folded) {
        return copy;
    }
    sa_wipe_str(copy);
    return (char *)folded;
}

/* 1 when the folded password contains the name (folded here), provided the name is long
 * enough to be meaningful. */
static int contains_name(apr_pool_t *p, const char *lower_pw, const char *name, size_t len)
{
    const char *lower_name;
    long chars;

    if (!name || len == 0) {
        return 0;
    }
    lower_name = fold(p, name, len);
    chars = sa_utf8_length(lower_name);
    if (chars < SA_NAME_MIN_CHARS) {
        return 0;
    }
    return strstr(lower_pw, lower_name) != NULL;
}

static const char *email_local_part(const char *email, size_t *len)
{
    const char *at;

    if (!email) {
        *len = 0;
        return NULL;
    }
    at = strrchr(email, '@');
    *len = at ? (size_t)(at - email) : strlen(email);
    return email;
}

/* The rules, in the order a user fixes them: length first, then content. */
static const char *policy_verdict(apr_pool_t *p, const char *password, int min_chars,
                                  const char *username, const char *email,
                                  struct apr_hash_t *blocklist)
{
    size_t local_len;
    long chars = sa_utf8_length(password);
    if (chars < (long)min_chars) {
        return "pw_too_short";
    }
    if (chars > SA_PASSWORD_MAX_CHARS) {
        return "pw_too_long";
    }
    const char *verdict = NULL;
    char *folded = fold(p, password, strlen(password));
    const char *local = email_local_part(email, &local_len);
    if (blocklist && apr_hash_get(blocklist, folded, APR_HASH_KEY_STRING)) {
        verdict = "pw_blocklisted";
    } else if (contains_name(p, folded, username, username ? strlen(username) : 0) ||
               contains_name(p, folded, local, local_len)) {
        verdict = "pw_contains_name";
    }
    sa_wipe_str(folded);
    return verdict;
}

const char *sa_password_policy(apr_pool_t *p, const char *password, int min_chars,
                               const char *username, const char *email,
                               struct apr_hash_t *blocklist)
{
    if (sa_utf8_length(password) < 0) {
        return "pw_not_utf8";
    }
    /* the rules apply to the password as it will be hashed */
    const char *form = hashed_form(p, password);
    const char *verdict = policy_verdict(p, form, min_chars, username, email, blocklist);
    if (form != password) {
        sa_wipe_str((char *)form);
    }
    return verdict;
}

static apr_status_t read_whole_file(apr_pool_t *p, const char *path, char **text)
{
    apr_file_t *f;
    apr_finfo_t finfo;
    apr_size_t got = 0;
    apr_status_t rv;
    char *buf;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BUFFERED, APR_FPROT_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_info_get(&finfo, APR_FINFO_SIZE, f);
    if (rv == APR_SUCCESS && (finfo.size < 0 || finfo.size > SA_BLOCKLIST_MAX_BYTES)) {
        rv = APR_EINVAL;
    }
    if (rv == APR_SUCCESS) {
        buf = apr_palloc(p, (apr_size_t)finfo.size + 1);
        rv = apr_file_read_full(f, buf, (apr_size_t)finfo.size, &got);
        if (rv == APR_EOF) {
            rv = APR_SUCCESS; /* the file shrank while we read it: use what we got */
        }
        buf[got] = '\0';
        *text = buf;
    }
    apr_file_close(f);
    return rv;
}

static int is_blank(const char *s)
{
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t') {
            return 0;
        }
    }
    return 1;
}

apr_status_t sa_password_blocklist_load(apr_pool_t *p, const char *path, struct apr_hash_t **out)
{
    apr_hash_t *list;
    char *text, *line, *next;
    apr_status_t rv = read_whole_file(p, path, &text);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    list = apr_hash_make(p);
    for (line = text; line; line = next) {
        size_t len;
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        len = strlen(line);
        if (len > 0 && line[len - 1] == '\r') {
            line[--len] = '\0'; /* lists downloaded from Windows tools */
        }
        if (line[0] == '#' || is_blank(line)) {
            continue;
        }
        const char *key = fold(p, line, len);
        apr_hash_set(list, key, APR_HASH_KEY_STRING, key);
    }
    *out = list;
    return APR_SUCCESS;
}
