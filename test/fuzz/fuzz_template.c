/* The page template renderer and the HTML/URL escapers (src/core/html.c). The input is a
 * template (as SeancesTemplateDir lets an admin supply) rendered with hostile variables; the
 * same input as a value must come out of the escapers without markup. SEC-66, SEC-85. */
#include "fuzz.h"
#include <apr_tables.h>
#include "core/html.h"

static int is_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *input = fuzz_cstring(p, data, size);
    apr_table_t *vars = apr_table_make(p, 8);
    apr_table_set(vars, "user", "\"><script>alert(1)</script>&'");
    apr_table_set(vars, "empty", "");
    apr_table_set(vars, "flag", "1");
    apr_table_set(vars, "html", "<b>ok</b>");
    apr_table_set(vars, "self", input);

    FUZZ_ASSERT(sa_template_render(p, input, vars) != NULL);

    const char *esc = sa_html_escape(p, input);
    FUZZ_ASSERT(strpbrk(esc, "<>\"'") == NULL);
    /* the escaped value rendered through {{ }} is the escape of the value */
    const char *once = sa_template_render(p, "{{self}}", vars);
    FUZZ_ASSERT(once && strcmp(once, esc) == 0);

    const char *url = sa_url_encode(p, input);
    for (const unsigned char *c = (const unsigned char *)url; *c; c++) {
        if (*c == '%') {
            FUZZ_ASSERT(is_hex(c[1]) && is_hex(c[2]));
            c += 2;
        } else {
            FUZZ_ASSERT(is_unreserved(*c));
        }
    }
    apr_pool_destroy(p);
    return 0;
}
