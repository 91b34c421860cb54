/* httpd functions for the glue's unit tests (see stub.h). */
#include <stdarg.h>
#include <stdio.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"

#include "stub.h"
#include "web/session.h"

module AP_MODULE_DECLARE_DATA seances_auth_module = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, NULL, AP_MODULE_FLAG_NONE};

static const sa_session_info *noted_session;
static int log_count;
static char last_log[1024];

typedef struct {
    const char *body;
    apr_size_t offset;
} stub_body;

static apr_status_t reset_body(void *data)
{
    (void)data;
    return APR_SUCCESS;
}

request_rec *stub_request(apr_pool_t *p, const char *method, const char *body)
{
    request_rec *r = apr_pcalloc(p, sizeof(*r));
    server_rec *s = apr_pcalloc(p, sizeof(*s));
    void **dir = apr_pcalloc(p, sizeof(void *) * 2), **srv = apr_pcalloc(p, sizeof(void *) * 2);
    cfg_dir_config *d = apr_pcalloc(p, sizeof(*d));
    cfg_srv_config *sc = apr_pcalloc(p, sizeof(*sc));
    d->idle = d->max = CFG_UNSET;
    d->twofactor = d->pass_headers = d->cookie_remove = d->lang = CFG_UNSET;
    sc->lockout_n = sc->password_min = sc->smtp_starttls = CFG_UNSET;
    sc->retention = sc->housekeeping = CFG_UNSET;
    dir[seances_auth_module.module_index] = d;
    srv[seances_auth_module.module_index] = sc;
    s->module_config = (ap_conf_vector_t *)srv;
    /* debug-level lines are formatted too, so that their arguments are exercised */
    s->log.level = APLOG_DEBUG;
    conn_rec *c = apr_pcalloc(p, sizeof(*c));
    c->base_server = s;
    c->log = &s->log;
    r->connection = c;
    r->log = &s->log;
    r->server = s;
    r->pool = p;
    r->per_dir_config = (ap_conf_vector_t *)dir;
    r->headers_in = apr_table_make(p, 8);
    r->headers_out = apr_table_make(p, 8);
    r->err_headers_out = apr_table_make(p, 8);
    r->subprocess_env = apr_table_make(p, 8);
    r->notes = apr_table_make(p, 4);
    r->method = method;
    r->method_number = strcmp(method, "POST") == 0 ? M_POST : M_GET;
    r->useragent_ip = "192.0.2.10";
    r->request_time = apr_time_now();
    stub_body *b = apr_pcalloc(p, sizeof(*b));
    b->body = body;
    r->request_config = (ap_conf_vector_t *)b; /* the stubbed body reader's state */
    apr_pool_cleanup_register(p, b, reset_body, apr_pool_cleanup_null);
    return r;
}

cfg_dir_config *stub_dir_config(request_rec *r)
{
    return ((void **)r->per_dir_config)[seances_auth_module.module_index];
}

void stub_set_session(const sa_session_info *info)
{
    noted_session = info;
}

const sa_session_info *web_session_noted(request_rec *r)
{
    (void)r;
    return noted_session;
}

int stub_log_count(void)
{
    return log_count;
}

const char *stub_last_log(void)
{
    return last_log;
}

AP_DECLARE(void)
ap_log_rerror_(const char *file, int line, int module_index, int level, apr_status_t status,
               const request_rec *r, const char *fmt, ...)
{
    va_list ap;
    (void)file, (void)line, (void)module_index, (void)level, (void)status, (void)r;
    va_start(ap, fmt);
    apr_vsnprintf(last_log, sizeof(last_log), fmt, ap);
    va_end(ap);
    log_count++;
}

AP_DECLARE(int) ap_setup_client_block(request_rec *r, int read_policy)
{
    const stub_body *b = (const stub_body *)r->request_config;
    (void)read_policy;
    r->remaining = b->body ? (apr_off_t)strlen(b->body) : 0;
    return OK;
}

AP_DECLARE(int) ap_should_client_block(request_rec *r)
{
    return r->remaining > 0;
}

AP_DECLARE(long) ap_get_client_block(request_rec *r, char *buffer, apr_size_t bufsiz)
{
    stub_body *b = (stub_body *)r->request_config;
    apr_size_t left = b->body ? strlen(b->body) - b->offset : 0;
    apr_size_t n = left < bufsiz ? left : bufsiz;
    memcpy(buffer, b->body + b->offset, n);
    b->offset += n;
    return (long)n;
}

/* httpd's rule: "+" is a space, %XX decoded; a bad escape is 400, an encoded NUL 404. */
AP_DECLARE(int) ap_unescape_urlencoded(char *query)
{
    int bad = 0, nul = 0;
    for (char *c = query; *c; c++) {
        if (*c == '+') {
            *c = ' ';
        }
    }
    if (!strchr(query, '%')) {
        return OK; /* as httpd: nothing is written when there is nothing to decode */
    }
    char *out = query;
    for (const char *in = query; *in; in++, out++) {
        if (*in != '%') {
            *out = *in;
        } else if (!apr_isxdigit(in[1]) || !apr_isxdigit(in[2])) {
            bad = 1;
            *out = *in;
        } else {
            char hex[3] = {in[1], in[2], '\0'};
            *out = (char)strtol(hex, NULL, 16);
            nul |= *out == '\0';
            in += 2;
        }
    }
    *out = '\0';
    return bad ? HTTP_BAD_REQUEST : nul ? HTTP_NOT_FOUND : OK;
}

/* As server/util.c: the token ends at a blank, ";" or ",", quoted strings kept whole. */
AP_DECLARE(char *) ap_get_token(apr_pool_t *p, const char **accept_line, int accept_white)
{
    const char *ptr = *accept_line;
    while (apr_isspace(*ptr)) {
        ++ptr;
    }
    const char *start = ptr;
    while (*ptr && (accept_white || !apr_isspace(*ptr)) && *ptr != ';' && *ptr != ',') {
        if (*ptr++ == '"') {
            while (*ptr) {
                if (*ptr++ == '"') {
                    break;
                }
            }
        }
    }
    char *token = apr_pstrmemdup(p, start, (apr_size_t)(ptr - start));
    while (apr_isspace(*ptr)) {
        ++ptr;
    }
    *accept_line = ptr;
    return token;
}
