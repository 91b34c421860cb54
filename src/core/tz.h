/* Time zones for the times shown to users (SeancesTimeZone). APR converts only to UTC or to
 * the process's zone, and changing TZ in a threaded Apache is unsafe, so the zone is read
 * here from the system's compiled tz database (TZif files, RFC 8536, under
 * /usr/share/zoneinfo): the transitions it lists, then the POSIX TZ rule of its footer for
 * times after the last one (such as "CET-1CEST,M3.5.0,M10.5.0/3"). Leap-second tables of the
 * "right/" zones are ignored: the times shown are civil times. */
#ifndef SA_TZ_H
#define SA_TZ_H

#include <apr_pools.h>
#include <apr_time.h>

#define SA_TZ_DIR "/usr/share/zoneinfo"
/* The footer rule of Europe/Zurich, the default zone (core/defaults.c), in tzdata 2025b: used
 * when the tz database is missing so that the default zone still works (right for every date
 * since 1981). */
#define SA_TZ_DEFAULT_RULE "CET-1CEST,M3.5.0,M10.5.0/3"

typedef struct sa_tz sa_tz;

/* Reads zone "name" (e.g. "Europe/Zurich") from the TZif file dir/name. NULL on success, else
 * a one-line English reason (bad name, unreadable file, not a TZif file, bad footer). */
const char *sa_tz_load(apr_pool_t *p, const char *dir, const char *name, sa_tz **out);

/* Parses a TZif image already in memory. NULL on success, else a reason. */
const char *sa_tz_parse(apr_pool_t *p, const char *name, const unsigned char *data, apr_size_t len,
                        sa_tz **out);

/* A zone made of a POSIX TZ rule alone ("UTC0", "CET-1CEST,M3.5.0,M10.5.0/3"). NULL on
 * success, else a reason. */
const char *sa_tz_from_rule(apr_pool_t *p, const char *name, const char *rule, sa_tz **out);

/* The zone's name as given when it was made. */
const char *sa_tz_name(const sa_tz *tz);

/* The offset from UTC in seconds (east positive) at UTC time t (seconds since the epoch);
 * *isdst (may be NULL) tells whether it is summer time. */
long sa_tz_offset(const sa_tz *tz, apr_int64_t t, int *isdst);

/* t (seconds since the epoch) broken down as local time in the zone. */
void sa_tz_explode(const sa_tz *tz, apr_int64_t t, apr_time_exp_t *out);

#endif
