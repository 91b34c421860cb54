/* Cookies, forms and per-request facts. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "cfg/logno.h"
#include "core/cookie.h"
#include "core/form.h"
#include "core/token.h"
#include "web/request.h"

APLOG_USE_MODULE(seances_auth);

#define SA_UA_MAX 512

static int scan_cookie_header(void *rec, const char *key, const char *header)
{
    (void)key;
    sa_cookie_scan(rec, header);
    return 1;
}

const char *web_cookie_get(request_rec *r, const char *name)
{
    sa_cookie_search s = {r->pool, name, NULL, 0};
    apr_table_do(scan_cookie_header, &s, r->headers_in, "Cookie", "Cookie2", NULL);
    if (s.conflict) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      SALOG(0205) "cookie %s sent twice with different values: ignored", name);
    }
    return sa_cookie_value(&s);
}

/* 1 when the piece (between separators) is a cookie called name, blanks around it ignored. */
static int is_named(const char *piece, size_t len, const char *name)
{
    size_t nlen = strlen(name);
    while (len > 0 && (*piece == ' ' || *piece == '\t')) {
        piece++, len--;
    }
    if (len <= nlen || strncmp(piece, name, nlen) != 0) {
        return 0;
    }
    for (size_t i = nlen; i < len; i++) {
        if (piece[i] == '=') {
            return 1;
        }
        if (piece[i] != ' ' && piece[i] != '\t') {
            return 0;
        }
    }
    return 0;
}

/* One ';' piece without its sub-pieces (split on ',') named name; *gone counts them. */
static const char *strip_piece(apr_pool_t *p, const char *piece, size_t len, const char *name,
                               int *gone)
{
    const char *kept = NULL;
    int dropped = 0;
    for (size_t at = 0; at <= len;) {
        size_t sub = strcspn(piece + at, ",");
        sub = sub > len - at ? len - at : sub;
        if (is_named(piece + at, sub, name)) {
            dropped++;
        } else if (sub > 0) {
            const char *s = apr_pstrmemdup(p, piece + at, sub);
            kept = kept ? apr_pstrcat(p, kept, ",", s, NULL) : s;
        }
        at += sub + 1;
    }
    *gone += dropped;
    return dropped ? kept : apr_pstrmemdup(p, piece, len);
}

static const char *strip_header(apr_pool_t *p, const char *header, const char *name, int *gone)
{
    const char *kept = NULL;
    for (const char *s = header; *s;) {
        size_t len = strcspn(s, ";");
        const char *piece = strip_piece(p, s, len, name, gone);
        if (piece && piece[strspn(piece, " \t")]) {
            piece += strspn(piece, " \t");
            kept = kept ? apr_pstrcat(p, kept, "; ", piece, NULL) : piece;
        }
        s += len + (s[len] == ';');
    }
    return kept;
}

typedef struct {
    apr_pool_t *pool;
    const char *name;
    apr_array_header_t *kept; /* const char *: [header name, value]... */
    int gone;
} cookie_strip;

static int strip_cookie_header(void *rec, const char *key, const char *value)
{
    cookie_strip *s = rec;
    int before = s->gone;
    const char *kept = strip_header(s->pool, value, s->name, &s->gone);
    if (s->gone == before) {
        kept = value; /* untouched: exactly as sent */
    }
    if (kept) {
        *(const char **)apr_array_push(s->kept) = key;
        *(const char **)apr_array_push(s->kept) = kept;
    }
    return 1;
}

int web_cookie_remove(request_rec *r, const char *name)
{
    cookie_strip s = {r->pool, name, apr_array_make(r->pool, 4, sizeof(const char *)), 0};
    apr_table_do(strip_cookie_header, &s, r->headers_in, "Cookie", "Cookie2", NULL);
    if (s.gone == 0) {
        return 0;
    }
    apr_table_unset(r->headers_in, "Cookie");
    apr_table_unset(r->headers_in, "Cookie2");
    for (int i = 0; i + 1 < s.kept->nelts; i += 2) {
        apr_table_addn(r->headers_in, ((const char **)s.kept->elts)[i],
                       ((const char **)s.kept->elts)[i + 1]);
    }
    return s.gone;
}

void web_cookie_set(request_rec *r, const char *name, const char *value, apr_int64_t max_age,
                    const char *attrs)
{
    const char *age =
        max_age >= 0 ? apr_psprintf(r->pool, "Max-Age=%" APR_INT64_T_FMT ";", max_age) : "";
    apr_table_addn(r->err_headers_out, "Set-Cookie",
                   apr_pstrcat(r->pool, name, "=", value, ";", age, attrs, NULL));
}

void web_cookie_clear(request_rec *r, const char *name, const char *attrs)
{
    web_cookie_set(r, name, "", 0, attrs);
}

static int is_form_content_type(const char *ct)
{
    return ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 &&
           (ct[33] == '\0' || ct[33] == ';' || ct[33] == ' ');
}

static int read_body(request_rec *r, char **body, apr_size_t *len)
{
    apr_size_t got = 0;
    char *buf = apr_palloc(r->pool, WEB_FORM_MAX_BYTES + 1);
    int rc = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK);
    if (rc != OK) {
        return rc;
    }
    if (r->remaining > WEB_FORM_MAX_BYTES) {
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    if (ap_should_client_block(r)) {
        long n;
        while ((n = ap_get_client_block(r, buf + got, WEB_FORM_MAX_BYTES + 1 - got)) > 0) {
            got += (apr_size_t)n;
            if (got > WEB_FORM_MAX_BYTES) {
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            }
        }
        if (n < 0) {
            return HTTP_BAD_REQUEST;
        }
    }
    buf[got] = '\0';
    *body = buf;
    *len = got;
    return OK;
}

static int parse_form(request_rec *r, char *body, apr_size_t len, apr_table_t *form)
{
    if (sa_form_parse(body, len, form) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0503) "malformed form field refused");
        return HTTP_BAD_REQUEST;
    }
    return OK;
}

int web_form_read(request_rec *r, apr_table_t **form)
{
    char *body;
    apr_size_t len;
    if (!is_form_content_type(apr_table_get(r->headers_in, "Content-Type"))) {
        return HTTP_UNSUPPORTED_MEDIA_TYPE;
    }
    int rc = read_body(r, &body, &len);
    if (rc != OK) {
        return rc;
    }
    *form = apr_table_make(r->pool, 8);
    rc = parse_form(r, body, len, *form);
    /* the body held the password; the table has its own copies, which the caller wipes */
    sa_wipe(body, len);
    return rc;
}

/* The value of "name=" in a query string when it is exactly one of our language codes. */
static int query_lang(const char *args, sa_lang *out)
{
    for (const char *p = args; p && *p;) {
        size_t len = strcspn(p, "&");
        if (len == 7 && strncmp(p, WEB_LANG_PARAM "=", 5) == 0) {
            char code[3] = {p[5], p[6], '\0'};
            if (strcmp(code, "fr") == 0 || strcmp(code, "de") == 0 || strcmp(code, "it") == 0 ||
                strcmp(code, "en") == 0) {
                return sa_lang_from_code(code, out) == 0;
            }
        }
        p += len;
        p += *p == '&';
    }
    return 0;
}

/* A cookie value is ours only when it is one of the four codes, written in lower case. */
static int cookie_lang(const char *value, sa_lang *out)
{
    if (!value || strlen(value) != 2 || value[0] < 'a' || value[0] > 'z') {
        return 0;
    }
    return sa_lang_from_code(value, out) == 0;
}

int web_request_lang_switch(request_rec *r, sa_lang *out)
{
    /* an error page (ErrorDocument) answers the request that failed: its query counts */
    for (request_rec *q = r; q; q = q->prev) {
        if (query_lang(q->args, out)) {
            return 1;
        }
    }
    return 0;
}

sa_lang web_request_lang(request_rec *r)
{
    sa_lang lang;
    if (web_request_lang_switch(r, &lang) ||
        cookie_lang(web_cookie_get(r, WEB_LANG_COOKIE), &lang)) {
        return lang;
    }
    sa_lang fallback = cfg_lang(cfg_dir(r));
    return sa_lang_negotiate(apr_table_get(r->headers_in, "Accept-Language"), fallback);
}

const char *web_client_ip(request_rec *r)
{
    return r->useragent_ip ? r->useragent_ip : "";
}

const char *web_user_agent(request_rec *r)
{
    const char *ua = apr_table_get(r->headers_in, "User-Agent");
    if (!ua) {
        return "";
    }
    return strlen(ua) > SA_UA_MAX ? apr_pstrndup(r->pool, ua, SA_UA_MAX) : ua;
}
