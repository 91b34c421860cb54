/* The words of the product's mails (core/notice.c): each kind has its subject and text in
 * every language, a change made with seances-admin names the administrators instead of an
 * address and a browser, and every value is escaped in the HTML part. */
#include <string.h>

#include "unit.h"
#include "core/notice.h"

static sa_notice event(sa_notice_kind kind, sa_lang lang)
{
    sa_notice n = {.kind = kind,
                   .lang = lang,
                   .user = "zoé",
                   .sender = "Commune de Test",
                   .when = "1 décembre 2026, 08:15",
                   .ip = "192.0.2.7",
                   .browser = "Firefox <sur> Linux"};
    return n;
}

static void notice_names_round_trip(apr_pool_t *p)
{
    (void)p;
    for (int i = 0; i < SA_NOTICE_KINDS; i++) {
        sa_notice_kind back = SA_NOTICE_KINDS;
        CHECK(sa_notice_from_name(sa_notice_name((sa_notice_kind)i), &back) == 0);
        CHECK(back == (sa_notice_kind)i);
    }
    sa_notice_kind k;
    CHECK(sa_notice_from_name("totp_gone", &k) == -1);
    CHECK(sa_notice_from_name(NULL, &k) == -1);
    CHECK_STR(sa_notice_name(SA_NOTICE_TOTP_RESET), "totp_reset");
}

static void notice_event_shows_address_and_browser(apr_pool_t *p)
{
    sa_notice n = event(SA_NOTICE_PASSWORD_CHANGED, SA_LANG_FR);
    sa_notice_mail m;
    sa_notice_compose(p, &n, &m);
    CHECK_STR(m.subject, "Commune de Test \xe2\x80\x93 Mot de passe changé");
    CHECK(strstr(m.text, "Bonjour zoé,\n\nLe mot de passe de votre compte a été changé.") != NULL);
    CHECK(strstr(m.text, "Adresse\u202f: 192.0.2.7\nNavigateur\u202f: Firefox <sur> Linux\n") !=
          NULL);
    CHECK(strstr(m.html, "Firefox &lt;sur&gt; Linux") != NULL);
    CHECK(strstr(m.html, "<sur>") == NULL);
    CHECK(strstr(m.text, "administration (seances-admin)") == NULL);
}

static void notice_by_admin_names_the_administrators(apr_pool_t *p)
{
    static const char *const subjects[SA_LANG_COUNT] = {
        "Second facteur réinitialisé", "Zweiter Faktor zurückgesetzt",
        "Secondo fattore reimpostato", "Second factor reset"};
    static const char *const by[SA_LANG_COUNT] = {
        "Par\u202f: l'administration (seances-admin)", "Durch: die Administration (seances-admin)",
        "Da: l'amministrazione (seances-admin)", "By: the administrators (seances-admin)"};
    for (int lang = 0; lang < SA_LANG_COUNT; lang++) {
        sa_notice n = event(SA_NOTICE_TOTP_RESET, (sa_lang)lang);
        n.by_admin = 1;
        n.ip = n.browser = NULL;
        sa_notice_mail m;
        sa_notice_compose(p, &n, &m);
        CHECK(strstr(m.subject, subjects[lang]) != NULL);
        CHECK(strstr(m.text, by[lang]) != NULL);
        CHECK(strstr(m.html, "(seances-admin)") != NULL);
        /* no empty address or browser line */
        CHECK(strstr(m.text, "192.0.2.7") == NULL);
        CHECK(strstr(m.text, "Browser") == NULL && strstr(m.text, "Navigateur") == NULL);
        /* the kind's own text, not a key left untranslated */
        CHECK(strstr(m.text, "mail_totp_reset") == NULL);
    }
}

static void notice_every_kind_has_words(apr_pool_t *p)
{
    for (int kind = 0; kind < SA_NOTICE_KINDS; kind++) {
        for (int lang = 0; lang < SA_LANG_COUNT; lang++) {
            sa_notice n = event((sa_notice_kind)kind, (sa_lang)lang);
            n.link = "https://example.ch/reset?t=x";
            n.code = "12345678";
            n.code_page = "https://example.ch/reset";
            n.valid_minutes = 30;
            sa_notice_mail m;
            sa_notice_compose(p, &n, &m);
            CHECK(strstr(m.subject, "mail_") == NULL);
            CHECK(strstr(m.text, "mail_") == NULL);
        }
    }
}

const unit_test notice_tests[] = {
    {"notice_names_round_trip", notice_names_round_trip},
    {"notice_event_shows_address_and_browser", notice_event_shows_address_and_browser},
    {"notice_by_admin_names_the_administrators", notice_by_admin_names_the_administrators},
    {"notice_every_kind_has_words", notice_every_kind_has_words},
    {NULL, NULL}};
