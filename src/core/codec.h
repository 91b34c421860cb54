/* mod_session's "identity" encoding: the session as key=value&key=value, escaped exactly as
 * httpd 2.4 does it, so stock mod_session reads what we write and we read what it writes. */
#ifndef SA_CODEC_H
#define SA_CODEC_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

/* Escapes one key or value: alnum and . - * _ kept, space to '+', the rest %xx lower case. */
const char *sa_codec_escape(apr_pool_t *p, const char *s);

/* Encodes every entry of the table, then "expiry=<microseconds>" when expiry is not 0. */
const char *sa_codec_encode(apr_pool_t *p, const apr_table_t *entries, apr_time_t expiry);

/* Unescapes in place like httpd's ap_unescape_urlencoded ('+' is a space, %XX a byte): 0 on
 * success, -1 for a bad or truncated escape or an escaped NUL (httpd then drops the pair). */
int sa_codec_unescape(char *s);

/* Decodes with httpd 2.4.71's rules: empty pieces skipped, the value runs to the end of the
 * piece, an empty value removes the key, a bad escape or %00 drops the pair, "expiry" goes to
 * *expiry (0 when absent or not a number). Keys are case-insensitive (an apr_table). */
apr_table_t *sa_codec_decode(apr_pool_t *p, const char *encoded, apr_time_t *expiry);

#endif
