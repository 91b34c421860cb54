/* Choosing the page language from Accept-Language (RFC 9110 12.5.4): the member with the
 * highest weight among the four languages wins; a tie goes to the one listed first. */
#include <string.h>

#include <apr_lib.h>

#include "core/i18n.h"

/* ---- Accept-Language (RFC 9110 12.5.4), e.g. "de-CH,de;q=0.9,fr;q=0.8,*;q=0.1" ---- */

/* Parses a qvalue ("0", "0.8", "1", "1.000") into thousandths; -1 when malformed. */
static int parse_qvalue(const char *s, const char *end)
{
    int value, digits = 0;

    if (s >= end || (*s != '0' && *s != '1')) {
        return -1;
    }
    value = (*s++ - '0') * 1000;
    if (s < end && *s == '.') {
        int scale = 100;
        for (s++; s < end && apr_isdigit(*s) && digits < 3; s++, digits++) {
            value += (*s - '0') * scale;
            scale /= 10;
        }
    }
    if (s != end || value > 1000) {
        return -1;
    }
    return value;
}

static const char *skip_ows(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t')) {
        s++;
    }
    return s;
}

static const char *trim_ows_end(const char *start, const char *end)
{
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    return end;
}

/* The weight of one list member's parameters (";q=0.5"): 1000 without q, -1 if malformed. */
static int member_weight(const char *params, const char *end)
{
    int q = 1000;

    while (params < end) {
        const char *next = memchr(params, ';', (size_t)(end - params));
        const char *stop = next ? next : end;
        const char *p = skip_ows(params, stop);
        const char *pend = trim_ows_end(p, stop);
        if (pend - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            q = parse_qvalue(p + 2, pend);
            if (q < 0) {
                return -1;
            }
        }
        params = next ? next + 1 : end;
    }
    return q;
}

/* Which of our languages the range names by its primary subtag ("de-CH" -> de); -1 if none. */
static int range_language(const char *range, const char *end)
{
    const char *dash = memchr(range, '-', (size_t)(end - range));
    size_t primary = (size_t)((dash ? dash : end) - range);

    if (primary != 2) {
        return -1;
    }
    for (int i = 0; i < SA_LANG_COUNT; i++) {
        const char *code = sa_lang_code((sa_lang)i);
        if (apr_tolower(range[0]) == code[0] && apr_tolower(range[1]) == code[1]) {
            return i;
        }
    }
    return -1;
}

/* The best weight seen for each of our languages, and when it was first seen with a positive
 * weight: equal weights go to the language the browser listed first. */
typedef struct {
    int best[SA_LANG_COUNT];
    int order[SA_LANG_COUNT];
    int seen;
} lang_weights;

/* Applies one comma-separated member to the weights seen so far. */
static void weigh_member(const char *s, const char *end, lang_weights *w)
{
    const char *semi = memchr(s, ';', (size_t)(end - s));
    const char *range = skip_ows(s, semi ? semi : end);
    const char *range_end = trim_ows_end(range, semi ? semi : end);
    int lang = range_language(range, range_end);
    int q;

    if (lang < 0) {
        return; /* "*" and other languages cannot change our choice */
    }
    q = semi ? member_weight(semi + 1, end) : 1000;
    if (q > w->best[lang]) {
        w->best[lang] = q;
        if (w->order[lang] == SA_LANG_COUNT) {
            w->order[lang] = w->seen++;
        }
    }
}

sa_lang sa_lang_negotiate(const char *accept_language, sa_lang fallback)
{
    lang_weights w;
    int chosen = -1;
    const char *s = accept_language;

    if (!s) {
        return fallback;
    }
    w.seen = 0;
    for (int i = 0; i < SA_LANG_COUNT; i++) {
        w.best[i] = 0; /* q=0 means "not acceptable": it never beats this */
        w.order[i] = SA_LANG_COUNT;
    }
    while (*s) {
        const char *comma = strchr(s, ',');
        const char *end = comma ? comma : s + strlen(s);
        weigh_member(s, end, &w);
        s = comma ? comma + 1 : end;
    }
    for (int i = 0; i < SA_LANG_COUNT; i++) {
        if (w.best[i] > 0 && (chosen < 0 || w.best[i] > w.best[chosen] ||
                              (w.best[i] == w.best[chosen] && w.order[i] < w.order[chosen]))) {
            chosen = i;
        }
    }
    return chosen < 0 ? fallback : (sa_lang)chosen;
}
