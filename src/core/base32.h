/* Base32 (RFC 4648 section 6), the alphabet of TOTP secrets in authenticator apps. */
#ifndef SA_BASE32_H
#define SA_BASE32_H

#include <apr_pools.h>

/* Encodes len bytes; with pad, '=' up to a multiple of 8 characters (the otpauth URI omits
 * the padding, RFC 4648 text keeps it). */
const char *sa_base32_encode(apr_pool_t *p, const unsigned char *data, apr_size_t len, int pad);

/* Decodes upper or lower case, with or without the padding; spaces and '-' between groups are
 * ignored (as people copy grouped text). APR_SUCCESS and the bytes (*out from p, *len), or
 * APR_EINVAL for any other character or a length no encoder produces. */
apr_status_t sa_base32_decode(apr_pool_t *p, const char *text, unsigned char **out,
                              apr_size_t *len);

/* The text in groups of four characters separated by spaces, for reading aloud or typing. */
const char *sa_base32_grouped(apr_pool_t *p, const char *text);

#endif
