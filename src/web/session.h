/* The session of a request: cookie -> decryption (through the per-process claims cache) ->
 * the session registry in the database, retried once on a repaired connection. This is the
 * only place that does it; AuthType Seances and every page use it. */
#ifndef WEB_SESSION_H
#define WEB_SESSION_H

#include "httpd.h"
#include "core/session.h"
#include "store/db.h"

typedef enum {
    WEB_SESSION_LIVE = 0, /* *info is the live session */
    WEB_SESSION_ABSENT,   /* no cookie, or one that does not decrypt: not ours */
    WEB_SESSION_ENDED,    /* our cookie, but the session is over, revoked or unknown */
    WEB_SESSION_DB_DOWN   /* the database could not answer (logged): fail closed, 503 */
} web_session_state;

/* Resolves the request's session. A session found earlier in this request (or in the request
 * that led to this internal redirect) is returned without asking again, and so is one that
 * the session cache may vouch for (web/sessioncache.h). *db gets the connection used, or
 * NULL when the database was not asked; db may be NULL when the caller does not need it. */
web_session_state web_session_resolve(request_rec *r, sa_db **db, const sa_session_info **info);

/* What web_session_resolve or the login noted for this request, or NULL. */
const sa_session_info *web_session_noted(request_rec *r);
void web_session_note(request_rec *r, const sa_session_info *info);

/* Starts a session at `level` for the user after a login: this browser's previous session
 * ends (every login gets a new id) and the cookie is set (with Max-Age when remembered).
 * OK (and *started, may be NULL), or HTTP_SERVICE_UNAVAILABLE (logged: answer 503) or
 * HTTP_INTERNAL_SERVER_ERROR (no passphrase here, logged). */
int web_session_begin(request_rec *r, sa_db *db, const sa_user *user, int remember, int level,
                      const sa_session_info **started);

/* Replaces the live session `old` by one at `level` (a new id; same limits) and sets its
 * cookie. The same return values. */
int web_session_elevate(request_rec *r, sa_db *db, const sa_session_info *old, const sa_user *user,
                        int level);

/* A fixup: SEANCES_LOGOUT_CSRF in the environment of an authenticated request, so that an
 * application's user menu (SSI, CGI) can post to the logout page in one click. */
int web_set_logout_token(request_rec *r);

/* The per-process memory of logout tokens (child_init). */
void web_session_child_init(apr_pool_t *pchild);

#endif
