/* The pages of the module, one file each, placed by the admin with SetHandler, and the
 * dispatcher that finds them (handle/dispatch.c). */
#ifndef HANDLE_HANDLE_H
#define HANDLE_HANDLE_H

#include "httpd.h"

/* The handler hook: SetHandler seances-* to the page that implements it. */
int handle_dispatch(request_rec *r);

int handle_login(request_rec *r);      /* seances-login: handle/login.c */
int handle_logout(request_rec *r);     /* seances-logout: handle/logout.c */
int handle_status(request_rec *r);     /* seances-status: handle/status.c */
int handle_totp_setup(request_rec *r); /* seances-2fa-setup: handle/totp_setup.c */
int handle_portal(request_rec *r);     /* seances-portal: handle/portal.c (and portal_*.c) */
int handle_whoami(request_rec *r);     /* seances-whoami: handle/whoami.c */
int handle_forgot(request_rec *r);     /* seances-forgot: handle/forgot.c */
int handle_reset(request_rec *r);      /* seances-reset: handle/reset.c */
int handle_error(request_rec *r);      /* seances-error: handle/error.c (for ErrorDocument) */

/* A map_to_storage hook: TRACE on a location of the module answers the themed 405. */
int handle_refuse_trace(request_rec *r);

#endif
