/* Long dates in four languages. Month names are written out (no "11/12/2026", which readers
 * of different countries read differently); times are on the 24-hour clock everywhere. */
#include <apr_strings.h>

#include "core/datefmt.h"

static const char *const months[SA_LANG_COUNT][12] = {
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
     "November", "Dezember"},
    {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
     "ottobre", "novembre", "dicembre"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"}};

const char *sa_date_format(apr_pool_t *p, const sa_tz *tz, apr_int64_t t, sa_lang lang)
{
    apr_time_exp_t e;
    unsigned l = (unsigned)lang < SA_LANG_COUNT ? (unsigned)lang : (unsigned)SA_LANG_FR;
    sa_tz_explode(tz, t, &e);
    const char *month = months[l][e.tm_mon >= 0 && e.tm_mon < 12 ? e.tm_mon : 0];
    int year = e.tm_year + 1900;
    switch (l) {
    case SA_LANG_DE:
        return apr_psprintf(p, "%d. %s %d, %02d:%02d", e.tm_mday, month, year, e.tm_hour, e.tm_min);
    case SA_LANG_FR:
        /* French writes the first day of a month as an ordinal: "1er décembre" */
        return apr_psprintf(p, "%d%s %s %d à %02d:%02d", e.tm_mday, e.tm_mday == 1 ? "er" : "",
                            month, year, e.tm_hour, e.tm_min);
    default:
        return apr_psprintf(p, "%d %s %d, %02d:%02d", e.tm_mday, month, year, e.tm_hour, e.tm_min);
    }
}

const char *sa_date_iso(apr_pool_t *p, const sa_tz *tz, apr_int64_t t)
{
    apr_time_exp_t e;
    sa_tz_explode(tz, t, &e);
    long off = e.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    off = off < 0 ? -off : off;
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", e.tm_year + 1900,
                        e.tm_mon + 1, e.tm_mday, e.tm_hour, e.tm_min, e.tm_sec, sign, off / 3600,
                        off % 3600 / 60);
}
