/* Mail composition. Every header value goes through one gate (sa_mail_encode_header or
 * sa_mail_address_problem), which refuses control characters instead of cleaning them: a value
 * with a CR or LF is an attack or a bug, and neither should produce a mail. */
#include <string.h>

#include <apr_base64.h>
#include <apr_strings.h>

#include "core/mail.h"
#include "core/password.h"
#include "core/token.h"
#include "core/validate.h"

#define QP_LINE_MAX 76
#define WORD_BYTES_MAX 45 /* 60 base64 characters: "=?UTF-8?B?" + 60 + "?=" = 72 <= 75 */

int sa_mail_header_safe(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; u && *u; u++) {
        if (*u < 0x20 || *u == 0x7f) {
            return 0;
        }
    }
    return s != NULL;
}

const char *sa_mail_address_problem(const char *addr)
{
    if (!addr || !sa_mail_header_safe(addr)) {
        return "the address is missing or contains a control character";
    }
    return sa_validate_email(addr);
}

static int is_plain_ascii(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u >= 0x80) {
            return 0;
        }
    }
    /* "=?" would be read as the start of an encoded word */
    return strstr(s, "=?") == NULL;
}

/* How many bytes of s, at most max, end on a character boundary. */
static apr_size_t utf8_cut(const char *s, apr_size_t len, apr_size_t max)
{
    if (len <= max) {
        return len;
    }
    apr_size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) {
        n--;
    }
    return n;
}

static const char *b64(apr_pool_t *p, const char *data, apr_size_t len)
{
    char *out = apr_palloc(p, (apr_size_t)apr_base64_encode_len((int)len));
    apr_base64_encode(out, data, (int)len);
    return out;
}

const char *sa_mail_encode_header(apr_pool_t *p, const char *s)
{
    if (!s || !sa_mail_header_safe(s) || sa_utf8_length(s) < 0) {
        return NULL;
    }
    if (is_plain_ascii(s)) {
        return s;
    }
    const char *out = "";
    apr_size_t left = strlen(s);
    while (left > 0) {
        apr_size_t n = utf8_cut(s, left, WORD_BYTES_MAX);
        out = apr_pstrcat(p, out, *out ? "\r\n " : "", "=?UTF-8?B?", b64(p, s, n), "?=", NULL);
        s += n;
        left -= n;
    }
    return out;
}

/* ---- quoted-printable ---- */

typedef struct {
    char *buf;
    apr_size_t len;
    apr_size_t col; /* characters on the current output line */
} qp_out;

static void qp_put(qp_out *o, const char *piece, apr_size_t n, int last_on_line)
{
    /* a soft line break keeps every line within 76 characters, "=" included */
    if (o->col + n > QP_LINE_MAX - (last_on_line ? 0 : 1)) {
        memcpy(o->buf + o->len, "=\r\n", 3);
        o->len += 3;
        o->col = 0;
    }
    memcpy(o->buf + o->len, piece, n);
    o->len += n;
    o->col += n;
}

static void qp_line(qp_out *o, const unsigned char *s, apr_size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (apr_size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        int at_end = i + 1 == n;
        /* blanks at the end of a line would be lost in transport: encode them */
        int literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
        if (literal) {
            qp_put(o, (const char *)&s[i], 1, at_end);
        } else {
            char enc[3] = {'=', hex[c >> 4], hex[c & 15]};
            qp_put(o, enc, 3, at_end);
        }
    }
}

const char *sa_mail_qp(apr_pool_t *p, const char *text)
{
    apr_size_t len = strlen(text);
    /* worst case: every byte as =XX plus a soft break per 25 bytes, and CRLF per line */
    qp_out o = {apr_palloc(p, len * 5 + 8), 0, 0};
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        apr_size_t n = nl ? (apr_size_t)(nl - line) : strlen(line);
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        qp_line(&o, (const unsigned char *)line, n);
        memcpy(o.buf + o.len, "\r\n", 2);
        o.len += 2;
        o.col = 0;
        if (!nl) {
            break;
        }
        line = nl + 1;
    }
    o.buf[o.len] = '\0';
    return o.buf;
}

const char *sa_mail_date(apr_pool_t *p, apr_time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    apr_time_exp_t x;
    apr_time_exp_gmt(&x, t);
    return apr_psprintf(p, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[x.tm_wday], x.tm_mday,
                        months[x.tm_mon], x.tm_year + 1900, x.tm_hour, x.tm_min, x.tm_sec);
}

/* ---- the message ---- */

static const char *domain_of(const char *addr)
{
    const char *at = strrchr(addr, '@');
    return at ? at + 1 : "localhost";
}

static apr_status_t fill_ids(apr_pool_t *p, const sa_mail *m, const char **id, const char **bnd)
{
    const char *r1 = m->message_id ? "" : sa_token_new(p, 18);
    const char *r2 = m->boundary ? "" : sa_token_new(p, 18);
    if (!r1 || !r2) {
        return APR_EGENERAL;
    }
    *id =
        m->message_id ? m->message_id : apr_pstrcat(p, "<", r1, "@", domain_of(m->from), ">", NULL);
    /* "=_" never occurs in quoted-printable text, so the boundary cannot occur in a part */
    *bnd = m->boundary ? m->boundary : apr_pstrcat(p, "=_seances_", r2, NULL);
    return sa_mail_header_safe(*id) && sa_mail_header_safe(*bnd) ? APR_SUCCESS : APR_EINVAL;
}

static const char *from_header(apr_pool_t *p, const sa_mail *m, const char **why)
{
    if (!m->from_name || !*m->from_name) {
        return m->from;
    }
    const char *name = sa_mail_encode_header(p, m->from_name);
    if (!name || strpbrk(m->from_name, "\"\\")) {
        *why = "the sender name contains a control character or a quote";
        return NULL;
    }
    /* an ASCII name goes in quotes, so that its commas or dots mean nothing */
    return strncmp(name, "=?", 2) == 0 ? apr_pstrcat(p, name, " <", m->from, ">", NULL)
                                       : apr_pstrcat(p, "\"", name, "\" <", m->from, ">", NULL);
}

static const char *part(apr_pool_t *p, const char *boundary, const char *type, const char *body)
{
    return apr_pstrcat(p, "--", boundary, "\r\nContent-Type: ", type,
                       "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
                       sa_mail_qp(p, body), NULL);
}

apr_status_t sa_mail_compose(apr_pool_t *p, const sa_mail *m, const char **message,
                             const char **why)
{
    const char *id = NULL, *boundary = NULL;
    *why = NULL;
    if ((*why = sa_mail_address_problem(m->from)) || (*why = sa_mail_address_problem(m->to))) {
        return APR_EINVAL;
    }
    const char *subject = sa_mail_encode_header(p, m->subject);
    if (!subject) {
        *why = "the subject contains a control character or is not UTF-8";
        return APR_EINVAL;
    }
    const char *from = from_header(p, m, why);
    if (!from) {
        return APR_EINVAL;
    }
    apr_status_t rv = fill_ids(p, m, &id, &boundary);
    if (rv != APR_SUCCESS) {
        *why = rv == APR_EINVAL ? "the message id or boundary contains a control character"
                                : "the random generator failed";
        return rv;
    }
    *message = apr_pstrcat(
        p, "Date: ", sa_mail_date(p, m->date), "\r\nFrom: ", from, "\r\nTo: ", m->to,
        "\r\nSubject: ", subject, "\r\nMessage-ID: ", id,
        "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"", boundary,
        "\"\r\nAuto-Submitted: auto-generated\r\n\r\n", part(p, boundary, "text/plain", m->text),
        part(p, boundary, "text/html", m->html), "--", boundary, "--\r\n", NULL);
    return APR_SUCCESS;
}
