/* Dates and times as people write them in the page's language, in the configured zone:
 * "25 novembre 2026 à 18:47", "25. November 2026, 18:47", "25 novembre 2026, 18:47",
 * "25 November 2026, 18:47"; and the ISO 8601 form for <time datetime>. */
#ifndef SA_DATEFMT_H
#define SA_DATEFMT_H

#include <apr_pools.h>
#include "core/i18n.h"
#include "core/tz.h"

/* t: seconds since the epoch. */
const char *sa_date_format(apr_pool_t *p, const sa_tz *tz, apr_int64_t t, sa_lang lang);

/* "2026-11-25T18:47:00+01:00" */
const char *sa_date_iso(apr_pool_t *p, const sa_tz *tz, apr_int64_t t);

#endif
