/* The browser's side of a pending login (core/login.h): a cookie of its own, read only by
 * the login and the 2FA setup page, and the sealing keys of TOTP secrets. */
#ifndef WEB_PENDING_H
#define WEB_PENDING_H

#include "httpd.h"
#include "core/login.h"
#include "core/seal.h"
#include "store/db.h"
#include "web/session.h"

/* Sets the pending-login cookie (<cookie name>_pending) for max_age seconds: HttpOnly,
 * SameSite=Lax, Path=/, Secure whenever the session cookie is. */
void web_pending_set(request_rec *r, const char *value, apr_int64_t max_age);

/* 1 when the browser sent a pending-login cookie (not yet checked). */
int web_pending_sent(request_rec *r);

/* Asks the browser to drop it (when it was sent). */
void web_pending_clear(request_rec *r);

/* The request's pending login: WEB_SESSION_LIVE and *pending, WEB_SESSION_ABSENT (none, or
 * one that is over), WEB_SESSION_DB_DOWN (logged). */
web_session_state web_pending_resolve(request_rec *r, sa_db *db, sa_login_pending *pending);

/* The keys that seal TOTP secrets, from this location's passphrases; NULL (logged) without. */
const sa_seal_keys *web_seal_keys(request_rec *r);

#endif
