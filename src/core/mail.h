/* Composing a mail: one message of RFC 5322 with a text and an HTML part (MIME
 * multipart/alternative, UTF-8, quoted-printable), a subject and sender name in RFC 2047
 * encoded words, Date and Message-ID. Nothing that reaches a header may hold a control
 * character: a CR or LF from user input can never add a header or a recipient. Pure: no I/O. */
#ifndef SA_MAIL_H
#define SA_MAIL_H

#include <apr_pools.h>
#include <apr_time.h>

typedef struct {
    const char *from;       /* sender address (addr-spec) */
    const char *from_name;  /* display name (UTF-8), or NULL */
    const char *to;         /* the one recipient (addr-spec) */
    const char *subject;    /* UTF-8 */
    const char *text;       /* the text part, UTF-8, lines ending in \n */
    const char *html;       /* the HTML part, UTF-8 */
    apr_time_t date;        /* the Date header */
    const char *message_id; /* "<id@domain>", or NULL: random, at the sender's domain */
    const char *boundary;   /* or NULL: random (fixed only for tests) */
} sa_mail;

/* 1 when s holds no control character (C0, DEL): safe inside one header line. */
int sa_mail_header_safe(const char *s);

/* NULL when addr can be an envelope and header address (sa_validate_email, and no control
 * character), else a one-line English reason. */
const char *sa_mail_address_problem(const char *addr);

/* The text for a header: ASCII as it is; anything else as RFC 2047 "B" encoded words of UTF-8
 * (each at most 75 characters, cut between characters, folded with CRLF SP). NULL when s holds
 * a control character or is not valid UTF-8. */
const char *sa_mail_encode_header(apr_pool_t *p, const char *s);

/* Quoted-printable (RFC 2045 6.7) of UTF-8 text with \n line ends; lines end in CRLF and are at
 * most 76 characters. */
const char *sa_mail_qp(apr_pool_t *p, const char *text);

/* RFC 5322 date-time in UTC: "Tue, 01 Dec 2026 00:05:09 +0000". */
const char *sa_mail_date(apr_pool_t *p, apr_time_t t);

/* The whole message, CRLF line ends, ready for an SMTP server (which does the dot stuffing).
 * APR_EINVAL and *why when a header value or an address is refused; APR_EGENERAL when the
 * CSPRNG fails. */
apr_status_t sa_mail_compose(apr_pool_t *p, const sa_mail *m, const char **message,
                             const char **why);

#endif
