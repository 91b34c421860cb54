/* The request-time entry points that mod_seances_auth.c registers. */
#ifndef WEB_HOOKS_H
#define WEB_HOOKS_H

#include "httpd.h"
#include "http_config.h"
#include "mod_auth.h"

/* web/authn.c */
int web_scrub_identity_headers(request_rec *r);
int web_check_authn(request_rec *r);
int web_set_identity(request_rec *r);
int web_note_auth_failure(request_rec *r, const char *auth_type);

/* web/backend.c: what a back end sees of the request, and the caching of its answer */
int web_backend_fixups(request_rec *r);
void web_backend_register_filters(void);

/* web/housekeeping.c: the log_transaction hook */
int web_housekeeping(request_rec *r);
/* web/authz_level.c: Require seances-level N */
extern const authz_provider web_authz_level_provider;

/* web/startup.c */
int web_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
void web_child_init(apr_pool_t *pchild, server_rec *s);
int web_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
int web_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);

#endif
