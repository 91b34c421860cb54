/* Input validation shared by the web handlers and the CLI. The return-path check is the one
 * that matters most: it decides where a browser goes after login, so anything a browser could
 * read as another origin ("//evil", "/\evil", "/%2f%2fevil", "javascript:") must give "/". */
#include <string.h>

#include <apr_lib.h>

#include "core/password.h"
#include "core/script.h"
#include "core/validate.h"

#define SA_EMAIL_LOCAL_MAX 64               /* RFC 5321 */
#define SA_DURATION_MAX_SECONDS 315360000LL /* ten years of 365 days */

/* Control characters: C0, DEL, and the C1 range as UTF-8 (U+0080..U+009F = C2 80..C2 9F). */
static int has_control_chars(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; *u; u++) {
        if (*u < 0x20 || *u == 0x7f || (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)) {
            return 1;
        }
    }
    return 0;
}

const char *sa_validate_username(const char *name)
{
    size_t len;

    if (!name || !*name) {
        return "the user name is empty";
    }
    len = strlen(name);
    if (len > SA_USERNAME_MAX) {
        return "the user name is longer than 256 bytes";
    }
    if (sa_utf8_length(name) < 0) {
        return "the user name is not valid UTF-8";
    }
    if (has_control_chars(name)) {
        return "the user name contains control characters";
    }
    if (name[0] == ' ' || name[len - 1] == ' ') {
        return "the user name starts or ends with a space";
    }
    return sa_script_mixed(name);
}

/* Characters that have a meaning in mail headers or address lists: refusing them keeps an
 * address from smuggling a second recipient or a header into the mails we send. */
static int has_mail_specials(const char *s)
{
    return strpbrk(s, " <>()[]\\,;:\"") != NULL;
}

static const char *validate_domain(const char *domain)
{
    size_t len = strlen(domain);

    if (len == 0) {
        return "the e-mail address has no domain";
    }
    if (domain[0] == '.' || domain[len - 1] == '.' || strstr(domain, "..")) {
        return "the e-mail domain is not valid";
    }
    return NULL;
}

const char *sa_validate_email(const char *email)
{
    const char *at;

    if (!email || !*email) {
        return "the e-mail address is empty";
    }
    if (strlen(email) > SA_EMAIL_MAX) {
        return "the e-mail address is longer than 254 bytes";
    }
    if (sa_utf8_length(email) < 0) {
        return "the e-mail address is not valid UTF-8";
    }
    if (has_control_chars(email)) {
        return "the e-mail address contains control characters";
    }
    if (has_mail_specials(email)) {
        return "the e-mail address contains spaces or special characters";
    }
    at = strchr(email, '@');
    if (!at || strchr(at + 1, '@')) {
        return "the e-mail address must contain exactly one '@'";
    }
    if (at == email) {
        return "the e-mail address has no local part";
    }
    if ((size_t)(at - email) > SA_EMAIL_LOCAL_MAX) {
        return "the local part of the e-mail address is longer than 64 bytes";
    }
    return validate_domain(at + 1);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes the character at s (a raw byte or a %XX escape) into *out and returns how many
 * bytes it used; 0 for a malformed escape. */
static int next_char(const char *s, unsigned char *out)
{
    if (s[0] != '%') {
        *out = (unsigned char)s[0];
        return 1;
    }
    int hi = hex_value(s[1]);
    int lo = hi < 0 ? -1 : hex_value(s[2]);
    if (lo < 0) {
        return 0;
    }
    *out = (unsigned char)(hi * 16 + lo);
    return 3;
}

/* Every byte, raw or decoded, must be printable: browsers strip TAB/CR/LF from URLs (so
 * "/\t/evil" becomes "//evil"), CR/LF would split the Location header, NUL truncates. Raw
 * bytes must also be ASCII; UTF-8 paths arrive percent-encoded. Backslashes are refused
 * anywhere, raw or encoded, because browsers read them as slashes. */
static int path_chars_are_safe(const char *target)
{
    const char *s = target;

    while (*s) {
        unsigned char raw = (unsigned char)*s, c;
        int used = next_char(s, &c);
        if (used == 0 || raw < 0x21 || raw >= 0x7f || c < 0x20 || c == 0x7f || c == '\\') {
            return 0;
        }
        s += used;
    }
    return 1;
}

const char *sa_safe_return_path(const char *target)
{
    unsigned char second;

    if (!target || target[0] != '/' || strlen(target) > SA_RETURN_MAX) {
        return "/";
    }
    if (!path_chars_are_safe(target)) {
        return "/";
    }
    /* "//host" and "/%2fhost" (decoded by some servers and proxies before redirecting) are
     * network-path references: the character after the first slash must not be a slash. */
    if (target[1] != '\0' && next_char(target + 1, &second) > 0 && second == '/') {
        return "/";
    }
    return target;
}

static const char *unit_seconds(char suffix, long long *seconds)
{
    switch (suffix) {
    case '\0':
    case 's':
        *seconds = 1;
        return NULL;
    case 'm':
        *seconds = 60;
        return NULL;
    case 'h':
        *seconds = 3600;
        return NULL;
    case 'd':
        *seconds = 86400;
        return NULL;
    default:
        return "unknown unit: use s, m, h or d (seconds, minutes, hours, days)";
    }
}

const char *sa_parse_duration(const char *arg, apr_interval_time_t *out)
{
    const char *c = arg;
    long long value = 0, unit;
    const char *why;

    if (!arg || !*arg) {
        return "the duration is empty";
    }
    if (!apr_isdigit(*c)) {
        return "the duration must be a whole number, optionally followed by s, m, h or d";
    }
    for (; apr_isdigit(*c); c++) {
        value = value * 10 + (*c - '0');
        if (value > SA_DURATION_MAX_SECONDS) {
            return "the duration is longer than ten years";
        }
    }
    if (c[0] != '\0' && c[1] != '\0') {
        return "unknown unit: use s, m, h or d (seconds, minutes, hours, days)";
    }
    why = unit_seconds(*c, &unit);
    if (why) {
        return why;
    }
    if (value > SA_DURATION_MAX_SECONDS / unit) {
        return "the duration is longer than ten years";
    }
    *out = apr_time_from_sec(value * unit);
    return NULL;
}

const char *sa_validate_app_name(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > 64) {
        return "an application name has 1 to 64 characters";
    }
    for (const char *c = name; *c; c++) {
        if (!apr_isalnum(*c) && *c != '-' && *c != '_' && *c != '.') {
            return "an application name may only hold letters, digits, - _ .";
        }
    }
    return NULL;
}
