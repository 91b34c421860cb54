/* The favicon and the organisation's logo, served by the module itself with a long
 * Cache-Control (the logo's URL changes with its content). */
#include "httpd.h"
#include <string.h>

#include "http_protocol.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "core/embedded.h"
#include "web/assets.h"

#define ASSET_MAX_AGE "public, max-age=604800"

const char *web_asset_url(request_rec *r, const char *name, const char *version)
{
    const char *base = cfg_login_url(cfg_dir(r));
    size_t n = strlen(base);
    const char *sep = n > 0 && base[n - 1] == '/' ? "" : "/";
    return apr_pstrcat(r->pool, base, sep, name, version ? "?v=" : "", version ? version : "",
                       NULL);
}

static int ends_with_segment(const char *uri, const char *name)
{
    size_t u = strlen(uri), n = strlen(name);
    return u > n && uri[u - n - 1] == '/' && strcmp(uri + u - n, name) == 0;
}

static int send_asset(request_rec *r, const char *type, const char *data, apr_size_t len)
{
    apr_table_t *h = r->headers_out;
    apr_table_setn(h, "Cache-Control", ASSET_MAX_AGE);
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    /* an SVG opened on its own runs nothing and loads nothing */
    apr_table_setn(h, "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    ap_set_content_type(r, type);
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(data, (int)len, r);
    }
    return OK;
}

int web_asset_serve(request_rec *r)
{
    if (r->method_number != M_GET) {
        return DECLINED;
    }
    if (ends_with_segment(r->uri, WEB_ASSET_FAVICON)) {
        const char *svg = sa_embedded("favicon.svg");
        return svg ? send_asset(r, "image/svg+xml", svg, strlen(svg)) : HTTP_NOT_FOUND;
    }
    if (ends_with_segment(r->uri, WEB_ASSET_LOGO)) {
        const cfg_logo *logo = cfg_dir(r)->logo;
        return logo ? send_asset(r, logo->type, logo->data, logo->len) : HTTP_NOT_FOUND;
    }
    return DECLINED;
}
