/* The Cookie request header, read as mod_session_cookie reads it, without httpd, so that it
 * can be unit-tested and fuzzed (test/fuzz/fuzz_cookie_header.c); src/web/request.c feeds it
 * every Cookie and Cookie2 header of a request. */
#ifndef SA_COOKIE_H
#define SA_COOKIE_H

#include <apr_pools.h>

/* One search for the cookie called name across one or more headers. */
typedef struct {
    apr_pool_t *pool;
    const char *name;
    const char *value; /* the first value found (trailing blanks trimmed), or NULL */
    int conflict;      /* the cookie was sent again with another value */
} sa_cookie_search;

/* Scans one header: pieces split on ';' and ',', leading blanks skipped, "name=value" pieces
 * whose name is exactly s->name recorded in s. */
void sa_cookie_scan(sa_cookie_search *s, const char *header);

/* The value found: NULL when absent or when sent twice with different values. */
const char *sa_cookie_value(const sa_cookie_search *s);

#endif
