/* Time zones: offsets read from the system's tz database (tzdata) and from POSIX rules,
 * checked against values computed independently with Python's zoneinfo on the same tzdata
 * (2025b), hostile TZif images, and the dates shown in the four languages. */
#include <apr_file_io.h>
#include <apr_strings.h>

#include "unit.h"
#include "core/tz.h"
#include "core/datefmt.h"

typedef struct {
    const char *zone;
    apr_int64_t t;
    long offset;
} tz_case;

static const tz_case cases[] = {
    /* Zurich, 2026: summer time starts 29 March 01:00 UTC and ends 25 October 01:00 UTC */
    {"Europe/Zurich", 1774745999, 3600},
    {"Europe/Zurich", 1774746000, 7200},
    {"Europe/Zurich", 1792889999, 7200},
    {"Europe/Zurich", 1792890000, 3600},
    /* before the first transition: local mean time of Zurich, +0:34:08 */
    {"Europe/Zurich", -3786782400LL, 2048},
    {"Europe/Zurich", 646833600, 7200},
    /* far past the transitions of the file: the footer rule decides */
    {"Europe/Zurich", 4109878799LL, 3600},
    {"Europe/Zurich", 4109878800LL, 7200},
    {"Europe/Zurich", 4118126400LL, 7200},
    {"Europe/Zurich", 4131345600LL, 3600},
    /* southern hemisphere: summer time across the new year */
    {"Australia/Sydney", 4103697600LL, 39600},
    {"Australia/Sydney", 4119336000LL, 36000},
    {"America/New_York", 4118385600LL, -14400},
    {"America/New_York", 4102747200LL, -18000},
    {"Asia/Kolkata", 4102488000LL, 19800},
    {"Etc/GMT+1", 1893499200, -3600},
    {"UTC", 1893499200, 0},
    /* Dublin's "negative summer time": GMT in winter is the rule's DST */
    {"Europe/Dublin", 4118126400LL, 3600},
    {"Europe/Dublin", 4102488000LL, 0},
    {NULL, 0, 0}};

static void tz_offsets_from_tzdata(apr_pool_t *p)
{
    for (const tz_case *c = cases; c->zone; c++) {
        sa_tz *tz = NULL;
        const char *why = sa_tz_load(p, SA_TZ_DIR, c->zone, &tz);
        CHECK(why == NULL);
        if (!tz) {
            fprintf(stderr, "    %s: %s\n", c->zone, why);
            continue;
        }
        long off = sa_tz_offset(tz, c->t, NULL);
        if (off != c->offset) {
            fprintf(stderr, "    %s at %lld: offset %ld, want %ld\n", c->zone, (long long)c->t, off,
                    c->offset);
        }
        CHECK(off == c->offset);
    }
}

static void tz_posix_rules(apr_pool_t *p)
{
    sa_tz *tz = NULL;
    int dst = -1;
    CHECK(sa_tz_from_rule(p, "zurich", SA_TZ_DEFAULT_RULE, &tz) == NULL);
    if (tz) {
        CHECK(sa_tz_offset(tz, 1774745999, &dst) == 3600 && dst == 0);
        CHECK(sa_tz_offset(tz, 1774746000, &dst) == 7200 && dst == 1);
        CHECK(sa_tz_offset(tz, 1792890000, &dst) == 3600 && dst == 0);
        CHECK_STR(sa_tz_name(tz), "zurich");
    }
    CHECK(sa_tz_from_rule(p, "x", "AEST-10AEDT,M10.1.0,M4.1.0/3", &tz) == NULL);
    CHECK(tz && sa_tz_offset(tz, 4103697600LL, NULL) == 39600);
    CHECK(sa_tz_from_rule(p, "x", "<+0330>-3:30", &tz) == NULL);
    CHECK(tz && sa_tz_offset(tz, 0, NULL) == 12600);
    CHECK(sa_tz_from_rule(p, "x", "EST5EDT", &tz) == NULL); /* POSIX's default US dates */
    CHECK(tz && sa_tz_offset(tz, 4118385600LL, NULL) == -14400);
    CHECK(sa_tz_from_rule(p, "x", "UTC0", &tz) == NULL);
    CHECK(tz && sa_tz_offset(tz, 1893499200, NULL) == 0);
    /* Julian days: J60 is 1 March in leap years too; zero-based 59 is 29 February in 2028 */
    CHECK(sa_tz_from_rule(p, "x", "AAA0BBB,J60/0,J61/0", &tz) == NULL);
    CHECK(tz && sa_tz_offset(tz, 1835481600LL, NULL) == 3600); /* 2028-03-01 00:00 UTC */
    CHECK(sa_tz_from_rule(p, "x", "AAA0BBB,59/0,60/0", &tz) == NULL);
    CHECK(tz && sa_tz_offset(tz, 1835395200LL, NULL) == 3600); /* 2028-02-29 00:00 UTC */
    static const char *const bad[] = {"",
                                      "C1",
                                      "CET",
                                      "CET-1CEST,M3",
                                      "CET-1CEST,M13.5.0,M10.5.0",
                                      "CET-1CEST,M3.6.0,M10.5.0",
                                      "CET-25",
                                      "<AB-1",
                                      "CET-1CEST,J0,J5",
                                      "CET-1CEST,M3.5.0/200,M10.5.0",
                                      NULL};
    for (const char *const *b = bad; *b; b++) {
        sa_tz *none = NULL;
        CHECK(sa_tz_from_rule(p, "x", *b, &none) != NULL);
        CHECK(none == NULL);
    }
}

static void put32(unsigned char *b, apr_int64_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8) {
        b[i] = (unsigned char)(v & 0xff);
    }
}

/* A version 1 file made by hand: one transition at the epoch from UTC to +1h. */
static void tz_version1_file(apr_pool_t *p)
{
    unsigned char f[44 + 4 + 1 + 12 + 8] = {'T', 'Z', 'i', 'f', 0};
    sa_tz *tz = NULL;
    put32(f + 20 + 12, 1); /* timecnt */
    put32(f + 20 + 16, 2); /* typecnt */
    put32(f + 20 + 20, 8); /* charcnt */
    unsigned char *d = f + 44;
    put32(d, 0);
    d[4] = 1;
    put32(d + 5, 0);
    d[9] = 0;
    d[10] = 0;
    put32(d + 11, 3600);
    d[15] = 0;
    d[16] = 4;
    memcpy(d + 17, "UTC\0ONE\0", 8);
    CHECK(sa_tz_parse(p, "v1", f, sizeof(f), &tz) == NULL);
    CHECK(tz && sa_tz_offset(tz, -1, NULL) == 0);
    CHECK(tz && sa_tz_offset(tz, 0, NULL) == 3600);
    /* the same with a type index past the types, and with an abbreviation past the text */
    d[4] = 2;
    CHECK(sa_tz_parse(p, "v1", f, sizeof(f), &tz) != NULL);
    d[4] = 1;
    d[16] = 8;
    CHECK(sa_tz_parse(p, "v1", f, sizeof(f), &tz) != NULL);
}

/* Every truncation of a real file must be refused without reading past its end (ASan). */
static void tz_truncated_files(apr_pool_t *p)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_size_t len = 0;
    const char *path = SA_TZ_DIR "/Europe/Zurich";
    CHECK(apr_file_open(&f, path, APR_READ, 0, p) == APR_SUCCESS);
    CHECK(apr_file_info_get(&fi, APR_FINFO_SIZE, f) == APR_SUCCESS);
    unsigned char *all = apr_palloc(p, (apr_size_t)fi.size);
    CHECK(apr_file_read_full(f, all, (apr_size_t)fi.size, &len) == APR_SUCCESS);
    apr_file_close(f);
    int refused = 0;
    for (apr_size_t n = 0; n < len; n++) {
        unsigned char *copy = apr_pmemdup(p, all, n ? n : 1);
        sa_tz *tz = NULL;
        refused += sa_tz_parse(p, "cut", copy, n, &tz) != NULL;
    }
    CHECK(refused == (int)len);
    sa_tz *tz = NULL;
    CHECK(sa_tz_parse(p, "whole", all, len, &tz) == NULL);
}

static void tz_zone_names(apr_pool_t *p)
{
    sa_tz *tz = NULL;
    static const char *const bad[] = {"../etc/passwd",
                                      "/etc/localtime",
                                      "Europe/../../x",
                                      "Europe//Zurich",
                                      ".hidden",
                                      "Europe/.x",
                                      "zone.tab",
                                      "Nowhere/City",
                                      "",
                                      "Europe/Zurich\n",
                                      NULL};
    for (const char *const *b = bad; *b; b++) {
        CHECK(sa_tz_load(p, SA_TZ_DIR, *b, &tz) != NULL);
    }
    CHECK(tz == NULL);
    CHECK(sa_tz_load(p, SA_TZ_DIR, "Etc/GMT-14", &tz) == NULL);
}

static void datefmt_four_languages(apr_pool_t *p)
{
    sa_tz *tz = NULL;
    CHECK(sa_tz_load(p, SA_TZ_DIR, "Europe/Zurich", &tz) == NULL);
    if (!tz) {
        return;
    }
    apr_int64_t t = 1795628820; /* 2026-11-25 17:47 UTC */
    CHECK_STR(sa_date_format(p, tz, t, SA_LANG_FR), "25 novembre 2026 à 18:47");
    CHECK_STR(sa_date_format(p, tz, t, SA_LANG_DE), "25. November 2026, 18:47");
    CHECK_STR(sa_date_format(p, tz, t, SA_LANG_IT), "25 novembre 2026, 18:47");
    CHECK_STR(sa_date_format(p, tz, t, SA_LANG_EN), "25 November 2026, 18:47");
    CHECK_STR(sa_date_iso(p, tz, t), "2026-11-25T18:47:00+01:00");
    t = 1796112300; /* 2026-12-01 08:05 UTC */
    CHECK_STR(sa_date_format(p, tz, t, SA_LANG_FR), "1er décembre 2026 à 09:05");
    CHECK_STR(sa_date_format(p, tz, t, SA_LANG_DE), "1. Dezember 2026, 09:05");
    /* summer time, and a zone west of Greenwich */
    CHECK_STR(sa_date_iso(p, tz, 1792889999), "2026-10-25T02:59:59+02:00");
    CHECK(sa_tz_load(p, SA_TZ_DIR, "America/New_York", &tz) == NULL);
    CHECK(tz && strcmp(sa_date_iso(p, tz, 1795628820), "2026-11-25T12:47:00-05:00") == 0);
}

UNIT_SUITE(tz_tests) = {{"tz_offsets_from_tzdata", tz_offsets_from_tzdata},
                        {"tz_posix_rules", tz_posix_rules},
                        {"tz_version1_file", tz_version1_file},
                        {"tz_truncated_files", tz_truncated_files},
                        {"tz_zone_names", tz_zone_names},
                        {"datefmt_four_languages", datefmt_four_languages},
                        {NULL, NULL}};
