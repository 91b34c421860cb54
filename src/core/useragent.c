/* User-Agent summaries. Browsers copy each other's tokens (every Chromium browser says
 * "Chrome/" and "Safari/", Chrome on iOS says "Safari/" too), so the tables are ordered from
 * the most specific token to the most generic one, and the first match wins. */
#include <string.h>

#include <apr_strings.h>

#include "core/useragent.h"

typedef struct {
    const char *token;
    const char *name;
} ua_rule;

static const ua_rule browsers[] = {{"Edg/", "Edge"},
                                   {"EdgA/", "Edge"},
                                   {"EdgiOS/", "Edge"},
                                   {"Edge/", "Edge"},
                                   {"OPR/", "Opera"},
                                   {"OPiOS/", "Opera"},
                                   {"Opera", "Opera"},
                                   {"SamsungBrowser/", "Samsung Internet"},
                                   {"Vivaldi/", "Vivaldi"},
                                   {"Firefox/", "Firefox"},
                                   {"FxiOS/", "Firefox"},
                                   {"CriOS/", "Chrome"},
                                   {"Chromium/", "Chromium"},
                                   {"Chrome/", "Chrome"},
                                   {"MSIE ", "Internet Explorer"},
                                   {"Trident/", "Internet Explorer"},
                                   {"Safari/", "Safari"},
                                   {"curl/", "curl"},
                                   {"Wget/", "Wget"},
                                   {NULL, NULL}};

/* Android before Linux (its agents say both), iPhone and iPad before "Mac OS X" (theirs say
 * "like Mac OS X"), ChromeOS before Linux (X11). */
static const ua_rule systems[] = {
    {"iPhone", "iPhone"}, {"iPad", "iPad"},       {"iPod", "iPod"},       {"Android", "Android"},
    {"CrOS", "ChromeOS"}, {"Windows", "Windows"}, {"Macintosh", "macOS"}, {"Mac OS X", "macOS"},
    {"Linux", "Linux"},   {"X11", "Linux"},       {"FreeBSD", "FreeBSD"}, {"OpenBSD", "OpenBSD"},
    {NULL, NULL}};

static const char *first_match(const ua_rule *rules, const char *ua)
{
    for (const ua_rule *r = rules; r->token; r++) {
        if (strstr(ua, r->token)) {
            return r->name;
        }
    }
    return NULL;
}

/* Safari's agent is the generic WebKit one: without "Version/" (which only Apple's Safari
 * sends) a "Safari/" token belongs to an embedded view or an unknown WebKit browser. */
static int is_safari(const char *ua)
{
    return strstr(ua, "Version/") != NULL && strstr(ua, "Safari/") != NULL;
}

void sa_useragent_parse(const char *ua, const char **browser, const char **system)
{
    *browser = NULL;
    *system = NULL;
    if (!ua || !*ua) {
        return;
    }
    *browser = first_match(browsers, ua);
    if (*browser && strcmp(*browser, "Safari") == 0 && !is_safari(ua)) {
        *browser = NULL;
    }
    *system = first_match(systems, ua);
}

/* The words around the product names, per language (sa_lang order). */
static const char *const joiner[SA_LANG_COUNT] = {" sur ", " auf ", " su ", " on "};
static const char *const unknown_browser[SA_LANG_COUNT] = {
    "Navigateur inconnu", "Unbekannter Browser", "Browser sconosciuto", "Unknown browser"};

const char *sa_useragent_summary(apr_pool_t *p, const char *ua, sa_lang lang)
{
    const char *browser, *system;
    unsigned l = (unsigned)lang < SA_LANG_COUNT ? (unsigned)lang : (unsigned)SA_LANG_FR;
    sa_useragent_parse(ua, &browser, &system);
    if (!browser) {
        browser = unknown_browser[l];
    }
    return system ? apr_pstrcat(p, browser, joiner[l], system, NULL) : browser;
}
