/* Dispatches SetHandler seances-* to the page that implements it. */
#include "httpd.h"
#include <string.h>

#include "http_protocol.h"
#include "http_request.h"

#include "handle/handle.h"

typedef struct {
    const char *name;
    int (*handle)(request_rec *r);
} handler_entry;

static const handler_entry handlers[] = {{"seances-login", handle_login},
                                         {"seances-logout", handle_logout},
                                         {"seances-status", handle_status},
                                         {"seances-whoami", handle_whoami},
                                         {"seances-2fa-setup", handle_totp_setup},
                                         {"seances-portal", handle_portal},
                                         {"seances-forgot", handle_forgot},
                                         {"seances-reset", handle_reset},
                                         {NULL, NULL}};

int handle_dispatch(request_rec *r)
{
    if (!r->handler || strncmp(r->handler, "seances-", 8) != 0) {
        return DECLINED;
    }
    for (const handler_entry *h = handlers; h->name; h++) {
        if (strcmp(r->handler, h->name) != 0) {
            continue;
        }
        r->allowed = (AP_METHOD_BIT << M_GET) | (AP_METHOD_BIT << M_POST);
        if (r->method_number != M_GET && r->method_number != M_POST) {
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return h->handle(r);
    }
    return DECLINED;
}
