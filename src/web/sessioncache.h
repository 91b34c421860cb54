/* The session cache as the request path uses it (web/sessioncache.c): one cache for the
 * whole server, set up at start-up from SeancesSessionCache; entries trusted for
 * SeancesSessionRecheck of the request's server, never past the session's own limits. */
#ifndef WEB_SESSIONCACHE_H
#define WEB_SESSIONCACHE_H

#include "httpd.h"
#include "core/session.h"

/* pre_config, post_config and child_init parts. */
apr_status_t web_session_cache_register(apr_pool_t *pconf);
apr_status_t web_session_cache_setup(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s);
void web_session_cache_child_init(apr_pool_t *pchild, server_rec *s);

/* The cached session for these claims when it may be trusted now, else NULL. */
const sa_session_info *web_session_cache_find(request_rec *r, const sa_cookie_claims *claims,
                                              const sa_session_policy *policy);

/* Remembers a session that the database just said was live (with its last_seen as now in
 * the database), for SeancesSessionRecheck. */
void web_session_cache_keep(request_rec *r, const sa_session_info *info);

/* Forgets a session at once, for every process: after logout, or any revocation made
 * through this server. */
void web_session_cache_forget(request_rec *r, const char *id_hash);

#endif
