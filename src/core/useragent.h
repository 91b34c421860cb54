/* A User-Agent header in words a person recognises: "Firefox sur Windows", "Safari auf
 * iPhone". Used by the portal's session and login lists; the raw header stays in the
 * database for administrators (seances-admin sessions/history). */
#ifndef SA_USERAGENT_H
#define SA_USERAGENT_H

#include <apr_pools.h>
#include "core/i18n.h"

/* The browser and the system named by a User-Agent, or NULL for what is not recognised.
 * The names are product names ("Firefox", "Edge", "iPhone", "macOS"), the same in every
 * language. ua may be NULL. */
void sa_useragent_parse(const char *ua, const char **browser, const char **system);

/* "Firefox sur Windows" (fr), "Firefox auf Windows" (de), "Firefox su Windows" (it),
 * "Firefox on Windows" (en); only the browser or "unknown browser" when parts are missing. */
const char *sa_useragent_summary(apr_pool_t *p, const char *ua, sa_lang lang);

#endif
