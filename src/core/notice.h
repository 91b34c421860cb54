/* The product's mails in words: the password reset mail and the security notices, in the
 * user's language, as a subject, a text part and an HTML part for core/mail.h. Secrets never
 * appear in a notice; the reset mail carries its link and short code only. */
#ifndef SA_NOTICE_H
#define SA_NOTICE_H

#include <apr_pools.h>
#include "core/i18n.h"

typedef enum {
    SA_NOTICE_RESET = 0,        /* the reset link and code */
    SA_NOTICE_PASSWORD_CHANGED, /* in the portal, or by a reset */
    SA_NOTICE_TOTP_ON,
    SA_NOTICE_TOTP_OFF,
    SA_NOTICE_CODES_RENEWED, /* new recovery codes */
    SA_NOTICE_RECOVERY_USED,
    SA_NOTICE_NEW_LOGIN,  /* from a browser and address not seen before */
    SA_NOTICE_TOTP_RESET, /* 2FA turned off by an administrator (seances-admin 2fa reset) */
    SA_NOTICE_KINDS
} sa_notice_kind;

typedef struct {
    sa_notice_kind kind;
    sa_lang lang;
    const char *user;      /* the account's name */
    const char *sender;    /* who the mail is from, in words (SeancesIssuer) */
    const char *when;      /* the event's time, formatted in the user's language */
    const char *ip;        /* where it came from */
    const char *browser;   /* which browser, in words */
    int by_admin;          /* done with seances-admin: no address or browser to show */
    const char *link;      /* reset: the link */
    const char *code;      /* reset: the short code */
    const char *code_page; /* reset: where to type the code */
    int valid_minutes;     /* reset: how long both live */
} sa_notice;

typedef struct {
    const char *subject;
    const char *text;
    const char *html;
} sa_notice_mail;

/* The texts of the notice (every value HTML-escaped in the HTML part). */
void sa_notice_compose(apr_pool_t *p, const sa_notice *n, sa_notice_mail *out);

/* "reset", "password_changed", ...: the kind's name in logs and in the outbox. */
const char *sa_notice_name(sa_notice_kind kind);
/* The kind of a name of sa_notice_name: 0, or -1 for a name it does not know. */
int sa_notice_from_name(const char *name, sa_notice_kind *out);

#endif
