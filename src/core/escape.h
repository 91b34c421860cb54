/* Text from the database or from a client, made safe for a terminal or a log line: one
 * function, used by every output of seances-admin (issue 13, finding 7; SEC-77). */
#ifndef SA_ESCAPE_H
#define SA_ESCAPE_H

#include <apr_pools.h>

/* A copy of s where nothing can make a fake column, a fake line or a terminal command:
 * tab, CR and LF become \t \r \n; every other C0 control and DEL \xNN; a backslash \\; the C1
 * controls (U+0080..U+009F) and the bidirectional overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069) \u{NNNN}; a byte that is not part of valid UTF-8 (overlong, surrogate,
 * beyond U+10FFFF, cut short) \xNN. Valid UTF-8 otherwise passes as it is. NULL gives "". */
const char *sa_text_escape(apr_pool_t *p, const char *s);

#endif
