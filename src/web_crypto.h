/* The cookie crypto object for a configuration, built once per process and shared by every
 * request with the same cipher and passphrases; CSRF tokens derived from the same secret. */
#ifndef WEB_CRYPTO_H
#define WEB_CRYPTO_H

#include "httpd.h"
#include "sa_claims_cache.h"
#include "web_config.h"

/* Recomputes the registry key and the CSRF key after a passphrase or the cipher changed. */
void sa_crypto_spec_finish(apr_pool_t *p, sa_crypto_spec *spec);

/* Creates the per-process registry; called from post_config. */
apr_status_t sa_crypto_registry_init(apr_pool_t *pconf);

/* The crypto object for this configuration, or NULL (logged) when none can be made; with
 * claims, also the per-process cache of cookies it decrypted. */
sa_crypto *sa_crypto_for(request_rec *r, const sa_crypto_spec *spec, sa_claims_cache **claims);

/* Builds the object for spec now (post_config), so children inherit the derived keys. */
apr_status_t sa_crypto_prewarm(apr_pool_t *pconf, server_rec *s, const sa_crypto_spec *spec);

/* A CSRF token binding "purpose" and "subject" (a pre-session nonce or a session hash). */
const char *sa_csrf_token(apr_pool_t *p, const sa_crypto_spec *spec, const char *purpose,
                          const char *subject);

/* 1 when the posted token matches sa_csrf_token for purpose and subject. */
int sa_csrf_valid(apr_pool_t *p, const sa_crypto_spec *spec, const char *purpose,
                  const char *subject, const char *posted);

#endif
