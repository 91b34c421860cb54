/* Stand-ins for the httpd functions that the request glue (web/request.c, web/identity.c)
 * calls, so that the glue is unit-tested without a server, in the spirit of
 * mod_auth_openidc's test/stub.c. The functions with logic (ap_get_token,
 * ap_unescape_urlencoded) follow httpd 2.4's server/util.c rule for rule. */
#ifndef UNIT_STUB_H
#define UNIT_STUB_H

#include "httpd.h"
#include "core/session.h"
#include "cfg/config.h"

/* A request as the glue sees it: pools, header tables, the module's configuration (all
 * defaults), a method, and a request body of "body" (may be NULL). */
request_rec *stub_request(apr_pool_t *p, const char *method, const char *body);

/* The module's configuration of a stub request, to change a setting. */
cfg_dir_config *stub_dir_config(request_rec *r);

/* The session web_session_noted() returns for every request (NULL: none). */
void stub_set_session(const sa_session_info *info);

/* How many lines the glue logged, and the last one. */
int stub_log_count(void);
const char *stub_last_log(void);

#endif
