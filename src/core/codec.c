/* mod_session's identity encoding, byte for byte as httpd 2.4.71 reads and writes it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <apr_strings.h>
#include "core/codec.h"

#define SA_EXPIRY_KEY "expiry"
/* Room for "&expiry=<any int64>" and the NUL. */
#define SA_EXPIRY_ROOM sizeof("&" SA_EXPIRY_KEY "=-9223372036854775808")

static int is_kept_verbatim(unsigned char ch)
{
    /* ASCII only on purpose: bytes >= 0x80 must be escaped whatever the locale says. */
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-' || ch == '*' || ch == '_';
}

static char *escape_into(char *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *in = (const unsigned char *)s; *in; in++) {
        if (is_kept_verbatim(*in)) {
            *out++ = (char)*in;
        } else if (*in == ' ') {
            *out++ = '+';
        } else {
            *out++ = '%';
            *out++ = hex[*in >> 4];
            *out++ = hex[*in & 0x0f];
        }
    }
    *out = '\0';
    return out;
}

const char *sa_codec_escape(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, strlen(s) * 3 + 1);
    escape_into(out, s);
    return out;
}

/* The session's expiry field is authoritative, and neither an empty key nor an empty value
 * survives decoding (an empty value would even delete an earlier entry of the same key). */
static int entry_is_written(const apr_table_entry_t *e)
{
    return e->key && *e->key && e->val && *e->val && strcasecmp(e->key, SA_EXPIRY_KEY) != 0;
}

static apr_size_t encoded_size_bound(const apr_array_header_t *elts)
{
    const apr_table_entry_t *e = (const apr_table_entry_t *)elts->elts;
    apr_size_t size = SA_EXPIRY_ROOM;
    for (int i = 0; i < elts->nelts; i++) {
        if (entry_is_written(&e[i])) {
            size += (strlen(e[i].key) + strlen(e[i].val)) * 3 + 2;
        }
    }
    return size;
}

const char *sa_codec_encode(apr_pool_t *p, const apr_table_t *entries, apr_time_t expiry)
{
    const apr_array_header_t *elts = apr_table_elts(entries);
    const apr_table_entry_t *e = (const apr_table_entry_t *)elts->elts;
    char *buf = apr_palloc(p, encoded_size_bound(elts));
    char *end = buf;

    for (int i = 0; i < elts->nelts; i++) {
        if (!entry_is_written(&e[i])) {
            continue;
        }
        if (end != buf) {
            *end++ = '&';
        }
        end = escape_into(end, e[i].key);
        *end++ = '=';
        end = escape_into(end, e[i].val);
    }
    *end = '\0';
    if (expiry != 0) {
        apr_snprintf(end, SA_EXPIRY_ROOM, "%s" SA_EXPIRY_KEY "=%" APR_TIME_T_FMT,
                     end != buf ? "&" : "", expiry);
    }
    return buf;
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

int sa_codec_unescape(char *s)
{
    char *out = s;
    for (const char *in = s; *in; in++) {
        if (*in == '+') {
            *out++ = ' ';
        } else if (*in != '%') {
            *out++ = *in;
        } else {
            int hi = hex_value(in[1]);
            int lo = hi < 0 ? -1 : hex_value(in[2]);
            if (lo < 0 || (hi == 0 && lo == 0)) {
                return -1;
            }
            *out++ = (char)(hi << 4 | lo);
            in += 2;
        }
    }
    *out = '\0';
    return 0;
}

/* One '&'-free, NUL-terminated, writable piece. */
static void decode_pair(apr_table_t *entries, char *piece, apr_time_t *expiry)
{
    char *key = piece + strspn(piece, "=");
    char *val;
    if (!*key) {
        return;
    }
    val = strchr(key, '=');
    if (val) {
        *val++ = '\0';
    }
    if (!val || !*val) {
        /* httpd removes the key as written, before unescaping it. */
        apr_table_unset(entries, key);
        return;
    }
    if (sa_codec_unescape(key) != 0 || sa_codec_unescape(val) != 0) {
        return;
    }
    if (strcmp(key, SA_EXPIRY_KEY) == 0) {
        *expiry = (apr_time_t)strtoll(val, NULL, 10);
    } else {
        apr_table_set(entries, key, val);
    }
}

apr_table_t *sa_codec_decode(apr_pool_t *p, const char *encoded, apr_time_t *expiry)
{
    apr_table_t *entries = apr_table_make(p, 8);
    apr_time_t ignored;
    char *rest;

    if (!expiry) {
        expiry = &ignored;
    }
    *expiry = 0;
    if (!encoded) {
        return entries;
    }
    rest = apr_pstrdup(p, encoded);
    while (*rest) {
        char *piece = rest;
        char *amp = strchr(rest, '&');
        if (amp) {
            *amp = '\0';
            rest = amp + 1;
        } else {
            rest += strlen(rest);
        }
        if (*piece) {
            decode_pair(entries, piece, expiry);
        }
    }
    return entries;
}
