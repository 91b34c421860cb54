/* seances-status: a small JSON answer for scripts and front ends: who is logged in here. */
#include "httpd.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "sa_html.h"
#include "web_handlers.h"
#include "web_request.h"

/* JSON string escaping for the few values we emit (user names may hold any UTF-8). */
static const char *json_string(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, strlen(s) * 6 + 3), *o = out;
    *o++ = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            *o++ = '\\';
            *o++ = (char)*c;
        } else if (*c < 0x20 || *c == '<' || *c == '>' || *c == '&') {
            o += apr_snprintf(o, 7, "\\u%04x", *c);
        } else {
            *o++ = (char)*c;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

int sa_handle_status(request_rec *r)
{
    int db_failed = 0;
    const sa_session_info *s = sa_current_session(r, &db_failed);
    sa_security_headers(r);
    ap_set_content_type(r, "application/json");
    if (db_failed) {
        r->status = HTTP_SERVICE_UNAVAILABLE;
        ap_rputs("{\"authenticated\":false,\"error\":\"database unavailable\"}\n", r);
        return OK;
    }
    if (!s) {
        r->status = HTTP_UNAUTHORIZED;
        ap_rputs("{\"authenticated\":false}\n", r);
        return OK;
    }
    ap_rprintf(r,
               "{\"authenticated\":true,\"user\":%s,\"level\":%d,\"remembered\":%s,"
               "\"expires\":%" APR_INT64_T_FMT "}\n",
               json_string(r->pool, s->user), s->level, s->remember ? "true" : "false", s->expires);
    return OK;
}
