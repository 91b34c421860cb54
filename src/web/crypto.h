/* The cookie crypto object for a configuration, built once per process and shared by every
 * request with the same cipher and passphrases; CSRF tokens derived from the same secret. */
#ifndef WEB_CRYPTO_H
#define WEB_CRYPTO_H

#include "httpd.h"
#include "core/claims_cache.h"
#include "cfg/config.h"

/* Creates the per-process registry; called from post_config. */
apr_status_t web_crypto_registry_init(apr_pool_t *pconf);

/* The crypto object for this configuration, or NULL (logged) when none can be made; with
 * claims, also the per-process cache of cookies it decrypted. */
sa_crypto *web_crypto_for(request_rec *r, const cfg_crypto_spec *spec, sa_claims_cache **claims);

/* Builds the object for spec now (post_config), so children inherit the derived keys. */
apr_status_t web_crypto_prewarm(apr_pool_t *pconf, server_rec *s, const cfg_crypto_spec *spec);

/* A CSRF token binding "purpose" and "subject" (a pre-session nonce or a session hash). */
const char *web_csrf_token(apr_pool_t *p, const cfg_crypto_spec *spec, const char *purpose,
                           const char *subject);

/* 1 when the posted token matches web_csrf_token for purpose and subject. */
int web_csrf_valid(apr_pool_t *p, const cfg_crypto_spec *spec, const char *purpose,
                   const char *subject, const char *posted);

/* The purpose of the logout form's token (its subject: the session's id hash), used by the
 * logout page, the signed-in state of the login page and the app's user menu. */
#define WEB_CSRF_LOGOUT "logout"

#endif
