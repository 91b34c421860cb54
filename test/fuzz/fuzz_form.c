/* The form parser of every POST to the module's pages (src/core/form.c). The body keeps its
 * NUL bytes: the parser must refuse them itself. SEC-85, SEC-76. */
#include "fuzz.h"
#include <apr_tables.h>
#include "core/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *body = apr_palloc(p, size + 1);
    apr_table_t *form = apr_table_make(p, 8);
    memcpy(body, data, size);
    body[size] = '\0';
    int has_nul = memchr(data, '\0', size) != NULL;

    int rc = sa_form_parse(body, size, form);
    FUZZ_ASSERT(rc == 0 || rc == -1);
    FUZZ_ASSERT(!has_nul || rc == -1);
    if (rc == 0) {
        const apr_array_header_t *arr = apr_table_elts(form);
        const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
        for (int i = 0; i < arr->nelts; i++) {
            /* no empty names, and each name once: the first copy of a field wins */
            FUZZ_ASSERT(e[i].key[0] != '\0' && e[i].val != NULL);
            for (int j = 0; j < i; j++) {
                FUZZ_ASSERT(strcasecmp(e[i].key, e[j].key) != 0);
            }
        }
    }
    apr_pool_destroy(p);
    return 0;
}
