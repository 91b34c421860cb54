/* Mail composition: RFC 2047 encoded words and RFC 2045 quoted-printable against vectors
 * worked out by hand (and checked with Python's base64), the RFC 5322 date, and the refusal of
 * every control character that could add a header or a recipient (SEC-59). */
#include <string.h>

#include "unit.h"
#include "core/mail.h"

static void mail_encoded_words(apr_pool_t *p)
{
    CHECK_STR(sa_mail_encode_header(p, "Password reset"), "Password reset");
    CHECK_STR(sa_mail_encode_header(p, "Réinitialisation du mot de passe"),
              "=?UTF-8?B?UsOpaW5pdGlhbGlzYXRpb24gZHUgbW90IGRlIHBhc3Nl?=");
    /* 30 x "é" is 60 bytes: cut at 44 bytes (between two characters), folded */
    char long_e[61];
    for (int i = 0; i < 30; i++) {
        memcpy(long_e + 2 * i, "\xc3\xa9", 2);
    }
    long_e[60] = '\0';
    CHECK_STR(sa_mail_encode_header(p, long_e),
              "=?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?="
              "\r\n =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqQ==?=");
    /* ASCII that looks like an encoded word is encoded itself */
    CHECK(strncmp(sa_mail_encode_header(p, "=?x?Q?y?="), "=?UTF-8?B?", 10) == 0);
}

static void mail_header_injection_refused(apr_pool_t *p)
{
    CHECK(sa_mail_encode_header(p, "Hello\r\nBcc: x@y") == NULL);
    CHECK(sa_mail_encode_header(p, "Hello\nBcc: x@y") == NULL);
    CHECK(sa_mail_encode_header(p, "tab\there") == NULL);
    CHECK(sa_mail_encode_header(p, "del\x7f") == NULL);
    CHECK(sa_mail_encode_header(p, "bad utf8 \xc3") == NULL);
    CHECK(sa_mail_address_problem("alice@example.ch") == NULL);
    CHECK(sa_mail_address_problem("a@b.c\r\nBcc: x@y") != NULL);
    CHECK(sa_mail_address_problem("a@b.c,x@y") != NULL);
    CHECK(sa_mail_address_problem("<a@b.c>") != NULL);
    CHECK(sa_mail_address_problem(NULL) != NULL);
    CHECK(!sa_mail_header_safe("a\rb"));
    CHECK(sa_mail_header_safe("plain text, é"));
}

static void mail_quoted_printable(apr_pool_t *p)
{
    CHECK_STR(sa_mail_qp(p, "abc"), "abc\r\n");
    CHECK_STR(sa_mail_qp(p, "a=b\ncafé"), "a=3Db\r\ncaf=C3=A9\r\n");
    /* a blank at the end of a line is encoded; one inside is not */
    CHECK_STR(sa_mail_qp(p, "end \nin side\t"), "end=20\r\nin side=09\r\n");
    /* CRLF input is taken as one line end */
    CHECK_STR(sa_mail_qp(p, "x\r\ny\r\n"), "x\r\ny\r\n");
    /* 80 letters: 75 and a soft break, then 5 */
    char line[81];
    memset(line, 'a', 80);
    line[80] = '\0';
    const char *qp = sa_mail_qp(p, line);
    CHECK(strlen(qp) == 75 + 3 + 5 + 2);
    CHECK(strncmp(qp + 75, "=\r\naaaaa\r\n", 10) == 0);
    /* exactly 76 fit on one line */
    line[76] = '\0';
    CHECK(strlen(sa_mail_qp(p, line)) == 78);
    /* no output line longer than 76, even with encoded bytes */
    char enc[200];
    for (int i = 0; i < 99; i++) {
        memcpy(enc + 2 * i, "\xc3\xa9", 2);
    }
    enc[198] = '\0';
    qp = sa_mail_qp(p, enc);
    for (const char *l = qp; *l;) {
        const char *e = strstr(l, "\r\n");
        REQUIRE(e);
        CHECK(e - l <= 76);
        l = e + 2;
    }
}

static void mail_date(apr_pool_t *p)
{
    /* 2026-12-01 00:05:09 UTC */
    CHECK_STR(sa_mail_date(p, apr_time_from_sec(1796083509)), "Tue, 01 Dec 2026 00:05:09 +0000");
    CHECK_STR(sa_mail_date(p, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

static void mail_compose_whole(apr_pool_t *p)
{
    sa_mail m = {.from = "seances@example.ch",
                 .from_name = "Séances",
                 .to = "alice@example.ch",
                 .subject = "Mot de passe oublié",
                 .text = "Lien : https://x.example/reset?token=abc\n",
                 .html = "<p>é</p>\n",
                 .date = 0,
                 .message_id = "<id1@example.ch>",
                 .boundary = "=_b"};
    const char *msg = NULL, *why = NULL;
    REQUIRE(sa_mail_compose(p, &m, &msg, &why) == APR_SUCCESS);
    CHECK_STR(msg, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"
                   "From: =?UTF-8?B?U8OpYW5jZXM=?= <seances@example.ch>\r\n"
                   "To: alice@example.ch\r\n"
                   "Subject: =?UTF-8?B?TW90IGRlIHBhc3NlIG91Ymxpw6k=?=\r\n"
                   "Message-ID: <id1@example.ch>\r\n"
                   "MIME-Version: 1.0\r\n"
                   "Content-Type: multipart/alternative; boundary=\"=_b\"\r\n"
                   "Auto-Submitted: auto-generated\r\n"
                   "\r\n"
                   "--=_b\r\n"
                   "Content-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                   "Lien : https://x.example/reset?token=3Dabc\r\n"
                   "--=_b\r\n"
                   "Content-Type: text/html; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                   "<p>=C3=A9</p>\r\n"
                   "--=_b--\r\n");
    /* random ids: at the sender's domain, and different each time */
    m.message_id = NULL;
    m.boundary = NULL;
    m.from_name = "Org, Inc.";
    const char *a = NULL, *b = NULL;
    REQUIRE(sa_mail_compose(p, &m, &a, &why) == APR_SUCCESS);
    REQUIRE(sa_mail_compose(p, &m, &b, &why) == APR_SUCCESS);
    CHECK(strstr(a, "@example.ch>\r\n") != NULL);
    CHECK(strstr(a, "From: \"Org, Inc.\" <seances@example.ch>\r\n") != NULL);
    CHECK(strcmp(a, b) != 0);
}

static void mail_compose_refusals(apr_pool_t *p)
{
    sa_mail m = {
        .from = "s@example.ch", .to = "a@example.ch", .subject = "x", .text = "t", .html = "h"};
    const char *msg = NULL, *why = NULL;
    m.to = "a@example.ch\r\nBcc: evil@example.org";
    CHECK(sa_mail_compose(p, &m, &msg, &why) == APR_EINVAL && why);
    m.to = "a@example.ch";
    m.subject = "x\r\nBcc: evil@example.org";
    CHECK(sa_mail_compose(p, &m, &msg, &why) == APR_EINVAL && why);
    m.subject = "x";
    m.from_name = "x\nBcc: y";
    CHECK(sa_mail_compose(p, &m, &msg, &why) == APR_EINVAL && why);
    m.from_name = "quote\" in name";
    CHECK(sa_mail_compose(p, &m, &msg, &why) == APR_EINVAL);
    m.from_name = NULL;
    m.from = "s@example.ch\n";
    CHECK(sa_mail_compose(p, &m, &msg, &why) == APR_EINVAL);
}

UNIT_SUITE(mail_tests) = {{"encoded words (RFC 2047)", mail_encoded_words},
                          {"header injection refused (SEC-59)", mail_header_injection_refused},
                          {"quoted-printable (RFC 2045)", mail_quoted_printable},
                          {"date (RFC 5322)", mail_date},
                          {"whole message", mail_compose_whole},
                          {"refusals", mail_compose_refusals},
                          {NULL, NULL}};
