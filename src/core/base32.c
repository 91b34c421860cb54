/* Base32 of RFC 4648: five bits a character, A-Z then 2-7. */
#include <string.h>
#include <apr_strings.h>

#include "core/base32.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const char *sa_base32_encode(apr_pool_t *p, const unsigned char *data, apr_size_t len, int pad)
{
    apr_size_t chars = (len * 8 + 4) / 5;
    apr_size_t total = pad ? (chars + 7) / 8 * 8 : chars;
    char *out = apr_palloc(p, total + 1), *o = out;
    unsigned int buffer = 0;
    int bits = 0;
    for (apr_size_t i = 0; i < len; i++) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            *o++ = alphabet[(buffer >> bits) & 0x1f];
        }
        buffer &= (1u << bits) - 1; /* keep only the bits not written yet */
    }
    if (bits > 0) {
        *o++ = alphabet[(buffer << (5 - bits)) & 0x1f];
    }
    while ((apr_size_t)(o - out) < total) {
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

/* The value of a base32 character, -1 for anything else. */
static int char_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a';
    }
    if (c >= '2' && c <= '7') {
        return c - '2' + 26;
    }
    return -1;
}

/* Character counts modulo 8 that an encoder can end on (0, 2, 4, 5 or 7). */
static int is_complete_length(apr_size_t chars)
{
    apr_size_t rest = chars % 8;
    return rest == 0 || rest == 2 || rest == 4 || rest == 5 || rest == 7;
}

apr_status_t sa_base32_decode(apr_pool_t *p, const char *text, unsigned char **out, apr_size_t *len)
{
    apr_size_t n = 0, chars = 0;
    unsigned int buffer = 0;
    int bits = 0, padding = 0;
    unsigned char *bytes = apr_palloc(p, strlen(text) * 5 / 8 + 1);
    for (const char *c = text; *c; c++) {
        if (*c == ' ' || *c == '-') {
            continue;
        }
        if (*c == '=') {
            padding = 1;
            continue;
        }
        int v = char_value(*c);
        if (v < 0 || padding) {
            return APR_EINVAL; /* a foreign character, or data after the padding */
        }
        chars++;
        buffer = ((buffer << 5) | (unsigned int)v) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            bytes[n++] = (unsigned char)(buffer >> bits);
        }
    }
    if (!is_complete_length(chars)) {
        return APR_EINVAL;
    }
    *out = bytes;
    *len = n;
    return APR_SUCCESS;
}

const char *sa_base32_grouped(apr_pool_t *p, const char *text)
{
    apr_size_t len = strlen(text);
    char *out = apr_palloc(p, len + len / 4 + 1), *o = out;
    for (apr_size_t i = 0; i < len; i++) {
        if (i > 0 && i % 4 == 0) {
            *o++ = ' ';
        }
        *o++ = text[i];
    }
    *o = '\0';
    return out;
}
