/* User-Agent summaries against real agents of current browsers (copied from the browsers
 * themselves and from their vendors' documentation of the format). */
#include "unit.h"
#include "core/useragent.h"

typedef struct {
    const char *ua;
    const char *fr;
} ua_case;

static const ua_case cases[] = {
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
     "Firefox sur Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Safari/537.36",
     "Chrome sur Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
     "Edge sur Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
     "Opera sur Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
     "Internet Explorer sur Windows"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
     "Safari sur iPhone"},
    {"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1",
     "Safari sur iPad"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Safari/605.1.15",
     "Safari sur macOS"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
     "Firefox sur macOS"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
     "Chrome sur iPhone"},
    {"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
     "Firefox sur iPad"},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Mobile Safari/537.36",
     "Chrome sur Android"},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.0.0",
     "Edge sur Android"},
    {"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
     "Samsung Internet sur Android"},
    {"Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0", "Firefox sur Android"},
    {"Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36",
     "Chrome sur Android"},
    {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
     "Firefox sur Linux"},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "HeadlessChrome/156.0.0.0 Safari/537.36",
     "Chrome sur Linux"},
    {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Safari/537.36",
     "Chrome sur ChromeOS"},
    {"curl/7.88.1", "curl"},
    {"libwww-perl/6.68", "Navigateur inconnu"},
    {"Mozilla/5.0 (X11; Linux x86_64) SomethingNew/1.0", "Navigateur inconnu sur Linux"},
    {"<script>alert(1)</script>", "Navigateur inconnu"},
    {"", "Navigateur inconnu"},
    {NULL, NULL}};

static void useragent_real_agents_fr(apr_pool_t *p)
{
    for (const ua_case *c = cases; c->ua; c++) {
        CHECK_STR(sa_useragent_summary(p, c->ua, SA_LANG_FR), c->fr);
    }
    CHECK_STR(sa_useragent_summary(p, NULL, SA_LANG_FR), "Navigateur inconnu");
}

static void useragent_four_languages(apr_pool_t *p)
{
    const char *firefox = cases[0].ua, *iphone = cases[5].ua;
    CHECK_STR(sa_useragent_summary(p, firefox, SA_LANG_DE), "Firefox auf Windows");
    CHECK_STR(sa_useragent_summary(p, firefox, SA_LANG_IT), "Firefox su Windows");
    CHECK_STR(sa_useragent_summary(p, firefox, SA_LANG_EN), "Firefox on Windows");
    CHECK_STR(sa_useragent_summary(p, iphone, SA_LANG_DE), "Safari auf iPhone");
    CHECK_STR(sa_useragent_summary(p, iphone, SA_LANG_IT), "Safari su iPhone");
    CHECK_STR(sa_useragent_summary(p, iphone, SA_LANG_EN), "Safari on iPhone");
    CHECK_STR(sa_useragent_summary(p, "", SA_LANG_DE), "Unbekannter Browser");
    CHECK_STR(sa_useragent_summary(p, "", SA_LANG_IT), "Browser sconosciuto");
    CHECK_STR(sa_useragent_summary(p, "", SA_LANG_EN), "Unknown browser");
    /* an out-of-range language falls back to French rather than reading past the tables */
    CHECK_STR(sa_useragent_summary(p, firefox, (sa_lang)42), "Firefox sur Windows");
}

static void useragent_parse_parts(apr_pool_t *p)
{
    const char *b, *s;
    (void)p;
    sa_useragent_parse(cases[5].ua, &b, &s);
    CHECK_STR(b, "Safari");
    CHECK_STR(s, "iPhone");
    /* WebKit without Version/ is not Safari (an app's embedded view) */
    sa_useragent_parse("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                       "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari/604.1",
                       &b, &s);
    CHECK(b == NULL);
    CHECK_STR(s, "iPhone");
    sa_useragent_parse(NULL, &b, &s);
    CHECK(b == NULL && s == NULL);
}

UNIT_SUITE(useragent_tests) = {{"useragent_real_agents_fr", useragent_real_agents_fr},
                               {"useragent_four_languages", useragent_four_languages},
                               {"useragent_parse_parts", useragent_parse_parts},
                               {NULL, NULL}};
