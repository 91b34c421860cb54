/* HTML escaping, URL encoding and the module's small template language. Values are always
 * inserted once: they are never scanned for tags, so text from a user or a database cannot
 * inject template syntax, and {{name}} escapes everything that matters inside an attribute. */
#include <string.h>

#include <apr_strings.h>

#include "core/html.h"

/* A growable string in a pool: old buffers stay in the pool, which is fine for one page. */
typedef struct {
    apr_pool_t *pool;
    char *buf;
    apr_size_t len;
    apr_size_t cap;
} strbuf;

static void sb_init(strbuf *sb, apr_pool_t *p, apr_size_t hint)
{
    sb->pool = p;
    sb->cap = hint < 64 ? 64 : hint;
    sb->buf = apr_palloc(p, sb->cap);
    sb->len = 0;
    sb->buf[0] = '\0';
}

static void sb_append(strbuf *sb, const char *s, apr_size_t n)
{
    if (sb->len + n + 1 > sb->cap) {
        apr_size_t cap = sb->cap * 2;
        while (cap < sb->len + n + 1) {
            cap *= 2;
        }
        char *grown = apr_palloc(sb->pool, cap);
        memcpy(grown, sb->buf, sb->len);
        sb->buf = grown;
        sb->cap = cap;
    }
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

static void sb_puts(strbuf *sb, const char *s)
{
    sb_append(sb, s, strlen(s));
}

static const char *html_entity(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

static void append_escaped(strbuf *sb, const char *s)
{
    const char *run = s;

    for (; *s; s++) {
        const char *entity = html_entity(*s);
        if (entity) {
            sb_append(sb, run, (apr_size_t)(s - run));
            sb_puts(sb, entity);
            run = s + 1;
        }
    }
    sb_append(sb, run, (apr_size_t)(s - run));
}

const char *sa_html_escape(apr_pool_t *p, const char *s)
{
    strbuf sb;

    if (!s) {
        return "";
    }
    sb_init(&sb, p, strlen(s) + 16);
    append_escaped(&sb, s);
    return sb.buf;
}

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

const char *sa_url_encode(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out, *o;

    if (!s) {
        return "";
    }
    out = apr_palloc(p, strlen(s) * 3 + 1);
    for (o = out; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (is_unreserved(c)) {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 0x0f];
        }
    }
    *o = '\0';
    return out;
}

/* ---- templates ---- */

typedef enum { TAG_VAR, TAG_RAW, TAG_SECTION, TAG_INVERTED, TAG_CLOSE } tag_kind;

typedef struct {
    tag_kind kind;
    const char *name; /* points into the template */
    apr_size_t name_len;
    const char *end; /* first character after the tag */
} tag;

static int is_name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

static tag_kind kind_of(const char *s, apr_size_t *skip)
{
    *skip = 1;
    switch (*s) {
    case '{':
        return TAG_RAW;
    case '#':
        return TAG_SECTION;
    case '^':
        return TAG_INVERTED;
    case '/':
        return TAG_CLOSE;
    default:
        *skip = 0;
        return TAG_VAR;
    }
}

/* Parses the tag that starts at s ("{{"). 0 when it is not a complete, well-formed tag, in
 * which case the caller outputs the "{{" literally and carries on. */
static int parse_tag(const char *s, tag *t)
{
    apr_size_t skip;
    const char *c = s + 2;
    const char *closing;

    t->kind = kind_of(c, &skip);
    c += skip;
    while (*c == ' ') {
        c++;
    }
    t->name = c;
    while (is_name_char(*c)) {
        c++;
    }
    t->name_len = (apr_size_t)(c - t->name);
    while (*c == ' ') {
        c++;
    }
    closing = t->kind == TAG_RAW ? "}}}" : "}}";
    if (t->name_len == 0 || strncmp(c, closing, strlen(closing)) != 0) {
        return 0;
    }
    t->end = c + strlen(closing);
    return 1;
}

static const char *lookup(apr_pool_t *p, const apr_table_t *vars, const tag *t)
{
    if (!vars) {
        return NULL;
    }
    return apr_table_get(vars, apr_pstrmemdup(p, t->name, t->name_len));
}

/* Finds "{{/name}}" for a section opened by t, searching from s up to end. */
static const char *find_close(const char *s, const char *end, const tag *t, const char **after)
{
    for (const char *c = s; c + 1 < end; c++) {
        tag close;
        if (c[0] == '{' && c[1] == '{' && parse_tag(c, &close) && close.end <= end &&
            close.kind == TAG_CLOSE && close.name_len == t->name_len &&
            memcmp(close.name, t->name, t->name_len) == 0) {
            *after = close.end;
            return c;
        }
    }
    return NULL;
}

static void render(strbuf *sb, const char *s, const char *end, const apr_table_t *vars);

/* Renders one tag at s; returns where the scan continues. */
static const char *render_tag(strbuf *sb, const char *s, const char *end, const tag *t,
                              const apr_table_t *vars)
{
    const char *value = t->kind == TAG_CLOSE ? NULL : lookup(sb->pool, vars, t);
    int set = value && *value;
    const char *body_end, *after;

    switch (t->kind) {
    case TAG_VAR:
        append_escaped(sb, value ? value : "");
        return t->end;
    case TAG_RAW:
        sb_puts(sb, value ? value : "");
        return t->end;
    case TAG_SECTION:
    case TAG_INVERTED:
        body_end = find_close(t->end, end, t, &after);
        if (!body_end) {
            break; /* unterminated section: the opening tag is output as text */
        }
        if (set == (t->kind == TAG_SECTION)) {
            render(sb, t->end, body_end, vars);
        }
        return after;
    case TAG_CLOSE:
        break; /* a stray closing tag is shown, so that the template bug is visible */
    }
    sb_append(sb, s, (apr_size_t)(t->end - s));
    return t->end;
}

static void render(strbuf *sb, const char *s, const char *end, const apr_table_t *vars)
{
    const char *run = s;

    while (s + 1 < end) {
        tag t;
        if (s[0] != '{' || s[1] != '{') {
            s++;
            continue;
        }
        if (!parse_tag(s, &t) || t.end > end) {
            s += 2; /* not a tag: these braces are text, and so is what they would open */
            continue;
        }
        sb_append(sb, run, (apr_size_t)(s - run));
        s = render_tag(sb, s, end, &t, vars);
        run = s;
    }
    sb_append(sb, run, (apr_size_t)(end - run));
}

const char *sa_template_render(apr_pool_t *p, const char *tmpl, const apr_table_t *vars)
{
    strbuf sb;
    apr_size_t len;

    if (!tmpl) {
        return "";
    }
    len = strlen(tmpl);
    sb_init(&sb, p, len + len / 2);
    render(&sb, tmpl, tmpl + len, vars);
    return sb.buf;
}
