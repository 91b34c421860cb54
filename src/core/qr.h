/* QR codes as PNG images, made here (libqrencode, libpng) and never by a third-party
 * service: the picture holds a TOTP secret. */
#ifndef SA_QR_H
#define SA_QR_H

#include <apr_pools.h>

#define SA_QR_SCALE 6 /* pixels a module */
#define SA_QR_QUIET 4 /* modules of white border, as ISO/IEC 18004 asks */

/* A black-on-white PNG of text (error correction M), in memory from p. APR_EINVAL when text
 * is too long for a QR code, APR_EGENERAL when a library fails. */
apr_status_t sa_qr_png(apr_pool_t *p, const char *text, const unsigned char **png, apr_size_t *len);

#endif
