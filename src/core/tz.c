/* TZif files (RFC 8536) and POSIX TZ rules (POSIX.1-2017 8.3, with RFC 8536's extensions:
 * hours of a rule's time from -167 to 167). Every count and index of the file is checked
 * against the bytes that are really there before it is used. */
#include <string.h>

#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/tz.h"

#define TZIF_MAX_BYTES (256L * 1024)
#define TZIF_MAX_TIMES 100000
#define TZIF_MAX_TYPES 256
#define TZ_NAME_MAX 128
#define RULE_DEFAULT_TIME (2L * 3600) /* a rule's change happens at 02:00 unless it says */

typedef enum { DATE_JULIAN_NOLEAP, DATE_ZERO_BASED, DATE_MONTH_WEEK_DAY } rule_date_kind;

typedef struct {
    rule_date_kind kind;
    int n;       /* day of year (J: 1..365, plain: 0..365) */
    int m, w, d; /* Mm.w.d: month 1..12, week 1..5 (5 = last), weekday 0..6 (0 = Sunday) */
    long time;   /* seconds after local midnight, -167h..167h */
} rule_date;

typedef struct {
    int set;
    int has_dst;
    long std_off; /* seconds east of UTC */
    long dst_off;
    rule_date start, end;
} tz_rule;

typedef struct {
    long utoff;
    int isdst;
} tz_type;

struct sa_tz {
    const char *name;
    int ntimes;
    apr_int64_t *times;
    unsigned char *type_of; /* type index of each transition */
    int ntypes;
    tz_type *types;
    tz_rule rule; /* the footer; unset for version 1 files and empty footers */
};

const char *sa_tz_name(const sa_tz *tz)
{
    return tz->name;
}

/* ---- civil calendar (proleptic Gregorian), after H. Hinnant's days_from_civil ---- */

static apr_int64_t days_from_civil(apr_int64_t y, int m, int d)
{
    y -= m <= 2;
    apr_int64_t era = (y >= 0 ? y : y - 399) / 400;
    apr_int64_t yoe = y - era * 400;
    apr_int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    apr_int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static apr_int64_t year_of_days(apr_int64_t z)
{
    z += 719468;
    apr_int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    apr_int64_t doe = z - era * 146097;
    apr_int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    apr_int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    apr_int64_t mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10);
}

static int is_leap(apr_int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(apr_int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static apr_int64_t floor_div(apr_int64_t a, apr_int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The day (days since the epoch) that a rule date names in year y. */
static apr_int64_t rule_day(const rule_date *rd, apr_int64_t y)
{
    apr_int64_t jan1 = days_from_civil(y, 1, 1);
    if (rd->kind == DATE_JULIAN_NOLEAP) {
        /* J60 is 1 March in every year: February 29 is never counted */
        return jan1 + rd->n - 1 + (is_leap(y) && rd->n >= 60);
    }
    if (rd->kind == DATE_ZERO_BASED) {
        return jan1 + rd->n;
    }
    apr_int64_t first = days_from_civil(y, rd->m, 1);
    int first_wday = (int)((first % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
    int day = 1 + (rd->d - first_wday + 7) % 7 + (rd->w - 1) * 7;
    while (day > days_in_month(y, rd->m)) {
        day -= 7; /* week 5 means the last such weekday of the month */
    }
    return first + day - 1;
}

static int rule_is_dst(const tz_rule *r, apr_int64_t t)
{
    apr_int64_t y = year_of_days(floor_div(t + r->std_off, 86400));
    apr_int64_t start = rule_day(&r->start, y) * 86400 + r->start.time - r->std_off;
    apr_int64_t end = rule_day(&r->end, y) * 86400 + r->end.time - r->dst_off;
    if (start < end) {
        return t >= start && t < end; /* northern hemisphere */
    }
    return !(t >= end && t < start); /* southern: summer time spans the new year */
}

/* ---- POSIX TZ rules ---- */

/* A zone abbreviation: three or more letters, or <...> of letters, digits, + and -. */
static const char *skip_abbr(const char *s)
{
    const char *start = s;
    if (*s == '<') {
        for (s++; apr_isalnum(*s) || *s == '+' || *s == '-'; s++) {
        }
        return *s == '>' && s - start >= 4 ? s + 1 : NULL;
    }
    while (apr_isalpha(*s)) {
        s++;
    }
    return s - start >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] with hours up to max_hours; *secs gets the signed value. */
static const char *parse_hms(const char *s, int max_hours, long *secs)
{
    int sign = 1;
    long parts[3] = {0, 0, 0};
    if (*s == '+' || *s == '-') {
        sign = *s++ == '-' ? -1 : 1;
    }
    for (int i = 0; i < 3; i++) {
        if (i > 0 && *s != ':') {
            break;
        }
        s += i > 0;
        if (!apr_isdigit(*s)) {
            return NULL;
        }
        for (int digits = 0; apr_isdigit(*s); s++) {
            if (++digits > 3) {
                return NULL;
            }
            parts[i] = parts[i] * 10 + (*s - '0');
        }
    }
    if (parts[0] > max_hours || parts[1] > 59 || parts[2] > 59) {
        return NULL;
    }
    *secs = sign * (parts[0] * 3600L + parts[1] * 60L + parts[2]);
    return s;
}

static const char *parse_number(const char *s, int lo, int hi, int *out)
{
    int v = 0, digits = 0;
    for (; apr_isdigit(*s); s++) {
        if (++digits > 3) {
            return NULL;
        }
        v = v * 10 + (*s - '0');
    }
    if (digits == 0 || v < lo || v > hi) {
        return NULL;
    }
    *out = v;
    return s;
}

static const char *parse_rule_date(const char *s, rule_date *rd)
{
    if (*s == 'J') {
        rd->kind = DATE_JULIAN_NOLEAP;
        s = parse_number(s + 1, 1, 365, &rd->n);
    } else if (*s == 'M') {
        rd->kind = DATE_MONTH_WEEK_DAY;
        s = parse_number(s + 1, 1, 12, &rd->m);
        s = s && *s == '.' ? parse_number(s + 1, 1, 5, &rd->w) : NULL;
        s = s && *s == '.' ? parse_number(s + 1, 0, 6, &rd->d) : NULL;
    } else {
        rd->kind = DATE_ZERO_BASED;
        s = parse_number(s, 0, 365, &rd->n);
    }
    rd->time = RULE_DEFAULT_TIME;
    if (s && *s == '/') {
        s = parse_hms(s + 1, 167, &rd->time);
    }
    return s;
}

/* The part after the names: ",start[/time],end[/time]", or the US rule of POSIX when a zone
 * has summer time but no rule (TZif footers always give one). */
static const char *parse_dst_dates(const char *s, tz_rule *r)
{
    if (*s != ',') {
        parse_rule_date("M3.2.0", &r->start);
        parse_rule_date("M11.1.0", &r->end);
        return s;
    }
    s = parse_rule_date(s + 1, &r->start);
    s = s && *s == ',' ? parse_rule_date(s + 1, &r->end) : NULL;
    return s;
}

static const char *parse_rule(const char *s, tz_rule *r)
{
    long std;
    memset(r, 0, sizeof(*r));
    s = skip_abbr(s);
    s = s ? parse_hms(s, 24, &std) : NULL;
    if (!s) {
        return "the TZ rule does not start with a zone name and an offset";
    }
    r->std_off = -std; /* POSIX offsets count hours west of Greenwich */
    r->dst_off = r->std_off;
    if (*s) {
        long dst = std - 3600;
        s = skip_abbr(s);
        if (s && *s && *s != ',') {
            s = parse_hms(s, 24, &dst);
        }
        s = s ? parse_dst_dates(s, r) : NULL;
        if (!s || *s) {
            return "the summer-time part of the TZ rule is malformed";
        }
        r->has_dst = 1;
        r->dst_off = -dst;
    }
    r->set = 1;
    return NULL;
}

/* ---- TZif ---- */

typedef struct {
    const unsigned char *p;
    apr_size_t left;
} reader;

static const unsigned char *take(reader *rd, apr_size_t n)
{
    if (n > rd->left) {
        return NULL;
    }
    const unsigned char *at = rd->p;
    rd->p += n;
    rd->left -= n;
    return at;
}

static apr_int64_t be(const unsigned char *b, int n)
{
    apr_uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        v = (v << 8) | b[i];
    }
    if (n == 4) {
        return (apr_int32_t)(apr_uint32_t)v;
    }
    return (apr_int64_t)v;
}

typedef struct {
    int version;
    apr_size_t isut, isstd, leap, times, types, chars;
} tzif_header;

static const char *read_header(reader *rd, tzif_header *h)
{
    const unsigned char *b = take(rd, 44);
    if (!b || memcmp(b, "TZif", 4) != 0) {
        return "not a TZif file (no TZif header)";
    }
    h->version = b[4] ? b[4] - '0' : 1;
    apr_size_t *counts[6] = {&h->isut, &h->isstd, &h->leap, &h->times, &h->types, &h->chars};
    for (int i = 0; i < 6; i++) {
        *counts[i] = (apr_size_t)(apr_uint32_t)be(b + 20 + (apr_size_t)4 * (apr_size_t)i, 4);
    }
    if (h->version < 1 || h->version > 9 || h->times > TZIF_MAX_TIMES || h->types == 0 ||
        h->types > TZIF_MAX_TYPES || h->chars == 0 || h->leap > TZIF_MAX_TIMES ||
        (h->isut != 0 && h->isut != h->types) || (h->isstd != 0 && h->isstd != h->types)) {
        return "the TZif header's counts are inconsistent";
    }
    return NULL;
}

static apr_size_t block_size(const tzif_header *h, int timelen)
{
    return h->times * (apr_size_t)(timelen + 1) + h->types * 6 + h->chars +
           h->leap * (apr_size_t)(timelen + 4) + h->isstd + h->isut;
}

static const char *read_types(reader *rd, const tzif_header *h, sa_tz *tz, apr_pool_t *p)
{
    const unsigned char *b = take(rd, h->types * 6);
    const unsigned char *chars = take(rd, h->chars);
    if (!b || !chars) {
        return "the TZif file is truncated";
    }
    tz->ntypes = (int)h->types;
    tz->types = apr_pcalloc(p, sizeof(tz_type) * h->types);
    for (apr_size_t i = 0; i < h->types; i++) {
        tz->types[i].utoff = (long)be(b + 6 * i, 4);
        tz->types[i].isdst = b[6 * i + 4] != 0;
        if (b[6 * i + 5] >= h->chars || tz->types[i].utoff < -25L * 3600 ||
            tz->types[i].utoff > 26L * 3600) {
            return "a TZif time type is out of range";
        }
    }
    return NULL;
}

static const char *read_block(reader *rd, const tzif_header *h, int timelen, sa_tz *tz,
                              apr_pool_t *p)
{
    const unsigned char *times = take(rd, h->times * (apr_size_t)timelen);
    const unsigned char *idx = take(rd, h->times);
    if (!times || !idx) {
        return "the TZif file is truncated";
    }
    tz->ntimes = (int)h->times;
    tz->times = apr_palloc(p, sizeof(apr_int64_t) * (h->times + 1));
    tz->type_of = apr_palloc(p, h->times + 1);
    for (apr_size_t i = 0; i < h->times; i++) {
        tz->times[i] = be(times + i * (apr_size_t)timelen, timelen);
        tz->type_of[i] = idx[i];
        if (idx[i] >= h->types || (i > 0 && tz->times[i] <= tz->times[i - 1])) {
            return "the TZif transitions are out of order or name a missing type";
        }
    }
    const char *why = read_types(rd, h, tz, p);
    if (!why && !take(rd, h->leap * (apr_size_t)(timelen + 4) + h->isstd + h->isut)) {
        why = "the TZif file is truncated";
    }
    return why;
}

/* The footer of version 2+ files: "\n" TZ-string "\n"; an empty string means no rule. */
static const char *read_footer(apr_pool_t *p, reader *rd, sa_tz *tz)
{
    const unsigned char *nl = take(rd, 1);
    if (!nl || *nl != '\n') {
        return "the TZif footer is missing";
    }
    const unsigned char *end = memchr(rd->p, '\n', rd->left);
    if (!end) {
        return "the TZif footer is not terminated";
    }
    const char *rule = apr_pstrmemdup(p, (const char *)rd->p, (apr_size_t)(end - rd->p));
    return *rule ? parse_rule(rule, &tz->rule) : NULL;
}

const char *sa_tz_parse(apr_pool_t *p, const char *name, const unsigned char *data, apr_size_t len,
                        sa_tz **out)
{
    reader rd = {data, len};
    tzif_header h;
    sa_tz *tz = apr_pcalloc(p, sizeof(*tz));
    const char *why = read_header(&rd, &h);
    tz->name = apr_pstrdup(p, name);
    if (!why && h.version >= 2) {
        /* the version 1 block is for old readers; the 64-bit block after it is complete */
        why = take(&rd, block_size(&h, 4)) ? read_header(&rd, &h) : "the TZif file is truncated";
        why = why ? why : read_block(&rd, &h, 8, tz, p);
        why = why ? why : read_footer(p, &rd, tz);
    } else if (!why) {
        why = read_block(&rd, &h, 4, tz, p);
    }
    if (!why) {
        *out = tz;
    }
    return why;
}

const char *sa_tz_from_rule(apr_pool_t *p, const char *name, const char *rule, sa_tz **out)
{
    sa_tz *tz = apr_pcalloc(p, sizeof(*tz));
    const char *why = parse_rule(rule, &tz->rule);
    tz->name = apr_pstrdup(p, name);
    if (!why) {
        *out = tz;
    }
    return why;
}

/* Zone names are paths below the tz directory: "Europe/Zurich", "Etc/GMT+1", "UTC". */
static int valid_zone_name(const char *name)
{
    if (!*name || strlen(name) > TZ_NAME_MAX || *name == '/') {
        return 0;
    }
    for (const char *s = name; *s; s++) {
        int segment_start = s == name || s[-1] == '/';
        if (!apr_isalnum(*s) && !strchr("/_+-", *s) && !(*s == '.' && !segment_start)) {
            return 0; /* a dot only inside a segment: no "..", no hidden files */
        }
    }
    return strstr(name, "..") == NULL && strstr(name, "//") == NULL;
}

static const char *read_file(apr_pool_t *p, const char *path, unsigned char **data, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    if (apr_stat(&fi, path, APR_FINFO_TYPE | APR_FINFO_SIZE, p) != APR_SUCCESS ||
        fi.filetype != APR_REG) {
        return "no such zone in the tz database (see timedatectl list-timezones)";
    }
    if (fi.size > TZIF_MAX_BYTES || apr_file_open(&f, path, APR_READ, 0, p) != APR_SUCCESS) {
        return "the zone's file cannot be read";
    }
    *data = apr_palloc(p, (apr_size_t)fi.size + 1);
    apr_status_t rv = apr_file_read_full(f, *data, (apr_size_t)fi.size, len);
    apr_file_close(f);
    return rv == APR_SUCCESS ? NULL : "the zone's file cannot be read";
}

const char *sa_tz_load(apr_pool_t *p, const char *dir, const char *name, sa_tz **out)
{
    unsigned char *data;
    apr_size_t len = 0;
    if (!valid_zone_name(name)) {
        return "not a zone name such as Europe/Zurich";
    }
    const char *why = read_file(p, apr_pstrcat(p, dir, "/", name, NULL), &data, &len);
    return why ? why : sa_tz_parse(p, name, data, len, out);
}

long sa_tz_offset(const sa_tz *tz, apr_int64_t t, int *isdst)
{
    const tz_type *type = NULL;
    int dst = 0;
    long off;
    if (tz->rule.set && (tz->ntimes == 0 || t >= tz->times[tz->ntimes - 1])) {
        dst = tz->rule.has_dst && rule_is_dst(&tz->rule, t);
        off = dst ? tz->rule.dst_off : tz->rule.std_off;
    } else {
        int lo = 0, hi = tz->ntimes; /* first transition after t */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (tz->times[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        type = lo == 0 ? &tz->types[0] : &tz->types[tz->type_of[lo - 1]];
        dst = type->isdst;
        off = type->utoff;
    }
    if (isdst) {
        *isdst = dst;
    }
    return off;
}

void sa_tz_explode(const sa_tz *tz, apr_int64_t t, apr_time_exp_t *out)
{
    int dst = 0;
    long off = sa_tz_offset(tz, t, &dst);
    apr_time_exp_tz(out, apr_time_from_sec(t), (apr_int32_t)off);
    out->tm_isdst = dst;
}
