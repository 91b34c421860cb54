/* The words of the product's mails, from the catalogue of core/i18n.c ("mail_*" keys). The
 * text and the HTML part say the same; the HTML part escapes every value. */
#include <string.h>
#include <apr_strings.h>

#include "core/html.h"
#include "core/notice.h"

static const char *const names[SA_NOTICE_KINDS] = {"reset",     "password_changed", "totp_on",
                                                   "totp_off",  "codes_renewed",    "recovery_used",
                                                   "new_login", "totp_reset"};

const char *sa_notice_name(sa_notice_kind kind)
{
    return kind >= 0 && kind < SA_NOTICE_KINDS ? names[kind] : "unknown";
}

int sa_notice_from_name(const char *name, sa_notice_kind *out)
{
    for (int i = 0; name && i < SA_NOTICE_KINDS; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (sa_notice_kind)i;
            return 0;
        }
    }
    return -1;
}

static const char *msg(apr_pool_t *p, const sa_notice *n, const char *what)
{
    return sa_msg(n->lang, apr_pstrcat(p, "mail_", sa_notice_name(n->kind), "_", what, NULL));
}

static const char *esc(apr_pool_t *p, const char *s)
{
    return sa_html_escape(p, s ? s : "");
}

/* The reset mail's middle: the link, the code and how long they live. */
static void reset_part(apr_pool_t *p, const sa_notice *n, const char **text, const char **html)
{
    const char *valid =
        apr_psprintf(p, "%s %d min.", sa_msg(n->lang, "mail_valid_for"), n->valid_minutes);
    *text = apr_pstrcat(p, sa_msg(n->lang, "mail_link_intro"), "\n", n->link, "\n\n",
                        sa_msg(n->lang, "mail_code_intro"), " ", n->code_page, " :\n", n->code,
                        "\n\n", valid, "\n", sa_msg(n->lang, "mail_ignore"), "\n", NULL);
    *html = apr_pstrcat(p, "<p>", esc(p, sa_msg(n->lang, "mail_link_intro")), "<br>\n<a href=\"",
                        esc(p, n->link), "\">", esc(p, n->link), "</a></p>\n<p>",
                        esc(p, sa_msg(n->lang, "mail_code_intro")), " ", esc(p, n->code_page),
                        " :<br>\n<strong>", esc(p, n->code), "</strong></p>\n<p>", esc(p, valid),
                        "<br>\n", esc(p, sa_msg(n->lang, "mail_ignore")), "</p>\n", NULL);
}

/* A notice's middle: when, from where, with which browser (or by the administrators), and
 * what to do if it was not you. */
static void event_part(apr_pool_t *p, const sa_notice *n, const char **text, const char **html)
{
    const char *when = sa_msg(n->lang, "mail_when"), *ip = sa_msg(n->lang, "mail_from_address");
    const char *browser = sa_msg(n->lang, "mail_browser");
    const char *who_text, *who_html;
    if (n->by_admin) {
        who_text = sa_msg(n->lang, "mail_by_admin");
        who_html = esc(p, who_text);
    } else {
        who_text = apr_pstrcat(p, ip, " ", n->ip, "\n", browser, " ", n->browser, NULL);
        who_html = apr_pstrcat(p, esc(p, ip), " ", esc(p, n->ip), "<br>\n", esc(p, browser), " ",
                               esc(p, n->browser), NULL);
    }
    *text = apr_pstrcat(p, when, " ", n->when, "\n", who_text, "\n\n",
                        sa_msg(n->lang, "mail_not_you"), "\n", NULL);
    *html = apr_pstrcat(p, "<p>", esc(p, when), " ", esc(p, n->when), "<br>\n", who_html,
                        "</p>\n<p>", esc(p, sa_msg(n->lang, "mail_not_you")), "</p>\n", NULL);
}

void sa_notice_compose(apr_pool_t *p, const sa_notice *n, sa_notice_mail *out)
{
    const char *greeting =
        apr_pstrcat(p, sa_msg(n->lang, "mail_greeting"), " ", n->user, ",", NULL);
    const char *body = msg(p, n, "text");
    const char *mid_text = NULL, *mid_html = NULL;
    if (n->kind == SA_NOTICE_RESET) {
        reset_part(p, n, &mid_text, &mid_html);
    } else {
        event_part(p, n, &mid_text, &mid_html);
    }
    out->subject = apr_pstrcat(p, n->sender, " \xe2\x80\x93 ", msg(p, n, "subject"), NULL);
    out->text =
        apr_pstrcat(p, greeting, "\n\n", body, "\n\n", mid_text, "\n-- \n", n->sender, "\n", NULL);
    out->html = apr_pstrcat(p, "<!DOCTYPE html>\n<html lang=\"", sa_lang_code(n->lang),
                            "\"><head><meta charset=\"utf-8\"><title>", esc(p, out->subject),
                            "</title></head><body>\n<p>", esc(p, greeting), "</p>\n<p>",
                            esc(p, body), "</p>\n", mid_html, "<p>-- <br>\n", esc(p, n->sender),
                            "</p>\n</body></html>\n", NULL);
}
