/* libqrencode gives the modules (bit 0 of each byte: dark), libpng writes a 1-bit grey PNG
 * into a buffer of the pool. libpng reports errors by longjmp: everything the error path
 * needs is allocated before setjmp, and nothing allocated with malloc outlives the call. */
#include <errno.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include <apr_strings.h>

#include "core/qr.h"

#define QR_MAX_TEXT 1024

typedef struct {
    apr_pool_t *pool;
    unsigned char *data;
    apr_size_t len;
    apr_size_t cap;
} png_buffer;

static void buffer_write(png_structp png, png_bytep data, png_size_t n)
{
    png_buffer *b = png_get_io_ptr(png);
    if (b->len + n > b->cap) {
        apr_size_t cap = b->cap * 2;
        while (cap < b->len + n) {
            cap *= 2;
        }
        unsigned char *grown = apr_palloc(b->pool, cap);
        memcpy(grown, b->data, b->len);
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

static void buffer_flush(png_structp png)
{
    (void)png;
}

/* One row of pixels for module row y (y in the image's module grid, quiet zone included):
 * 1-bit grey, 1 = white. */
static void fill_row(const QRcode *qr, int y, png_bytep row, int size_px)
{
    int modules = qr->width + 2 * SA_QR_QUIET;
    memset(row, 0xff, (size_t)(size_px + 7) / 8);
    for (int x = 0; x < modules; x++) {
        int qx = x - SA_QR_QUIET, qy = y - SA_QR_QUIET;
        int dark = qx >= 0 && qy >= 0 && qx < qr->width && qy < qr->width &&
                   (qr->data[qy * qr->width + qx] & 1);
        for (int px = x * SA_QR_SCALE; dark && px < (x + 1) * SA_QR_SCALE; px++) {
            row[px / 8] &= (png_byte) ~(0x80 >> (px % 8));
        }
    }
}

static apr_status_t write_png(const QRcode *qr, png_buffer *out)
{
    int size_px = (qr->width + 2 * SA_QR_QUIET) * SA_QR_SCALE;
    png_bytep row = apr_palloc(out->pool, (apr_size_t)(size_px + 7) / 8);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return APR_EGENERAL;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return APR_EGENERAL;
    }
    png_set_write_fn(png, out, buffer_write, buffer_flush);
    png_set_IHDR(png, info, (png_uint_32)size_px, (png_uint_32)size_px, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < qr->width + 2 * SA_QR_QUIET; y++) {
        fill_row(qr, y, row, size_px);
        for (int i = 0; i < SA_QR_SCALE; i++) {
            png_write_row(png, row);
        }
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return APR_SUCCESS;
}

apr_status_t sa_qr_png(apr_pool_t *p, const char *text, const unsigned char **png, apr_size_t *len)
{
    if (!text || !*text || strlen(text) > QR_MAX_TEXT) {
        return APR_EINVAL;
    }
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        return errno == ERANGE ? APR_EINVAL : APR_EGENERAL;
    }
    png_buffer out = {p, apr_palloc(p, 4096), 0, 4096};
    apr_status_t rv = write_png(qr, &out);
    QRcode_free(qr);
    if (rv == APR_SUCCESS) {
        *png = out.data;
        *len = out.len;
    }
    return rv;
}
