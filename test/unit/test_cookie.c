/* The Cookie header scan of the core (src/core/cookie.c), also fuzzed
 * (test/fuzz/fuzz_cookie_header.c); test_glue.c checks it through web_cookie_get. SEC-37, SEC-85.
 */
#include "unit.h"
#include "core/cookie.h"

static const char *scan(apr_pool_t *p, const char *name, const char *h1, const char *h2)
{
    sa_cookie_search s = {p, name, NULL, 0};
    sa_cookie_scan(&s, h1);
    if (h2) {
        sa_cookie_scan(&s, h2);
    }
    return sa_cookie_value(&s);
}

static void cookie_scan_pieces(apr_pool_t *p)
{
    CHECK_STR(scan(p, "s", "s=abc", NULL), "abc");
    CHECK_STR(scan(p, "s", " \t;,a=1, s=v w \t;b=2", NULL), "v w");
    CHECK(scan(p, "s", "ss=1; xs=2; s =3; S=4", NULL) == NULL);
    CHECK(scan(p, "s", "", NULL) == NULL);
    CHECK(scan(p, "s", "s", NULL) == NULL);
    CHECK_STR(scan(p, "s", "s=", NULL), "");
    CHECK_STR(scan(p, "s", "s==x=", NULL), "=x=");
}

static void cookie_scan_across_headers(apr_pool_t *p)
{
    CHECK_STR(scan(p, "s", "a=1", "s=2"), "2");
    CHECK_STR(scan(p, "s", "s=2", "s=2 "), "2");
    /* sent twice with two values: nobody's session (the browser or a planted cookie?) */
    CHECK(scan(p, "s", "s=1", "s=2") == NULL);
    CHECK(scan(p, "s", "s=1,s=2", NULL) == NULL);
}

UNIT_SUITE(cookie_tests) = {{"cookie_scan_pieces", cookie_scan_pieces},
                            {"cookie_scan_across_headers", cookie_scan_across_headers},
                            {NULL, NULL}};
