/* The pre-session nonce cookie (web/presession.h). */
#include "httpd.h"
#include <string.h>

#include "apr_strings.h"

#include "core/token.h"
#include "web/presession.h"
#include "web/request.h"

#define NONCE_BYTES 24
#define NONCE_MAX 64

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

const char *web_presession_sent(request_rec *r, const cfg_dir_config *d)
{
    const char *nonce = web_cookie_get(r, web_presession_cookie(r, d));
    return nonce && *nonce && strlen(nonce) <= NONCE_MAX ? nonce : NULL;
}

const char *web_presession_nonce(request_rec *r, const cfg_dir_config *d)
{
    const char *nonce = web_presession_sent(r, d);
    if (nonce) {
        return nonce;
    }
    nonce = sa_token_new(r->pool, NONCE_BYTES);
    if (nonce) {
        web_cookie_set(r, web_presession_cookie(r, d), nonce, -1, web_presession_cookie_attrs(d));
    }
    return nonce;
}
