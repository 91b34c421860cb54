/* What the module serves besides its pages (web/assets.c): the favicon (built in) and the
 * organisation's logo (SeancesOrganisation), below the login page's URL, so that every page
 * and every error page can show them without a file in the document root. */
#ifndef WEB_ASSETS_H
#define WEB_ASSETS_H

#include "httpd.h"

#define WEB_ASSET_FAVICON "seances-favicon.svg"
#define WEB_ASSET_LOGO "seances-logo"

/* The URL of an asset: SeancesLoginURL "/" name, with "?v=version" when given. */
const char *web_asset_url(request_rec *r, const char *name, const char *version);

/* Answers a GET of an asset under any of the module's handlers (cacheable, nosniff);
 * DECLINED when r->uri does not end with an asset's name. */
int web_asset_serve(request_rec *r);

#endif
