/* The request-time entry points that mod_seances_auth.c registers. */
#ifndef WEB_HOOKS_H
#define WEB_HOOKS_H

#include "httpd.h"
#include "http_config.h"

/* web_authn.c */
int sa_scrub_identity_headers(request_rec *r);
int sa_check_authn(request_rec *r);
int sa_set_identity(request_rec *r);
int sa_note_auth_failure(request_rec *r, const char *auth_type);

/* web_handlers.c: dispatches SetHandler seances-* to handle_*.c */
int sa_dispatch_handler(request_rec *r);

/* web_startup.c */
int sa_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int sa_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
int sa_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
void sa_child_init(apr_pool_t *pchild, server_rec *s);

#endif
