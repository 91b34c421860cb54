/* HTML escaping, URL encoding and the template language. */
/* Checklist (test/SECURITY.md): SEC-66 context-correct output encoding. */
#include <string.h>

#include <apr_tables.h>

#include "unit.h"
#include "core/html.h"

#define XSS "\"><img src=x onerror=alert(1)>"
#define XSS_ESCAPED "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"

static void html_escape(apr_pool_t *p)
{
    CHECK_STR(sa_html_escape(p, "a & b < c > d \" e ' f"),
              "a &amp; b &lt; c &gt; d &quot; e &#39; f");
    CHECK_STR(sa_html_escape(p, XSS), XSS_ESCAPED);
    CHECK_STR(sa_html_escape(p, "plain séance"), "plain séance");
    CHECK_STR(sa_html_escape(p, "&amp;"), "&amp;amp;");
    CHECK_STR(sa_html_escape(p, ""), "");
    CHECK_STR(sa_html_escape(p, NULL), "");
}

static void html_url_encode(apr_pool_t *p)
{
    CHECK_STR(sa_url_encode(p, "AZaz09-._~"), "AZaz09-._~");
    CHECK_STR(sa_url_encode(p, "/app/x?y=1&z=2#f"), "%2Fapp%2Fx%3Fy%3D1%26z%3D2%23f");
    CHECK_STR(sa_url_encode(p, "a b+c"), "a%20b%2Bc");
    CHECK_STR(sa_url_encode(p, "é"), "%C3%A9");
    CHECK_STR(sa_url_encode(p, "\r\n%"), "%0D%0A%25");
    CHECK_STR(sa_url_encode(p, ""), "");
    CHECK_STR(sa_url_encode(p, NULL), "");
}

static apr_table_t *vars_of(apr_pool_t *p)
{
    apr_table_t *v = apr_table_make(p, 8);
    apr_table_set(v, "name", XSS);
    apr_table_set(v, "t.login_title", "Connexion");
    apr_table_set(v, "html", "<b>bold</b>");
    apr_table_set(v, "empty", "");
    apr_table_set(v, "inject", "{{html}} {{{html}}} {{#name}}x{{/name}}");
    return v;
}

static void html_template_variables(apr_pool_t *p)
{
    apr_table_t *v = vars_of(p);

    CHECK_STR(sa_template_render(p, "<h1>{{t.login_title}}</h1>", v), "<h1>Connexion</h1>");
    CHECK_STR(sa_template_render(p, "<input value=\"{{name}}\">", v),
              "<input value=\"" XSS_ESCAPED "\">");
    CHECK_STR(sa_template_render(p, "{{html}}|{{{html}}}", v),
              "&lt;b&gt;bold&lt;/b&gt;|<b>bold</b>");
    CHECK_STR(sa_template_render(p, "[{{unknown}}][{{{unknown}}}]", v), "[][]");
    CHECK_STR(sa_template_render(p, "{{ t.login_title }}", v), "Connexion");
    /* Values are inserted once and never expanded. */
    CHECK_STR(sa_template_render(p, "{{{inject}}}", v), "{{html}} {{{html}}} {{#name}}x{{/name}}");
    CHECK_STR(sa_template_render(p, "{{inject}}", v), "{{html}} {{{html}}} {{#name}}x{{/name}}");
    CHECK_STR(sa_template_render(p, "no tags at all", v), "no tags at all");
    CHECK_STR(sa_template_render(p, "", v), "");
    CHECK_STR(sa_template_render(p, NULL, v), "");
    CHECK_STR(sa_template_render(p, "{{name}}", NULL), "");
}

static void html_template_sections(apr_pool_t *p)
{
    apr_table_t *v = vars_of(p);

    CHECK_STR(sa_template_render(p, "a{{#html}}[{{t.login_title}}]{{/html}}b", v), "a[Connexion]b");
    CHECK_STR(sa_template_render(p, "a{{#empty}}hidden{{/empty}}b", v), "ab");
    CHECK_STR(sa_template_render(p, "a{{#missing}}hidden{{/missing}}b", v), "ab");
    CHECK_STR(sa_template_render(p, "a{{^empty}}shown{{/empty}}b", v), "ashownb");
    CHECK_STR(sa_template_render(p, "a{{^missing}}shown{{/missing}}b", v), "ashownb");
    CHECK_STR(sa_template_render(p, "a{{^html}}hidden{{/html}}b", v), "ab");
    CHECK_STR(
        sa_template_render(p, "{{#html}}1{{#name}}2{{^empty}}3{{/empty}}{{/name}}{{/html}}", v),
        "123");
    CHECK_STR(sa_template_render(p, "{{#html}}x{{/html}}{{#html}}y{{/html}}", v), "xy");
    CHECK_STR(sa_template_render(p, "{{#empty}}{{name}}{{/empty}}", v), "");
}

static void html_template_malformed_is_literal(apr_pool_t *p)
{
    apr_table_t *v = vars_of(p);

    CHECK_STR(sa_template_render(p, "a {{name", v), "a {{name");
    CHECK_STR(sa_template_render(p, "a {{{html}} b", v), "a {{{html}} b");
    CHECK_STR(sa_template_render(p, "{{}}", v), "{{}}");
    CHECK_STR(sa_template_render(p, "{{bad name}}", v), "{{bad name}}");
    CHECK_STR(sa_template_render(p, "{{#html}}never closed", v), "{{#html}}never closed");
    CHECK_STR(sa_template_render(p, "stray {{/html}}", v), "stray {{/html}}");
    CHECK_STR(sa_template_render(p, "{", v), "{");
    CHECK_STR(sa_template_render(p, "{{", v), "{{");
    CHECK_STR(sa_template_render(p, "x}}", v), "x}}");
    CHECK_STR(sa_template_render(p, "{{{{t.login_title}}", v), "{{Connexion");
    /* A closing tag for another section does not end this one. */
    CHECK_STR(sa_template_render(p, "{{#empty}}a{{/html}}b", v), "{{#empty}}a{{/html}}b");
}

UNIT_SUITE(html_tests) = {
    {"html_escape", html_escape},
    {"html_url_encode", html_url_encode},
    {"html_template_variables", html_template_variables},
    {"html_template_sections", html_template_sections},
    {"html_template_malformed_is_literal", html_template_malformed_is_literal},
    {NULL, NULL},
};
