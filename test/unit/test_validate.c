/* User names, e-mail addresses, return paths after login and directive durations. */
/* Checklist (test/SECURITY.md): SEC-59 sMTP injection, SEC-64 redirect targets validated,
 * SEC-73 header values CR/LF-free and encoded. */
#include <string.h>

#include <apr_strings.h>

#include "unit.h"
#include "core/validate.h"

static void validate_username(apr_pool_t *p)
{
    char long_name[SA_USERNAME_MAX + 2];

    CHECK(sa_validate_username("alice") == NULL);
    CHECK(sa_validate_username("Zoë Müller") == NULL);
    CHECK(sa_validate_username("a") == NULL);
    CHECK(sa_validate_username("") != NULL);
    CHECK(sa_validate_username(NULL) != NULL);
    CHECK(sa_validate_username(" alice") != NULL);
    CHECK(sa_validate_username("alice ") != NULL);
    CHECK(sa_validate_username("ali\tce") != NULL);
    /* issue 13, finding 9: one script, or an allowed mix (UTS #39 highly restrictive) */
    CHECK(sa_validate_username("\xd0\xb0lice") != NULL); /* Cyrillic a + "lice" */
    CHECK(sa_validate_username("\xce\x91lice") != NULL); /* Greek Alpha + "lice" */
    CHECK(sa_validate_username("\xd0\xb0\xd0\xbb\xd0\xb8\xd1\x81\xd0\xb0") == NULL); /* алиса */
    CHECK(sa_validate_username("\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1 2") == NULL); /* Σοφία 2 */
    CHECK(
        sa_validate_username("\xe5\xb1\xb1\xe7\x94\xb0\xe3\x81\x9f\xe3\x82\x8d\xe3\x81\x86 Taro") ==
        NULL); /* 山田たろう Taro: Japanese with Latin */
    CHECK(sa_validate_username("\xc3\x89mile O'Brien-M\xc3\xbcller") == NULL);
    CHECK(sa_validate_username("alice\r\nX-Evil: 1") != NULL);
    CHECK(sa_validate_username("ali\x7f") != NULL);
    CHECK(sa_validate_username("ali\xc2\x85") != NULL); /* U+0085, a C1 control */
    CHECK(sa_validate_username("ali\xff") != NULL);
    CHECK(sa_validate_username("ali\xc0\xaf") != NULL); /* overlong */

    memset(long_name, 'x', SA_USERNAME_MAX);
    long_name[SA_USERNAME_MAX] = '\0';
    CHECK(sa_validate_username(long_name) == NULL);
    long_name[SA_USERNAME_MAX] = 'x';
    long_name[SA_USERNAME_MAX + 1] = '\0';
    CHECK(sa_validate_username(long_name) != NULL);
    (void)p;
}

static void validate_email(apr_pool_t *p)
{
    CHECK(sa_validate_email("alice@example.ch") == NULL);
    CHECK(sa_validate_email("first.last+tag@sub.example.ch") == NULL);
    CHECK(sa_validate_email("root@localhost") == NULL);
    CHECK(sa_validate_email("zoë@exemple.ch") == NULL);
    CHECK(sa_validate_email("") != NULL);
    CHECK(sa_validate_email(NULL) != NULL);
    CHECK(sa_validate_email("alice") != NULL);
    CHECK(sa_validate_email("@example.ch") != NULL);
    CHECK(sa_validate_email("alice@") != NULL);
    CHECK(sa_validate_email("a@b@example.ch") != NULL);
    CHECK(sa_validate_email("alice @example.ch") != NULL);
    CHECK(sa_validate_email("alice@example.ch\r\nBcc: x@evil") != NULL);
    CHECK(sa_validate_email("alice@example.ch,eve@evil.example") != NULL);
    CHECK(sa_validate_email("Alice <alice@example.ch>") != NULL);
    CHECK(sa_validate_email("alice@.example.ch") != NULL);
    CHECK(sa_validate_email("alice@example..ch") != NULL);
    CHECK(sa_validate_email("alice@example.ch.") != NULL);
    CHECK(sa_validate_email("alice\xff@example.ch") != NULL);

    /* 64 bytes of local part are allowed, 65 are not; 254 bytes in all. */
    char *local64 = apr_palloc(p, 66);
    memset(local64, 'l', 64);
    local64[64] = '\0';
    CHECK(sa_validate_email(apr_pstrcat(p, local64, "@example.ch", NULL)) == NULL);
    CHECK(sa_validate_email(apr_pstrcat(p, local64, "l@example.ch", NULL)) != NULL);
    char *domain = apr_palloc(p, 256);
    memset(domain, 'd', 255);
    domain[254 - 2] = '\0'; /* "l@" + 252 = 254 bytes */
    CHECK(sa_validate_email(apr_pstrcat(p, "l@", domain, NULL)) == NULL);
    domain[254 - 2] = 'd';
    domain[254 - 1] = '\0';
    CHECK(sa_validate_email(apr_pstrcat(p, "l@", domain, NULL)) != NULL);
}

static void validate_return_path_refused(apr_pool_t *p)
{
    static const char *const bad[] = {
        "//evil",
        "///evil",
        "/\\evil",
        "\\\\evil",
        "\\/evil",
        "/%2f%2fevil",
        "/%2F%2Fevil",
        "/%2fevil",
        "/%5cevil",
        "/%5Cevil",
        "/app/%5c",
        "http://evil",
        "https:evil",
        "HTTPS://evil",
        "javascript:alert(1)",
        "/%0d%0aSet-Cookie:x",
        "/%0D%0ASet-Cookie:x",
        "/ok\r\nSet-Cookie:x",
        "/ok\nx",
        "/%09/evil",
        "/\t/evil",
        "/ /evil",
        "/%00",
        "/%7f",
        "/a\x7f",
        "/caf\xc3\xa9",
        "/%",
        "/%2",
        "/%zz",
        "//user@evil/",
        "//evil@/",
        " /app",
        "app/x",
        "evil.example/",
        "?x=1",
        "#frag",
        "./app",
        "../app",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *got = sa_safe_return_path(bad[i]);
        if (strcmp(got, "/") != 0) {
            fprintf(stderr, "  return path kept: %s\n", bad[i]);
        }
        CHECK_STR(got, "/");
    }
    CHECK_STR(sa_safe_return_path(NULL), "/");
    CHECK_STR(sa_safe_return_path(""), "/");

    char *too_long = apr_palloc(p, SA_RETURN_MAX + 2);
    memset(too_long, 'a', SA_RETURN_MAX + 1);
    too_long[0] = '/';
    too_long[SA_RETURN_MAX + 1] = '\0';
    CHECK_STR(sa_safe_return_path(too_long), "/");
    too_long[SA_RETURN_MAX] = '\0';
    CHECK(sa_safe_return_path(too_long) == too_long);
}

static void validate_return_path_kept(apr_pool_t *p)
{
    static const char *const good[] = {
        "/",
        "/app/x?y=1&z=2#frag",
        "/app/",
        "/caf%C3%A9/menu",
        "/app?next=%2F%2Fnot-a-redirect",
        "/app?next=//also-only-a-query",
        "/@user",
        "/a/b/../c",
        "/.%2e/x",
        "/%41pp",
        "/search?q=a+b%20c",
    };
    (void)p;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CHECK(sa_safe_return_path(good[i]) == good[i]);
    }
}

static void validate_durations(apr_pool_t *p)
{
    apr_interval_time_t t = -1;
    (void)p;

    CHECK(sa_parse_duration("90", &t) == NULL && t == apr_time_from_sec(90));
    CHECK(sa_parse_duration("90s", &t) == NULL && t == apr_time_from_sec(90));
    CHECK(sa_parse_duration("15m", &t) == NULL && t == apr_time_from_sec(900));
    CHECK(sa_parse_duration("12h", &t) == NULL && t == apr_time_from_sec(43200));
    CHECK(sa_parse_duration("30d", &t) == NULL && t == apr_time_from_sec(2592000));
    CHECK(sa_parse_duration("0", &t) == NULL && t == 0);
    CHECK(sa_parse_duration("0d", &t) == NULL && t == 0);
    CHECK(sa_parse_duration("3650d", &t) == NULL && t == apr_time_from_sec(315360000));
    CHECK(sa_parse_duration("315360000", &t) == NULL);

    t = 42;
    static const char *const bad[] = {
        "",     "-5",    "+5",     " 5",        "5 ",
        "5 m",  "5ms",   "5y",     "5M",        "m",
        "1.5h", "3651d", "87601h", "315360001", "99999999999999999999999",
        "0x10", "5s5",   "1e3",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (sa_parse_duration(bad[i], &t) == NULL) {
            fprintf(stderr, "  duration accepted: '%s'\n", bad[i]);
            CHECK(0);
        }
    }
    CHECK(sa_parse_duration(NULL, &t) != NULL);
    CHECK(t == 42); /* a refused value leaves the output alone */
}

UNIT_SUITE(validate_tests) = {
    {"validate_username", validate_username},
    {"validate_email", validate_email},
    {"validate_return_path_refused", validate_return_path_refused},
    {"validate_return_path_kept", validate_return_path_kept},
    {"validate_durations", validate_durations},
    {NULL, NULL},
};
