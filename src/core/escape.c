/* Escaping for terminals and logs: see escape.h. */
#include <string.h>
#include <apr_strings.h>

#include "core/escape.h"

/* The length of the valid UTF-8 sequence at s and its code point, or 0 when the bytes there
 * are not one (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
    size_t len;
    unsigned long min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, *cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, *cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0; /* also stops at the terminating NUL */
        }
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

static int invisible_control(unsigned long cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Appends the escape of one ASCII byte, or 0 when it needs none. */
static int escape_ascii(char *out, unsigned char c)
{
    switch (c) {
    case '\t':
        return apr_snprintf(out, 8, "\\t");
    case '\r':
        return apr_snprintf(out, 8, "\\r");
    case '\n':
        return apr_snprintf(out, 8, "\\n");
    case '\\':
        return apr_snprintf(out, 8, "\\\\");
    default:
        return c < 0x20 || c == 0x7F ? apr_snprintf(out, 8, "\\x%02X", c) : 0;
    }
}

const char *sa_text_escape(apr_pool_t *p, const char *s)
{
    if (!s) {
        return "";
    }
    size_t n = strlen(s);
    /* the longest escape (\u{NNNN}, 8 bytes) replaces at least 2 bytes; \xNN 4 for 1 */
    char *out = apr_palloc(p, 4 * n + 1), *o = out;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned long cp = 0;
        size_t len = utf8_decode(u, &cp);
        if (len == 0) {
            o += apr_snprintf(o, 5, "\\x%02X", *u++);
        } else if (len == 1) {
            int e = escape_ascii(o, *u);
            if (e == 0) {
                *o = (char)*u;
                e = 1;
            }
            o += e;
            u++;
        } else if (invisible_control(cp)) {
            o += apr_snprintf(o, 9, "\\u{%04lX}", cp);
            u += len;
        } else {
            memcpy(o, u, len);
            o += len, u += len;
        }
    }
    *o = '\0';
    return out;
}
