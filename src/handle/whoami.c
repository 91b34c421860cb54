/* seances-whoami: a small JSON answer for scripts and front ends: who is logged in here.
 * (It answered at seances-status until that became the operators' page.) */
#include "httpd.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "core/html.h"
#include "handle/handle.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"

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

int handle_whoami(request_rec *r)
{
    const sa_session_info *s = NULL;
    web_session_state state = web_session_resolve(r, NULL, &s);
    web_security_headers(r);
    ap_set_content_type(r, "application/json");
    if (state == WEB_SESSION_DB_DOWN) {
        r->status = HTTP_SERVICE_UNAVAILABLE;
        ap_rputs("{\"authenticated\":false,\"error\":\"database unavailable\"}\n", r);
        return OK;
    }
    if (state != WEB_SESSION_LIVE) {
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
