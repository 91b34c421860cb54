/* seances-portal, "Mon portail": shared pieces of its three files.
 *   handle/portal.c          the handler: who is asking, GET (the page) or POST (an action)
 *   handle/portal_view.c     the page: data of every section, rendered with the templates
 *   handle/portal_actions.c  the POST actions, each answered by a redirect (Post/Redirect/Get)
 */
#ifndef HANDLE_PORTAL_H
#define HANDLE_PORTAL_H

#include "httpd.h"
#include "core/session.h"
#include "store/db.h"

#define PORTAL_CSRF_PURPOSE "portal"
#define PORTAL_HISTORY_PAGE 10

/* The request as the portal sees it: the signed-in session and the local page to go back to
 * ("Retour à l'application"), kept through every action. */
typedef struct {
    request_rec *r;
    const sa_session_info *session;
    sa_db *db;
    const char *return_to; /* a safe local path, or NULL when the portal was opened without */
} portal_req;

/* The portal's own URL with msg, return and before in its query (NULL values left out),
 * and #anchor (may be NULL). */
const char *portal_url(const portal_req *q, const char *msg, const char *before,
                       const char *anchor);

/* GET: the page. msg: a message key from the query (checked against the known ones). */
int portal_show(const portal_req *q, const char *msg, const char *before);

/* POST: runs the action of the form and redirects back to the page (or, when the user ended
 * this very session, to the logout page). */
int portal_act(const portal_req *q);

/* Where the message of key belongs: "password", "sessions", or NULL for an unknown key.
 * *error: 1 for a refusal, 0 for a confirmation. */
const char *portal_message_section(const char *key, int *error);

#endif
