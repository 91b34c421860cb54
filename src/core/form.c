/* Form bodies: the one parser of what a browser posts to the module's pages. */
#include <string.h>
#include <apr_strings.h>

#include "core/codec.h"
#include "core/form.h"

int sa_form_parse(char *body, apr_size_t len, apr_table_t *form)
{
    char *state = NULL;
    /* a NUL inside the body would hide the rest of it from a C-string parser */
    if (memchr(body, '\0', len)) {
        return -1;
    }
    for (char *pair = apr_strtok(body, "&", &state); pair; pair = apr_strtok(NULL, "&", &state)) {
        char *eq = strchr(pair, '=');
        /* the value is decoded in place: even an absent one points into the writable body */
        char *value = eq ? eq + 1 : pair + strlen(pair);
        if (eq) {
            *eq = '\0';
        }
        if (sa_codec_unescape(pair) != 0 || sa_codec_unescape(value) != 0) {
            return -1;
        }
        /* the first value wins, so a field cannot be overridden by a later copy */
        if (*pair && !apr_table_get(form, pair)) {
            apr_table_set(form, pair, value);
        }
    }
    return 0;
}
