/* The module's pages: templates (admin overrides, else built in), the page frame, the
 * security headers every page carries, and redirects. */
#include "httpd.h"
#include <string.h>

#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "util_filter.h"
#include "apr_file_io.h"
#include "apr_strings.h"

#include "cfg/logno.h"
#include "core/embedded.h"
#include "core/html.h"
#include "core/token.h"
#include "core/validate.h"
#include "web/assets.h"
#include "web/page.h"
#include "web/request.h"

APLOG_USE_MODULE(seances_auth);

#define SA_TEMPLATE_MAX ((apr_off_t)256 * 1024)

void web_security_headers(request_rec *r)
{
    apr_table_t *h = r->err_headers_out;
    apr_table_setn(h, "Cache-Control", "no-store");
    apr_table_setn(h, "Pragma", "no-cache");
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "X-Frame-Options", "DENY");
    /* pages whose URL holds a secret (a reset link) set the note: no Referer at all */
    apr_table_setn(h, "Referrer-Policy",
                   apr_table_get(r->notes, WEB_NOTE_NO_REFERRER) ? "no-referrer" : "same-origin");
}

static const char *template_from_dir(request_rec *r, const char *dir, const char *name)
{
    apr_file_t *f;
    apr_finfo_t fi;
    const char *path = apr_pstrcat(r->pool, dir, "/", name, NULL);
    if (apr_file_open(&f, path, APR_READ, 0, r->pool) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_file_info_get(&fi, APR_FINFO_SIZE, f) != APR_SUCCESS || fi.size > SA_TEMPLATE_MAX) {
        apr_file_close(f);
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      SALOG(0501) "template %s unusable: built-in used", path);
        return NULL;
    }
    apr_size_t len = (apr_size_t)fi.size;
    char *text = apr_palloc(r->pool, len + 1);
    apr_status_t rv = apr_file_read_full(f, text, len, &len);
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        return NULL;
    }
    text[len] = '\0';
    return text;
}

static const char *load_template(request_rec *r, const char *name)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *text = d->template_dir ? template_from_dir(r, d->template_dir, name) : NULL;
    return text ? text : sa_embedded(name);
}

const char *web_fragment(request_rec *r, const char *name, apr_table_t *vars)
{
    const char *tmpl = load_template(r, name);
    if (!tmpl) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, SALOG(0610) "template %s is missing", name);
        return "";
    }
    return sa_template_render(r->pool, tmpl, vars);
}

#define LANG_COOKIE_AGE ((apr_int64_t)365 * 24 * 3600)

/* The request the page answers: for an error page (ErrorDocument), the one that failed. */
static const request_rec *answered(const request_rec *r)
{
    while (r->prev) {
        r = r->prev;
    }
    return r;
}

/* A parameter of the page's own query that links back to it may keep: "return" as the
 * return-path check leaves it, others only with a short plain value ("page=2", "recovery=1");
 * the rest (and "lang") is dropped, so no link carries what a stranger put in the URL. */
static const char *safe_param(request_rec *r, const char *pair)
{
    const char *eq = strchr(pair, '=');
    if (!eq || eq == pair || (size_t)(eq - pair) > 32) {
        return NULL;
    }
    const char *name = apr_pstrmemdup(r->pool, pair, (apr_size_t)(eq - pair));
    if (strcmp(name, WEB_LANG_PARAM) == 0 || name[strspn(name, "abcdefghijklmnopqrstuvwxyz_")]) {
        return NULL;
    }
    if (strcmp(name, "return") == 0) {
        char *value = apr_pstrdup(r->pool, eq + 1);
        if (ap_unescape_urlencoded(value) != OK) { /* also turns '+' into ' ' */
            return NULL;
        }
        return apr_pstrcat(
            r->pool, "return=", ap_escape_urlencoded(r->pool, sa_safe_return_path(value)), NULL);
    }
    size_t vlen = strlen(eq + 1);
    if (vlen > 64 || eq[1 + strspn(eq + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_.-")] != '\0') {
        return NULL;
    }
    return pair;
}

/* The page's own query, for links back to it: the safe parameters, each followed by "&". */
static const char *safe_args(request_rec *r)
{
    const request_rec *o = answered(r);
    const char *args = "";
    char *state = NULL;
    char *copy = o->args ? apr_pstrdup(r->pool, o->args) : NULL;
    for (char *a = copy ? apr_strtok(copy, "&", &state) : NULL; a;
         a = apr_strtok(NULL, "&", &state)) {
        const char *kept = safe_param(r, a);
        if (kept) {
            args = apr_pstrcat(r->pool, args, kept, "&", NULL);
        }
    }
    return args;
}

/* This page's URL with ?lang=code: the switch stays on the page. */
static const char *lang_url(request_rec *r, const char *code)
{
    return apr_pstrcat(r->pool, ap_escape_uri(r->pool, answered(r)->uri), "?", safe_args(r),
                       WEB_LANG_PARAM "=", code, NULL);
}

/* The switch just used is remembered (a year; never a redirect, so never an open one). */
static void remember_lang(request_rec *r)
{
    sa_lang lang;
    if (!web_request_lang_switch(r, &lang)) {
        return;
    }
    const char *secure = ap_strcasestr(cfg_cookie_attrs(cfg_dir(r)), "secure") ? "; Secure" : "";
    web_cookie_set(r, WEB_LANG_COOKIE, sa_lang_code(lang), LANG_COOKIE_AGE,
                   apr_pstrcat(r->pool, "Path=/; HttpOnly; SameSite=Lax", secure, NULL));
}

/* What page.html shows around every body: the organisation, its logo, the favicon, the
 * language switch and the script of the forms. */
static void fill_chrome(request_rec *r, apr_table_t *vars, sa_lang lang)
{
    const cfg_dir_config *d = cfg_dir(r);
    static const char *const codes[] = {"fr", "de", "it", "en"};
    if (d->organisation) {
        apr_table_setn(vars, "organisation", d->organisation);
    }
    if (d->logo) {
        apr_table_setn(vars, "logo_url", web_asset_url(r, WEB_ASSET_LOGO, d->logo->version));
    }
    apr_table_setn(vars, "favicon_url", web_asset_url(r, WEB_ASSET_FAVICON, NULL));
    for (int i = 0; i < SA_LANG_COUNT; i++) {
        apr_table_setn(vars, apr_pstrcat(r->pool, "lang_url_", codes[i], NULL),
                       lang_url(r, codes[i]));
    }
    apr_table_setn(vars, apr_pstrcat(r->pool, "lang_is_", sa_lang_code(lang), NULL), "1");
    apr_table_setn(vars, "js", sa_embedded("seances.js"));
    remember_lang(r);
}

/* The page's HTML; its CSP and language headers go on err_headers_out, which also survive
 * an error response (web_page_unavailable_later). NULL when a template is missing. */
static const char *render_page(request_rec *r, const char *name, apr_table_t *vars)
{
    sa_lang lang = web_request_lang(r);
    const char *body_tmpl = load_template(r, name);
    const char *frame = load_template(r, "page.html");
    const char *nonce = sa_token_new(r->pool, 18);
    if (!body_tmpl || !frame || !nonce) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, SALOG(0502) "template %s is missing", name);
        return NULL;
    }
    sa_i18n_fill(vars, lang);
    apr_table_setn(vars, "lang", sa_lang_code(lang));
    apr_table_setn(vars, "nonce", nonce);
    apr_table_setn(vars, "css", sa_embedded("seances.css"));
    fill_chrome(r, vars, lang);
    apr_table_setn(vars, "body", sa_template_render(r->pool, body_tmpl, vars));
    const char *html = sa_template_render(r->pool, frame, vars);

    web_security_headers(r);
    apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                   apr_pstrcat(r->pool, "default-src 'none'; style-src 'nonce-", nonce,
                               "'; script-src 'nonce-", nonce,
                               "'; img-src 'self'; form-action 'self'; base-uri 'none'; "
                               "frame-ancestors 'none'",
                               NULL));
    apr_table_setn(r->err_headers_out, "Content-Language", sa_lang_code(lang));
    return html;
}

int web_page_send(request_rec *r, int status, const char *name, apr_table_t *vars)
{
    const char *html = render_page(r, name, vars);
    if (!html) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_set_content_type(r, "text/html; charset=utf-8");
    r->status = status;
    if (!r->header_only) {
        ap_rputs(html, r);
    }
    return OK;
}

int web_page_message(request_rec *r, int status, const char *title_key, const char *text_key)
{
    apr_table_t *vars = apr_table_make(r->pool, 8);
    sa_lang lang = web_request_lang(r);
    apr_table_setn(vars, "title", sa_msg(lang, title_key));
    apr_table_setn(vars, "message", sa_msg(lang, text_key));
    apr_table_setn(vars, "login_url", cfg_login_url(cfg_dir(r)));
    return web_page_send(r, status, "message.html", vars);
}

/* One themed page per status the module answers with (issue 10): a title, a message and a
 * way forward, in the page's language. Anything else gets the generic error text. */
typedef struct {
    int status;
    const char *title_key;
    const char *text_key;
} status_page;

static const status_page status_pages[] = {
    {HTTP_BAD_REQUEST, "bad_request_title", "bad_request_text"},
    {HTTP_FORBIDDEN, "forbidden_title", "forbidden_text"},
    {HTTP_NOT_FOUND, "not_found_title", "not_found_text"},
    {HTTP_METHOD_NOT_ALLOWED, "method_title", "method_not_allowed"},
    {HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large_title", "input_too_long"},
    {HTTP_UNSUPPORTED_MEDIA_TYPE, "bad_request_title", "bad_request_text"},
    {HTTP_TOO_MANY_REQUESTS, "too_many_title", "too_many_text"},
    {HTTP_SERVICE_UNAVAILABLE, "unavailable_title", "unavailable_text"},
    {0, "error_title", "error_text"}};

/* The same URL again (a GET), for "Réessayer": a local path, never another site. */
static const char *retry_url(request_rec *r)
{
    const char *path = ap_escape_uri(r->pool, answered(r)->uri);
    const char *args = safe_args(r);
    size_t n = strlen(args);
    return n ? apr_pstrcat(r->pool, path, "?", apr_pstrmemdup(r->pool, args, n - 1), NULL) : path;
}

/* 503 offers the same URL again and nothing else: no "Se reconnecter" to a user who may well
 * be signed in, no word on what failed inside (Retry-After says 30 s, so does the text). */
static apr_table_t *status_vars(request_rec *r, int status)
{
    const status_page *p = status_pages;
    apr_table_t *vars = apr_table_make(r->pool, 8);
    sa_lang lang = web_request_lang(r);
    while (p->status && p->status != status) {
        p++;
    }
    apr_table_setn(vars, "title", sa_msg(lang, p->title_key));
    apr_table_setn(vars, "message", sa_msg(lang, p->text_key));
    if (status == HTTP_SERVICE_UNAVAILABLE) {
        apr_table_setn(vars, "retry_url", retry_url(r));
    } else {
        apr_table_setn(vars, "home_url", "/");
    }
    return vars;
}

void web_page_allow(request_rec *r)
{
    ap_clear_method_list(r->allowed_methods);
    r->allowed_methods->method_mask = (AP_METHOD_BIT << M_GET) | (AP_METHOD_BIT << M_POST);
    r->allowed = r->allowed_methods->method_mask;
    apr_table_setn(r->headers_out, "Allow", "GET, HEAD, POST");
}

int web_page_status(request_rec *r, int status)
{
    if (status == HTTP_SERVICE_UNAVAILABLE) {
        apr_table_setn(r->err_headers_out, "Retry-After", "30");
    }
    if (status == HTTP_METHOD_NOT_ALLOWED) {
        web_page_allow(r);
    }
    return web_page_send(r, status, "message.html", status_vars(r, status));
}

int web_page_beyond(request_rec *r, const char *base)
{
    size_t n = strlen(base);
    return n > 0 && base[0] == '/' && strncmp(r->uri, base, n) == 0 && r->uri[n] == '/' &&
           r->uri[n + 1] != '\0';
}

int web_page_unavailable(request_rec *r)
{
    return web_page_status(r, HTTP_SERVICE_UNAVAILABLE);
}

/* ---- the 503 page from places that can only fail with 500 ---- */

#define UNAVAILABLE_NOTE "seances-unavailable"
#define UTF8_FILTER "SEANCES_ERROR_UTF8"

void web_page_unavailable_later(request_rec *r)
{
    const char *html = render_page(r, "message.html", status_vars(r, HTTP_SERVICE_UNAVAILABLE));
    if (html) {
        ap_custom_response(r, HTTP_INTERNAL_SERVER_ERROR, html);
    }
    apr_table_setn(r->err_headers_out, "Retry-After", "30");
    apr_table_setn(r->notes, UNAVAILABLE_NOTE, "1");
}

/* Apache labels its error pages ISO-8859-1 after this hook runs; the page is UTF-8. */
static apr_status_t utf8_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    ap_set_content_type(f->r, "text/html; charset=utf-8");
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

void web_page_register_filters(void)
{
    ap_register_output_filter(UTF8_FILTER, utf8_filter, NULL, AP_FTYPE_CONTENT_SET);
}

void web_error_unavailable(request_rec *r)
{
    if (r->status == HTTP_INTERNAL_SERVER_ERROR && apr_table_get(r->notes, UNAVAILABLE_NOTE)) {
        r->status = HTTP_SERVICE_UNAVAILABLE;
        ap_add_output_filter(UTF8_FILTER, NULL, r, r->connection);
    }
}

int web_redirect_see_other(request_rec *r, const char *location)
{
    web_security_headers(r);
    apr_table_setn(r->headers_out, "Location", location);
    return HTTP_SEE_OTHER;
}
