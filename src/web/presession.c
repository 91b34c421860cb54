/* The pre-session nonce cookie (web/presession.h). */
#include "httpd.h"
#include <string.h>

#include "apr_strings.h"

#include "core/csrf.h"
#include "web/crypto.h"
#include "web/presession.h"
#include "web/request.h"

const char *web_presession_cookie(request_rec *r, const cfg_dir_config *d)
{
    return apr_pstrcat(r->pool, cfg_cookie_name(d), "_csrf", NULL);
}

/* Lax, not Strict: a login page reached from a link in another site (or a reset link in a
 * mail) must not replace the nonce of a form that is already open in another tab. */
const char *web_presession_cookie_attrs(const cfg_dir_config *d)
{
    return ap_strcasestr(cfg_cookie_attrs(d), "secure") ? "Path=/; HttpOnly; SameSite=Lax; Secure"
                                                        : "Path=/; HttpOnly; SameSite=Lax";
}

/* Only the server's own nonces count (signed with the CSRF key): one that a client or another
 * site chose, or a malformed one, is not the browser's pre-session (issue 13 #4, SEC-19). */
const char *web_presession_sent(request_rec *r, const cfg_dir_config *d)
{
    const char *nonce = web_cookie_get(r, web_presession_cookie(r, d));
    if (!d->crypto ||
        !sa_csrf_nonce_valid(r->pool, d->crypto->csrf_key, sizeof(d->crypto->csrf_key), nonce)) {
        return NULL;
    }
    return nonce;
}

const char *web_presession_nonce(request_rec *r, const cfg_dir_config *d)
{
    const char *nonce = web_presession_sent(r, d);
    if (nonce || !d->crypto) {
        return nonce;
    }
    nonce = sa_csrf_nonce_new(r->pool, d->crypto->csrf_key, sizeof(d->crypto->csrf_key));
    if (nonce) {
        web_cookie_set(r, web_presession_cookie(r, d), nonce, -1, web_presession_cookie_attrs(d));
    }
    return nonce;
}

int web_presession_csrf_valid(request_rec *r, const cfg_dir_config *d, const char *purpose,
                              const char *posted)
{
    return d->crypto &&
           web_csrf_valid(r->pool, d->crypto, purpose, web_presession_sent(r, d), posted);
}
