/* The body of an application/x-www-form-urlencoded POST, parsed without httpd, so that the
 * parser can be unit-tested and fuzzed (test/fuzz/fuzz_form.c); src/web/request.c reads the
 * body and calls it. */
#ifndef SA_FORM_H
#define SA_FORM_H

#include <apr_pools.h>
#include <apr_tables.h>

/* Splits body (len bytes, NUL-terminated, writable: it is decoded in place) on '&' into
 * name=value fields, unescaped as ap_unescape_urlencoded does, into form. The first copy of a
 * field wins, so a later duplicate cannot override it; empty names are skipped. 0, or -1 for
 * a NUL byte in the body or a bad or NUL escape (the whole form is refused). */
int sa_form_parse(char *body, apr_size_t len, apr_table_t *form);

#endif
