/* UsernameCaseMapped keys: see namekey.h. */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_lib.h>
#include <utf8proc.h>

#include "store/namekey.h"

/* RFC 8265 3.3.1's width mapping: a <wide> or <narrow> compatibility character becomes the one
 * character of its decomposition (U+FF21 "Ａ" -> "A", U+FF76 "ｶ" -> "カ"). */
static utf8proc_int32_t width_map(utf8proc_int32_t cp, void *data)
{
    (void)data;
    const utf8proc_property_t *prop = utf8proc_get_property(cp);
    if (prop->decomp_type != UTF8PROC_DECOMP_TYPE_WIDE &&
        prop->decomp_type != UTF8PROC_DECOMP_TYPE_NARROW) {
        return cp;
    }
    utf8proc_int32_t out[4];
    int last = 0;
    utf8proc_ssize_t n =
        utf8proc_decompose_char(cp, out, 4, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &last);
    return n == 1 ? out[0] : cp;
}

static const char *ascii_lower(apr_pool_t *p, const char *name)
{
    char *key = apr_pstrdup(p, name);
    for (char *c = key; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return key;
}

const char *sa_store_name_key(apr_pool_t *p, const char *name)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n = utf8proc_map_custom((const utf8proc_uint8_t *)name, 0, &mapped,
                                             UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                                 UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD,
                                             width_map, NULL);
    if (n < 0 || !mapped) {
        free(mapped);
        return ascii_lower(p, name);
    }
    const char *key = apr_pstrmemdup(p, (const char *)mapped, (apr_size_t)n);
    free(mapped);
    return key;
}
