/* The pages of the module, one file each, placed by the admin with SetHandler. */
#ifndef WEB_HANDLERS_H
#define WEB_HANDLERS_H

#include "httpd.h"
#include "sa_session.h"

int sa_handle_login(request_rec *r);  /* seances-login: handle_login.c */
int sa_handle_logout(request_rec *r); /* seances-logout: handle_logout.c */
int sa_handle_status(request_rec *r); /* seances-status: handle_status.c */

/* The session of the request's cookie, checked against the database, for pages that are not
 * behind AuthType Seances (login, logout, portal). NULL when there is none; *db_failed is set
 * when the database could not answer. */
const sa_session_info *sa_current_session(request_rec *r, int *db_failed);

#endif
