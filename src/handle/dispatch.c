/* Dispatches SetHandler seances-* to the page that implements it; answers the methods the
 * pages do not take (405 with the right Allow, TRACE included) and the module's assets. */
#include "httpd.h"
#include <string.h>

#include "http_core.h"
#include "http_protocol.h"
#include "http_request.h"

#include "handle/handle.h"
#include "web/assets.h"
#include "web/page.h"

typedef struct {
    const char *name;
    int (*handle)(request_rec *r);
} handler_entry;

static const handler_entry handlers[] = {
    {"seances-login", handle_login},          {"seances-logout", handle_logout},
    {"seances-status", handle_status},        {"seances-whoami", handle_whoami},
    {"seances-2fa-setup", handle_totp_setup}, {"seances-portal", handle_portal},
    {"seances-error", handle_error},          {"seances-forgot", handle_forgot},
    {"seances-reset", handle_reset},          {NULL, NULL}};

static int is_ours(const char *handler)
{
    return handler && strncmp(handler, "seances-", 8) == 0;
}

int handle_dispatch(request_rec *r)
{
    if (!is_ours(r->handler)) {
        return DECLINED;
    }
    for (const handler_entry *h = handlers; h->name; h++) {
        if (strcmp(r->handler, h->name) != 0) {
            continue;
        }
        /* the error page answers for whatever method failed: ErrorDocument makes it a GET */
        if (r->method_number != M_GET && r->method_number != M_POST) {
            return web_page_status(r, HTTP_METHOD_NOT_ALLOWED);
        }
        web_page_allow(r);
        apr_table_unset(r->headers_out, "Allow");
        int rc = web_asset_serve(r);
        return rc == DECLINED ? h->handle(r) : rc;
    }
    return DECLINED;
}

/* SetHandler as the location walk sees it (an expression in 2.4). */
static const char *location_handler(request_rec *r)
{
    const core_dir_config *conf = ap_get_core_module_config(r->per_dir_config);
    const char *err = NULL;
    if (conf->expr_handler) {
        const char *h = ap_expr_str_exec(r, conf->expr_handler, &err);
        return err ? NULL : h;
    }
    return conf->handler;
}

/* TRACE never reaches a handler: httpd's own map_to_storage hook echoes the request, cookies
 * included. On the module's pages it is refused with the themed 405 (issue 13 #6, SEC-68). */
int handle_refuse_trace(request_rec *r)
{
    if (r->method_number != M_TRACE) {
        return DECLINED;
    }
    ap_conf_vector_t *saved = r->per_dir_config;
    if (ap_location_walk(r) != OK || !is_ours(location_handler(r))) {
        r->per_dir_config = saved;
        return DECLINED;
    }
    web_page_status(r, HTTP_METHOD_NOT_ALLOWED);
    return DONE;
}
