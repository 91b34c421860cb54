/* The applications of SeancesApp a user may use: one answer for the portal's list and for
 * "Require seances-app NAME", so the two can never disagree. */
#ifndef WEB_APPS_H
#define WEB_APPS_H

#include "httpd.h"
#include "mod_auth.h"
#include "store/db.h"

/* The SeancesApp entries (const cfg_app *) granted to the user, in configuration order.
 * APR_SUCCESS, or the database's failure (logged by the caller). */
apr_status_t web_apps_granted(request_rec *r, sa_db *db, apr_int64_t user_id,
                              apr_array_header_t **apps);

/* The authz provider "seances-app" (registered in mod_seances_auth.c). */
extern const authz_provider web_authz_app;

#endif
