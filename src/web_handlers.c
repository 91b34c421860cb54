/* Dispatches SetHandler seances-* to the page that implements it. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "web_crypto.h"
#include "web_db.h"
#include "web_handlers.h"
#include "web_hooks.h"
#include "web_request.h"

APLOG_USE_MODULE(seances_auth);

typedef struct {
    const char *name;
    int (*handle)(request_rec *r);
} sa_handler_entry;

static const sa_handler_entry handlers[] = {{"seances-login", sa_handle_login},
                                            {"seances-logout", sa_handle_logout},
                                            {"seances-status", sa_handle_status},
                                            {NULL, NULL}};

int sa_dispatch_handler(request_rec *r)
{
    if (!r->handler || strncmp(r->handler, "seances-", 8) != 0) {
        return DECLINED;
    }
    for (const sa_handler_entry *h = handlers; h->name; h++) {
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

const sa_session_info *sa_current_session(request_rec *r, int *db_failed)
{
    const sa_dir_config *d = sa_dir_cfg(r);
    const sa_session_info *known = sa_request_session(r);
    sa_cookie_claims claims;
    *db_failed = 0;
    if (known) {
        return known;
    }
    const char *cookie = sa_cookie_get(r, sa_cfg_cookie_name(d));
    sa_claims_cache *claims_cache = NULL;
    sa_crypto *crypto = cookie ? sa_crypto_for(r, d->crypto, &claims_cache) : NULL;
    if (!crypto || sa_session_open_cookie(crypto, claims_cache, r->pool, cookie, r->request_time,
                                          &claims) != SA_SESSION_VALID) {
        return NULL;
    }
    sa_db *db = sa_web_db(r);
    sa_session_info *info = apr_pcalloc(r->pool, sizeof(*info));
    sa_session_policy policy;
    sa_session_policy_of(d, &policy);
    sa_session_status st =
        db ? sa_session_lookup(db, r->pool, &policy, &claims, r->request_time, info)
           : SA_SESSION_DB_ERROR;
    if (st == SA_SESSION_DB_ERROR && db && sa_web_db_repair(r, db)) {
        st = sa_session_lookup(db, r->pool, &policy, &claims, r->request_time, info);
    }
    if (st == SA_SESSION_DB_ERROR) {
        sa_web_db_log_failure(r, db, "reading the session");
        *db_failed = 1;
        return NULL;
    }
    return st == SA_SESSION_VALID ? info : NULL;
}
