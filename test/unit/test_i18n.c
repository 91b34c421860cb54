/* The catalog and Accept-Language negotiation. */
#include <string.h>

#include <apr_tables.h>

#include "unit.h"
#include "core/i18n.h"

/* Every key the pages use today; a new key belongs here too. */
static const char *const required_keys[] = {
    "app_title",
    "login_title",
    "login_intro",
    "username",
    "password",
    "remember",
    "submit_login",
    "forgot_link",
    "login_failed",
    "input_too_long",
    "csrf_failed",
    "bad_request_title",
    "logout_title",
    "logout_confirm",
    "logout_button",
    "logged_out",
    "login_again",
    "unavailable_title",
    "unavailable_text",
    "forbidden_title",
    "method_not_allowed",
    "portal",
    "logged_in_as",
    "cancel",
    "pw_too_short",
    "pw_too_long",
    "pw_not_utf8",
    "pw_blocklisted",
    "pw_contains_name",
    "not_found_title",
    /* two-factor authentication */
    "code_title",
    "code_intro",
    "code_label",
    "code_submit",
    "code_recovery_link",
    "code_app_link",
    "code_recovery_intro",
    "code_recovery_label",
    "code_cancel",
    "code_failed",
    "code_expired",
    "level2_needed",
    "setup_title",
    "setup_intro",
    "setup_forced",
    "setup_step_app",
    "setup_step_scan",
    "setup_step_code",
    "setup_qr_alt",
    "setup_cannot_scan",
    "setup_open_app",
    "setup_code_label",
    "setup_submit",
    "setup_wrong",
    "setup_restarted",
    "setup_done",
    "codes_title",
    "codes_text",
    "continue",
    "manage_active",
    "manage_codes_left",
    "manage_codes_title",
    "manage_codes_text",
    "manage_codes_button",
    "manage_off_title",
    "manage_off_text",
    "manage_off_label",
    "manage_off_button",
    "totp_off_done",
    "codes_renewed",
    "twofactor_forbidden",
    /* portal */
    "back_to_app",
    "sec_login",
    "email",
    "session_started",
    "session_from",
    "password_changed_at",
    "never",
    "yes",
    "no",
    "sec_password",
    "pw_current",
    "pw_new",
    "pw_confirm",
    "pw_hint_before",
    "pw_hint_after",
    "pw_submit",
    "sec_2fa",
    "tf_on",
    "tf_off",
    "tf_intro",
    "tf_forbidden",
    "tf_required",
    "tf_codes_left",
    "sec_apps",
    "apps_none",
    "sec_history",
    "history_none",
    "history_newest",
    "history_older",
    "address",
    "ev_ok",
    "ev_password_changed",
    "ev_ok_totp",
    "ev_ok_recovery",
    "ev_totp_enabled",
    "ev_totp_disabled",
    "ev_totp_reset",
    "ev_recovery_renewed",
    "ev_bad_password",
    "ev_bad_current_password",
    "ev_bad_code",
    "ev_bad_hash",
    "ev_throttled",
    "ev_disabled",
    "sec_sessions",
    "s_this",
    "s_started",
    "s_last_seen",
    "s_end",
    "s_end_others",
    "s_no_others",
    "pw_changed",
    "pw_fields_missing",
    "pw_mismatch",
    "pw_too_short_min",
    "pw_too_long_max",
    "pw_current_wrong",
    "pw_throttled",
    "pw_account_gone",
    "session_ended",
    "session_unknown",
    "others_ended",
    "bad_request_text",
    "retry",
    "continue_app",
    "back_home",
    "error_title",
    "error_text",
    "not_found_text",
    "forbidden_text",
    "method_title",
    "too_large_title",
    "too_many_title",
    "too_many_text",
    "csrf_expired",
    "signed_in_title",
    "remember_hint",
    "show_password",
    "caps_lock",
    "language",
    "other_account",
    /* password reset and mails (issue 9) */
    "forgot_title",
    "forgot_intro",
    "forgot_username",
    "forgot_submit",
    "forgot_sent",
    "forgot_have_code",
    "reset_title",
    "reset_intro",
    "reset_code_intro",
    "reset_mailcode",
    "reset_continue",
    "reset_second_factor",
    "reset_second_label",
    "reset_submit",
    "reset_done",
    "reset_invalid_title",
    "reset_invalid",
    "reset_ask_again",
    "reset_code_needed",
    "reset_code_wrong",
    "ev_reset_requested",
    "ev_password_reset",
    "mail_greeting",
    "mail_link_intro",
    "mail_code_intro",
    "mail_valid_for",
    "mail_ignore",
    "mail_when",
    "mail_from_address",
    "mail_browser",
    "mail_by_admin",
    "mail_not_you",
    "mail_reset_subject",
    "mail_reset_text",
    "mail_password_changed_subject",
    "mail_password_changed_text",
    "mail_totp_on_subject",
    "mail_totp_on_text",
    "mail_totp_off_subject",
    "mail_totp_off_text",
    "mail_codes_renewed_subject",
    "mail_codes_renewed_text",
    "mail_recovery_used_subject",
    "mail_recovery_used_text",
    "mail_new_login_subject",
    "mail_new_login_text",
    "mail_totp_reset_subject",
    "mail_totp_reset_text",
};
#define REQUIRED_COUNT (sizeof(required_keys) / sizeof(required_keys[0]))

static void i18n_catalog_is_complete(apr_pool_t *p)
{
    (void)p;
    for (size_t i = 0; i < REQUIRED_COUNT; i++) {
        const char *key = required_keys[i];
        const char *fr = sa_msg(SA_LANG_FR, key);
        if (fr == key || !fr || !*fr) {
            fprintf(stderr, "  missing key: %s\n", key);
            CHECK(0);
            continue;
        }
        /* None of today's texts is the same in French and another language, so a text equal
         * to the French one is a missing translation. */
        for (int lang = SA_LANG_DE; lang < SA_LANG_COUNT; lang++) {
            const char *text = sa_msg((sa_lang)lang, key);
            if (!text || !*text || strcmp(text, fr) == 0) {
                fprintf(stderr, "  missing %s translation: %s\n", sa_lang_code((sa_lang)lang), key);
                CHECK(0);
            }
        }
    }
}

static void i18n_texts(apr_pool_t *p)
{
    (void)p;
    CHECK_STR(sa_msg(SA_LANG_FR, "app_title"), "App pour les séances");
    CHECK_STR(sa_msg(SA_LANG_FR, "forgot_link"), "Mot de passe oublié\u202f?");
    CHECK_STR(sa_msg(SA_LANG_FR, "login_failed"),
              "Nom d'utilisateur ou mot de passe incorrect. Après plusieurs échecs, la connexion "
              "est suspendue pendant quelques minutes.");
    CHECK_STR(sa_msg(SA_LANG_DE, "login_title"), "Anmeldung");
    CHECK_STR(sa_msg(SA_LANG_IT, "cancel"), "Annulla");
    CHECK_STR(sa_msg(SA_LANG_EN, "not_found_title"), "Page not found");
    /* Unknown keys come back as themselves, so a missing row shows on the page. */
    CHECK_STR(sa_msg(SA_LANG_DE, "no_such_key"), "no_such_key");
    /* An out-of-range language falls back to French. */
    CHECK_STR(sa_msg((sa_lang)42, "cancel"), "Annuler");
}

static void i18n_codes(apr_pool_t *p)
{
    sa_lang l = SA_LANG_EN;
    (void)p;

    CHECK(sa_lang_from_code("fr", &l) == 0 && l == SA_LANG_FR);
    CHECK(sa_lang_from_code("DE", &l) == 0 && l == SA_LANG_DE);
    CHECK(sa_lang_from_code("It", &l) == 0 && l == SA_LANG_IT);
    CHECK(sa_lang_from_code("en", &l) == 0 && l == SA_LANG_EN);
    l = SA_LANG_IT;
    CHECK(sa_lang_from_code("rm", &l) == -1 && l == SA_LANG_IT);
    CHECK(sa_lang_from_code("fr-CH", &l) == -1);
    CHECK(sa_lang_from_code("", &l) == -1);
    CHECK(sa_lang_from_code(NULL, &l) == -1);
    CHECK_STR(sa_lang_code(SA_LANG_FR), "fr");
    CHECK_STR(sa_lang_code(SA_LANG_DE), "de");
    CHECK_STR(sa_lang_code(SA_LANG_IT), "it");
    CHECK_STR(sa_lang_code(SA_LANG_EN), "en");
}

static void i18n_negotiate(apr_pool_t *p)
{
    (void)p;
    CHECK(sa_lang_negotiate("de-CH,de;q=0.9,fr;q=0.8", SA_LANG_FR) == SA_LANG_DE);
    CHECK(sa_lang_negotiate("en;q=0, it", SA_LANG_FR) == SA_LANG_IT);
    CHECK(sa_lang_negotiate("en;q=0", SA_LANG_FR) == SA_LANG_FR);
    CHECK(sa_lang_negotiate("fr;q=0.5, it;q=0.7, en;q=0.6", SA_LANG_DE) == SA_LANG_IT);
    CHECK(sa_lang_negotiate("it-CH;q=0.8, fr-CH;q=0.9", SA_LANG_EN) == SA_LANG_FR);
    CHECK(sa_lang_negotiate("EN-gb", SA_LANG_FR) == SA_LANG_EN);
    CHECK(sa_lang_negotiate("rm-CH, de;q=0.5", SA_LANG_FR) == SA_LANG_DE);
    CHECK(sa_lang_negotiate("ja, *;q=0.5", SA_LANG_IT) == SA_LANG_IT);
    /* A language keeps its best weight even when listed again lower. */
    CHECK(sa_lang_negotiate("de, fr;q=0.9, de-AT;q=0.5", SA_LANG_EN) == SA_LANG_DE);
    /* Equal weights: the first one listed wins. */
    CHECK(sa_lang_negotiate("en, de", SA_LANG_FR) == SA_LANG_EN);
    CHECK(sa_lang_negotiate("de;q=0.5, en;q=0.5", SA_LANG_FR) == SA_LANG_DE);
    CHECK(sa_lang_negotiate(" de ; q=1.000 , fr ; q=0.999", SA_LANG_EN) == SA_LANG_DE);
    CHECK(sa_lang_negotiate("de;q=0.001", SA_LANG_FR) == SA_LANG_DE);
    /* Garbage and malformed q-values. */
    CHECK(sa_lang_negotiate("garbage", SA_LANG_EN) == SA_LANG_EN);
    CHECK(sa_lang_negotiate(";;;,,,==", SA_LANG_EN) == SA_LANG_EN);
    CHECK(sa_lang_negotiate("de;q=2", SA_LANG_EN) == SA_LANG_EN);
    CHECK(sa_lang_negotiate("de;q=abc", SA_LANG_EN) == SA_LANG_EN);
    CHECK(sa_lang_negotiate("de;q=0.5555", SA_LANG_EN) == SA_LANG_EN);
    CHECK(sa_lang_negotiate("deu, french", SA_LANG_IT) == SA_LANG_IT);
    CHECK(sa_lang_negotiate("", SA_LANG_DE) == SA_LANG_DE);
    CHECK(sa_lang_negotiate(NULL, SA_LANG_IT) == SA_LANG_IT);
}

static void i18n_fill(apr_pool_t *p)
{
    apr_table_t *vars = apr_table_make(p, 40);

    sa_i18n_fill(vars, SA_LANG_IT);
    CHECK_STR(apr_table_get(vars, "t.login_title"), "Accesso");
    CHECK_STR(apr_table_get(vars, "t.password"), "Password");
    CHECK(apr_table_get(vars, "login_title") == NULL);
    for (size_t i = 0; i < REQUIRED_COUNT; i++) {
        const char *k = required_keys[i];
        char name[64];
        snprintf(name, sizeof(name), "t.%s", k);
        CHECK_STR(apr_table_get(vars, name), sa_msg(SA_LANG_IT, k));
    }
    /* Filling again replaces rather than appends. */
    sa_i18n_fill(vars, SA_LANG_FR);
    CHECK_STR(apr_table_get(vars, "t.login_title"), "Connexion");
    CHECK(apr_table_elts(vars)->nelts == (int)REQUIRED_COUNT);
}

/* French puts a narrow no-break space (U+202F) before ? ! : ; so that the sign never wraps
 * onto a line of its own (issue 10): no French text has an ordinary or no space there. */
static int french_spacing_ok(void *rec, const char *key, const char *text)
{
    int *bad = rec;
    for (const char *c = text; *c; c++) {
        if (!strchr("?!:;", *c) || c == text) {
            continue;
        }
        /* "{{", "://" and the like are not punctuation of a sentence */
        if (c[-1] == ' ' || (c >= text + 3 && strncmp(c - 3, "\xe2\x80\xaf", 3) != 0 &&
                             c[-1] != ' ' && c[1] == ' ')) {
            fprintf(stderr, "    %s: \"%s\"\n", key, text);
            (*bad)++;
            break;
        }
    }
    return 1;
}

static void i18n_french_spacing(apr_pool_t *p)
{
    apr_table_t *vars = apr_table_make(p, 256);
    int bad = 0;
    sa_i18n_fill(vars, SA_LANG_FR);
    apr_table_do(french_spacing_ok, &bad, vars, NULL);
    CHECK(bad == 0);
    CHECK(strcmp(sa_msg(SA_LANG_FR, "forgot_link"), "Mot de passe oubli\xc3\xa9\xe2\x80\xaf?") ==
          0);
    CHECK(strchr(sa_msg(SA_LANG_EN, "forgot_link"), ' ') != NULL);
}

UNIT_SUITE(i18n_tests) = {
    {"i18n_french_spacing", i18n_french_spacing},
    {"i18n_catalog_is_complete", i18n_catalog_is_complete},
    {"i18n_texts", i18n_texts},
    {"i18n_codes", i18n_codes},
    {"i18n_negotiate", i18n_negotiate},
    {"i18n_fill", i18n_fill},
    {NULL, NULL},
};
