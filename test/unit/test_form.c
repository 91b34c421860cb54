/* The form parser of the module's pages (src/core/form.c), also fuzzed (test/fuzz/fuzz_form.c).
 * SEC-76 (strict form parsing: duplicates cannot override, bad escapes refuse the form). */
#include <apr_strings.h>
#include <apr_tables.h>
#include "unit.h"
#include "core/form.h"

static int parse(apr_pool_t *p, const char *body, apr_table_t **form)
{
    char *copy = apr_pstrdup(p, body);
    *form = apr_table_make(p, 4);
    return sa_form_parse(copy, strlen(copy), *form);
}

static void form_parse_decodes_plus_and_escapes(apr_pool_t *p)
{
    apr_table_t *f;
    CHECK(parse(p, "username=anne+marie&password=a%26b%3Dc&remember=on", &f) == 0);
    CHECK_STR(apr_table_get(f, "username"), "anne marie");
    CHECK_STR(apr_table_get(f, "password"), "a&b=c");
    CHECK_STR(apr_table_get(f, "remember"), "on");
    CHECK(parse(p, "n%C3%A9=%c3%a9t%C3%A9", &f) == 0);
    CHECK_STR(apr_table_get(f, "n\xc3\xa9"), "\xc3\xa9t\xc3\xa9");
}

static void form_parse_first_copy_wins_sec76(apr_pool_t *p)
{
    apr_table_t *f;
    CHECK(parse(p, "return=%2Fa&return=https://evil.example&RETURN=x", &f) == 0);
    CHECK_STR(apr_table_get(f, "return"), "/a");
    CHECK(apr_table_elts(f)->nelts == 1);
}

static void form_parse_empty_and_odd_pieces(apr_pool_t *p)
{
    apr_table_t *f;
    CHECK(parse(p, "", &f) == 0);
    CHECK(apr_table_elts(f)->nelts == 0);
    CHECK(parse(p, "&&=x&=&a&b=&c==d", &f) == 0);
    CHECK_STR(apr_table_get(f, "a"), "");
    CHECK_STR(apr_table_get(f, "b"), "");
    CHECK_STR(apr_table_get(f, "c"), "=d");
    CHECK(apr_table_get(f, "") == NULL);
    CHECK(apr_table_elts(f)->nelts == 3);
}

static void form_parse_refuses_bad_escapes_and_nul(apr_pool_t *p)
{
    apr_table_t *f;
    CHECK(parse(p, "a=%zz", &f) == -1);
    CHECK(parse(p, "a=%4", &f) == -1);
    CHECK(parse(p, "a=%", &f) == -1);
    CHECK(parse(p, "a=x%00y", &f) == -1);
    CHECK(parse(p, "a%00=1", &f) == -1);
    char body[] = "a=1\0b=2";
    f = apr_table_make(p, 2);
    CHECK(sa_form_parse(body, sizeof(body) - 1, f) == -1);
}

UNIT_SUITE(form_tests) = {
    {"form_parse_decodes_plus_and_escapes", form_parse_decodes_plus_and_escapes},
    {"form_parse_first_copy_wins_sec76", form_parse_first_copy_wins_sec76},
    {"form_parse_empty_and_odd_pieces", form_parse_empty_and_odd_pieces},
    {"form_parse_refuses_bad_escapes_and_nul", form_parse_refuses_bad_escapes_and_nul},
    {NULL, NULL}};
