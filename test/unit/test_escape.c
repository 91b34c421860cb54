/* sa_text_escape: what seances-admin prints (issue 13, finding 7; SEC-77). */
#include <string.h>

#include "unit.h"
#include "core/escape.h"

static void escape_controls(apr_pool_t *p)
{
    CHECK_STR(sa_text_escape(p, "Mozilla/5.0 (X11; Linux)"), "Mozilla/5.0 (X11; Linux)");
    CHECK_STR(sa_text_escape(p, "a\tb\rc\nd"), "a\\tb\\rc\\nd");
    CHECK_STR(sa_text_escape(p, "\x01\x1b[31m\x7f"), "\\x01\\x1B[31m\\x7F");
    CHECK_STR(sa_text_escape(p, "back\\slash"), "back\\\\slash");
    CHECK_STR(sa_text_escape(p, NULL), "");
    CHECK_STR(sa_text_escape(p, ""), "");
}

static void escape_unicode(apr_pool_t *p)
{
    /* letters of any script pass; C1 controls (NEL, CSI) and bidi overrides do not */
    CHECK_STR(sa_text_escape(p, "Émile Zoë Ωμέγα 日本 😀"), "Émile Zoë Ωμέγα 日本 😀");
    CHECK_STR(sa_text_escape(p, "x\xc2\x85y\xc2\x9b"), "x\\u{0085}y\\u{009B}");
    CHECK_STR(sa_text_escape(p, "abc\xe2\x80\xae"
                                "exe.txt"),
              "abc\\u{202E}exe.txt");
    CHECK_STR(sa_text_escape(p, "\xe2\x81\xa6i\xe2\x81\xa9"), "\\u{2066}i\\u{2069}");
}

static void escape_invalid_utf8(apr_pool_t *p)
{
    CHECK_STR(sa_text_escape(p, "\xff"), "\\xFF");
    CHECK_STR(sa_text_escape(p, "caf\xe9"
                                ""),
              "caf\\xE9");                                                    /* Latin-1 */
    CHECK_STR(sa_text_escape(p, "\xc0\xaf"), "\\xC0\\xAF");                   /* overlong "/" */
    CHECK_STR(sa_text_escape(p, "\xed\xa0\x80"), "\\xED\\xA0\\x80");          /* a surrogate */
    CHECK_STR(sa_text_escape(p, "\xf4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80"); /* > U+10FFFF */
    CHECK_STR(sa_text_escape(p, "\xe2\x82"), "\\xE2\\x82");                   /* cut short */
    /* the worst case for the buffer: only C1 controls, or only stray bytes */
    const char *c1 = "\xc2\x80\xc2\x80\xc2\x80";
    CHECK(strlen(sa_text_escape(p, c1)) == 3 * strlen("\\u{0080}"));
    CHECK_STR(sa_text_escape(p, "\x80\x80"), "\\x80\\x80");
}

UNIT_SUITE(escape_tests) = {
    {"escape_controls", escape_controls},
    {"escape_unicode", escape_unicode},
    {"escape_invalid_utf8", escape_invalid_utf8},
    {NULL, NULL},
};
