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

#endif
