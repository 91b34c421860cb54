/* Cookie headers: the first step from a browser's bytes to a session. */
#include <string.h>
#include <apr_strings.h>

#include "core/cookie.h"

static void cookie_found(sa_cookie_search *s, const char *v, size_t vlen)
{
    while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
        vlen--;
    }
    if (!s->value) {
        s->value = apr_pstrmemdup(s->pool, v, vlen);
    } else if (strlen(s->value) != vlen || strncmp(s->value, v, vlen) != 0) {
        s->conflict = 1;
    }
}

void sa_cookie_scan(sa_cookie_search *s, const char *header)
{
    size_t nlen = strlen(s->name);
    for (const char *p = header; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ';' || *p == ',') {
            p++;
        }
        size_t len = strcspn(p, ";,");
        if (len > nlen && strncmp(p, s->name, nlen) == 0 && p[nlen] == '=') {
            cookie_found(s, p + nlen + 1, len - nlen - 1);
        }
        p += len;
    }
}

const char *sa_cookie_value(const sa_cookie_search *s)
{
    return s->conflict ? NULL : s->value;
}
