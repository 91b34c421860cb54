/* Per-process registry of cookie crypto objects, keyed by cipher and passphrases. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "apr_hash.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/token.h"
#include "web/crypto.h"

APLOG_USE_MODULE(seances_auth);

static apr_hash_t *registry;
static apr_pool_t *registry_pool;
static apr_thread_mutex_t *registry_lock;

apr_status_t web_crypto_registry_init(apr_pool_t *pconf)
{
    registry_pool = pconf;
    registry = apr_hash_make(pconf);
    return apr_thread_mutex_create(&registry_lock, APR_THREAD_MUTEX_DEFAULT, pconf);
}

#define CLAIMS_CACHE_ENTRIES 1024

typedef struct {
    sa_crypto *crypto;
    sa_claims_cache *claims;
} registry_entry;

static apr_status_t make_entry(const cfg_crypto_spec *spec, registry_entry **out)
{
    registry_entry *e = apr_pcalloc(registry_pool, sizeof(*e));
    apr_status_t rv = sa_crypto_create(registry_pool, spec->cipher, spec->passphrases, &e->crypto);
    if (rv == APR_SUCCESS) {
        rv = sa_claims_cache_create(registry_pool, CLAIMS_CACHE_ENTRIES, &e->claims);
    }
    *out = e;
    return rv;
}

static registry_entry *registry_get_or_make(const cfg_crypto_spec *spec, apr_status_t *rv)
{
    registry_entry *e;
    *rv = APR_SUCCESS;
    apr_thread_mutex_lock(registry_lock);
    e = apr_hash_get(registry, spec->registry_key, APR_HASH_KEY_STRING);
    if (!e) {
        *rv = make_entry(spec, &e);
        if (*rv == APR_SUCCESS) {
            apr_hash_set(registry, apr_pstrdup(registry_pool, spec->registry_key),
                         APR_HASH_KEY_STRING, e);
        } else {
            e = NULL;
        }
    }
    apr_thread_mutex_unlock(registry_lock);
    return e;
}

sa_crypto *web_crypto_for(request_rec *r, const cfg_crypto_spec *spec, sa_claims_cache **claims)
{
    apr_status_t rv;
    if (!spec || spec->passphrases->nelts == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0406) "no " CFG_CRYPTO_PASSPHRASE
                                  " applies to %s: sessions cannot work here",
                      r->uri);
        return NULL;
    }
    registry_entry *e = registry_get_or_make(spec, &rv);
    if (!e) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, SALOG(0407) "cannot set up the cookie crypto");
        return NULL;
    }
    if (claims) {
        *claims = e->claims;
    }
    return e->crypto;
}

apr_status_t web_crypto_prewarm(apr_pool_t *pconf, server_rec *s, const cfg_crypto_spec *spec)
{
    apr_status_t rv;
    (void)pconf;
    if (!spec || spec->passphrases->nelts == 0) {
        return APR_SUCCESS;
    }
    if (!registry_get_or_make(spec, &rv)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, SALOG(0408) "cannot set up the cookie crypto");
    }
    return rv;
}

const char *web_csrf_token(apr_pool_t *p, const cfg_crypto_spec *spec, const char *purpose,
                           const char *subject)
{
    return sa_hmac_b64url(p, spec->csrf_key, sizeof(spec->csrf_key),
                          apr_pstrcat(p, purpose, "|", subject, NULL));
}

int web_csrf_valid(apr_pool_t *p, const cfg_crypto_spec *spec, const char *purpose,
                   const char *subject, const char *posted)
{
    if (!posted || !subject || !*subject) {
        return 0;
    }
    return sa_ct_streq(web_csrf_token(p, spec, purpose, subject), posted);
}
