/* The pre-session of the pages used before a login (login, forgot, reset): a random nonce in
 * its own cookie, which the forms' CSRF tokens are bound to, so that such a form cannot be
 * posted from another site or with another browser's token. */
#ifndef WEB_PRESESSION_H
#define WEB_PRESESSION_H

#include "httpd.h"
#include "cfg/config.h"

/* The cookie's name: the session cookie's name with "_csrf". */
const char *web_presession_cookie(request_rec *r, const cfg_dir_config *d);

/* Its attributes (Secure whenever the session cookie is). */
const char *web_presession_cookie_attrs(const cfg_dir_config *d);

/* The browser's nonce if the server made it, or a new one (set as the cookie); NULL without
 * a crypto configuration or when the CSPRNG fails. */
const char *web_presession_nonce(request_rec *r, const cfg_dir_config *d);

/* The nonce the browser sent, or NULL when it sent none or one the server did not make. */
const char *web_presession_sent(request_rec *r, const cfg_dir_config *d);

/* 1 when the posted token of a form for purpose (forgot, reset) was made for the nonce this
 * browser sent; 0 without a crypto configuration, a nonce of ours or a fitting token. */
int web_presession_csrf_valid(request_rec *r, const cfg_dir_config *d, const char *purpose,
                              const char *posted);

#endif
