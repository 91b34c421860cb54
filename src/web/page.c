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
    apr_table_setn(vars, "body", sa_template_render(r->pool, body_tmpl, vars));
    const char *html = sa_template_render(r->pool, frame, vars);

    web_security_headers(r);
    apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                   apr_pstrcat(r->pool, "default-src 'none'; style-src 'nonce-", nonce,
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

static apr_table_t *unavailable_vars(request_rec *r)
{
    apr_table_t *vars = apr_table_make(r->pool, 8);
    sa_lang lang = web_request_lang(r);
    apr_table_setn(vars, "title", sa_msg(lang, "unavailable_title"));
    apr_table_setn(vars, "message", sa_msg(lang, "unavailable_text"));
    apr_table_setn(vars, "login_url", cfg_login_url(cfg_dir(r)));
    return vars;
}

int web_page_unavailable(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "Retry-After", "30");
    return web_page_send(r, HTTP_SERVICE_UNAVAILABLE, "message.html", unavailable_vars(r));
}

/* ---- the 503 page from places that can only fail with 500 ---- */

#define UNAVAILABLE_NOTE "seances-unavailable"
#define UTF8_FILTER "SEANCES_ERROR_UTF8"

void web_page_unavailable_later(request_rec *r)
{
    const char *html = render_page(r, "message.html", unavailable_vars(r));
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
