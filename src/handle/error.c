/* seances-error: the module's themed page for the errors of the protected application, for
 * ErrorDocument (ErrorDocument 404 /seances-error). It answers with the status that failed,
 * in the page language, and needs no database. */
#include "httpd.h"
#include <stdlib.h>

#include "handle/handle.h"
#include "web/page.h"

/* The status of the request that failed: the one ErrorDocument redirected from. */
static int failed_status(request_rec *r)
{
    if (r->prev && r->prev->status >= 400) {
        return r->prev->status;
    }
    const char *env = apr_table_get(r->subprocess_env, "REDIRECT_STATUS");
    int status = env ? atoi(env) : 0;
    return status >= 400 && status < 600 ? status : HTTP_NOT_FOUND;
}

int handle_error(request_rec *r)
{
    return web_page_status(r, failed_status(r));
}
