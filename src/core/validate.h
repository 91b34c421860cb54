/* Input validation shared by the web and the CLI: names, e-mail addresses, return targets,
 * durations in directives. */
#ifndef SA_VALIDATE_H
#define SA_VALIDATE_H

#include <apr_pools.h>
#include <apr_time.h>

#define SA_USERNAME_MAX 256
#define SA_EMAIL_MAX 254
#define SA_RETURN_MAX 2048

/* NULL when the user name is acceptable (1..256 bytes of valid UTF-8, no control characters,
 * no leading or trailing space, letters of one script or of an allowed mix: core/script.h),
 * else a one-line English reason. */
const char *sa_validate_username(const char *name);

/* NULL when the address looks like local@domain (no spaces, no control characters,
 * <= 254 bytes), else a one-line English reason. */
const char *sa_validate_email(const char *email);

/* NULL when an application name (SeancesApp, grant) is 1..64 of letters, digits, - _ .;
 * else a one-line English reason. */
const char *sa_validate_app_name(const char *name);

/* Returns target when it is a safe local path ("/..."; not "//", no backslash, no control
 * characters raw or %-encoded, no encoded slash or backslash at the start, <= 2048 bytes),
 * else "/". NULL or "" gives "/". */
const char *sa_safe_return_path(const char *target);

/* Parses "90", "90s", "15m", "12h", "30d" into *out. NULL when valid, else a reason.
 * Negative, empty, overflowing or unknown-suffix values are refused. */
const char *sa_parse_duration(const char *arg, apr_interval_time_t *out);

#endif
