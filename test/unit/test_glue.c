/* The request glue against stubbed httpd functions (test/unit/stub.c): cookies as
 * mod_session_cookie reads them, forms, the removal of client-sent identity headers (also
 * from Connection, tokenised as mod_proxy does), and the identity handed to back ends. */
/* Checklist (test/SECURITY.md): SEC-70 client identity headers always removed, SEC-71 hop-by-
 * hop tricks, SEC-76 strict form parsing. */
#include <apr_strings.h>

#include "unit.h"
#include "stub.h"
#include "web/hooks.h"
#include "web/request.h"

static const char *cookie_of(apr_pool_t *p, const char *header, const char *name)
{
    request_rec *r = stub_request(p, "GET", NULL);
    if (header) {
        apr_table_setn(r->headers_in, "Cookie", header);
    }
    return web_cookie_get(r, name);
}

static void glue_cookie_get(apr_pool_t *p)
{
    CHECK_STR(cookie_of(p, "seances_session=abc", "seances_session"), "abc");
    CHECK(cookie_of(p, NULL, "seances_session") == NULL);
    CHECK(cookie_of(p, "other=1", "seances_session") == NULL);
    /* a longer name that starts with ours is another cookie */
    CHECK_STR(cookie_of(p, "seances_session_csrf=n1; seances_session=v2", "seances_session"), "v2");
    CHECK_STR(cookie_of(p, "seances_session=v2; seances_session_csrf=n1", "seances_session_csrf"),
              "n1");
    CHECK_STR(cookie_of(p, "a=1;  seances_session=x+y/z= ;b=2", "seances_session"), "x+y/z=");
    /* twice with the same value is fine; with two values it is nobody's */
    CHECK_STR(cookie_of(p, "seances_session=same; seances_session=same", "seances_session"),
              "same");
    CHECK(cookie_of(p, "seances_session=one; seances_session=two", "seances_session") == NULL);
    CHECK(cookie_of(p, "seances_session=", "seances_session") == NULL ||
          strcmp(cookie_of(p, "seances_session=", "seances_session"), "") == 0);
}

/* Issue 13, finding 8: SeancesCookieRemove takes out the session cookie, nothing else. */
static const char *after_remove(apr_pool_t *p, const char *header, int *gone)
{
    request_rec *r = stub_request(p, "GET", NULL);
    apr_table_setn(r->headers_in, "Cookie", header);
    *gone = web_cookie_remove(r, "seances_session");
    CHECK(web_cookie_get(r, "seances_session") == NULL);
    return apr_table_get(r->headers_in, "Cookie");
}

static void glue_cookie_remove(apr_pool_t *p)
{
    int gone = 0;
    CHECK_STR(after_remove(p, "theme=dark; seances_session=abc; lang=fr", &gone),
              "theme=dark; lang=fr");
    CHECK(gone == 1);
    CHECK(after_remove(p, "seances_session=abc", &gone) == NULL && gone == 1);
    /* other cookies are kept byte for byte, even with commas in their values */
    CHECK_STR(after_remove(p, "seances_session_csrf=n1;x=\"a,b\"", &gone),
              "seances_session_csrf=n1;x=\"a,b\"");
    CHECK(gone == 0);
    /* every piece web_cookie_get would read, and blanks before '=' */
    CHECK_STR(after_remove(p, "a=1, seances_session=x;seances_session =y; b=2,c=3", &gone),
              "a=1; b=2,c=3");
    CHECK(gone == 2);
    CHECK(after_remove(p, " ; seances_session=x ;", &gone) == NULL && gone == 1);
}

static void glue_cookie_set(apr_pool_t *p)
{
    request_rec *r = stub_request(p, "GET", NULL);
    web_cookie_set(r, "c", "v", -1, "Path=/; HttpOnly");
    web_cookie_set(r, "d", "w", 60, "Path=/");
    web_cookie_clear(r, "e", "Path=/");
    const apr_array_header_t *h = apr_table_elts(r->err_headers_out);
    const apr_table_entry_t *e = (const apr_table_entry_t *)h->elts;
    CHECK(h->nelts == 3);
    if (h->nelts != 3) {
        return;
    }
    CHECK_STR(e[0].val, "c=v;Path=/; HttpOnly");
    CHECK_STR(e[1].val, "d=w;Max-Age=60;Path=/");
    CHECK_STR(e[2].val, "e=;Max-Age=0;Path=/");
}

static int form_of(apr_pool_t *p, const char *content_type, const char *body, apr_table_t **form)
{
    request_rec *r = stub_request(p, "POST", body);
    if (content_type) {
        apr_table_setn(r->headers_in, "Content-Type", content_type);
    }
    *form = NULL;
    return web_form_read(r, form);
}

static void glue_form_read(apr_pool_t *p)
{
    apr_table_t *f = NULL;
    const char *ct = "application/x-www-form-urlencoded";
    CHECK(form_of(p, ct, "username=anne+marie&password=a%26b%3Dc&remember=on", &f) == OK);
    if (f) {
        CHECK_STR(apr_table_get(f, "username"), "anne marie");
        CHECK_STR(apr_table_get(f, "password"), "a&b=c");
        CHECK_STR(apr_table_get(f, "remember"), "on");
    }
    /* the first copy of a field wins, so a later one cannot override it */
    CHECK(form_of(p, ct, "return=%2Fa&return=https://evil.example", &f) == OK);
    if (f) {
        CHECK_STR(apr_table_get(f, "return"), "/a");
    }
    CHECK(form_of(p, "application/x-www-form-urlencoded; charset=UTF-8", "a=1", &f) == OK);
    CHECK(form_of(p, "text/plain", "a=1", &f) == HTTP_UNSUPPORTED_MEDIA_TYPE);
    CHECK(form_of(p, NULL, "a=1", &f) == HTTP_UNSUPPORTED_MEDIA_TYPE);
    CHECK(form_of(p, "application/x-www-form-urlencodedX", "a=1", &f) ==
          HTTP_UNSUPPORTED_MEDIA_TYPE);
    CHECK(form_of(p, ct, "a=%zz", &f) == HTTP_BAD_REQUEST);
    CHECK(form_of(p, ct, "a=x%00y", &f) == HTTP_BAD_REQUEST);
    char *big = apr_palloc(p, WEB_FORM_MAX_BYTES + 2);
    memset(big, 'a', WEB_FORM_MAX_BYTES + 1);
    big[WEB_FORM_MAX_BYTES + 1] = '\0';
    CHECK(form_of(p, ct, big, &f) == HTTP_REQUEST_ENTITY_TOO_LARGE);
    big[WEB_FORM_MAX_BYTES] = '\0';
    CHECK(form_of(p, ct, big, &f) == OK);
}

static request_rec *scrubbed(apr_pool_t *p, const char *name, const char *value)
{
    request_rec *r = stub_request(p, "GET", NULL);
    apr_table_add(r->headers_in, name, value);
    apr_table_add(r->headers_in, "Accept", "text/html");
    web_scrub_identity_headers(r);
    return r;
}

static void glue_scrub_identity_headers(apr_pool_t *p)
{
    static const char *const spellings[] = {"X-Remote-User",  "x-remote-user",  "X_Remote_User",
                                            "X-REMOTE-EMAIL", "x_remote-email", NULL};
    for (const char *const *s = spellings; *s; s++) {
        request_rec *r = scrubbed(p, *s, "mallory");
        CHECK(apr_table_get(r->headers_in, *s) == NULL);
        CHECK_STR(apr_table_get(r->headers_in, "Accept"), "text/html");
    }
    CHECK_STR(apr_table_get(scrubbed(p, "X-Remote-Username", "x")->headers_in, "X-Remote-Username"),
              "x");
}

static const char *connection_after(apr_pool_t *p, const char *value)
{
    return apr_table_get(scrubbed(p, "Connection", value)->headers_in, "Connection");
}

static void glue_scrub_connection(apr_pool_t *p)
{
    /* mod_proxy's tokens end at "," ";" and blanks: every spelling that names the header */
    CHECK_STR(connection_after(p, "close, X-Remote-User"), "close");
    CHECK_STR(connection_after(p, "close;X-Remote-User"), "close");
    CHECK_STR(connection_after(p, "keep-alive;X-Remote-Email"), "keep-alive");
    CHECK_STR(connection_after(p, "X-Remote-User;q=1"), "q=1");
    CHECK_STR(connection_after(p, "keep-alive X_Remote_User"), "keep-alive");
    CHECK(connection_after(p, "X-Remote-User") == NULL);
    CHECK(connection_after(p, " x-remote-user , X-Remote-Email ") == NULL);
    /* nothing to drop: the header is left exactly as it came */
    CHECK_STR(connection_after(p, "keep-alive,  Upgrade"), "keep-alive,  Upgrade");
}

static void glue_set_identity(apr_pool_t *p)
{
    sa_session_info info = {.user = "anne", .email = "anne@example.ch", .level = 2};
    request_rec *r = stub_request(p, "GET", NULL);
    r->user = "anne";
    stub_set_session(&info);
    web_set_identity(r);
    CHECK_STR(apr_table_get(r->subprocess_env, "SEANCES_LEVEL"), "2");
    CHECK(apr_table_get(r->headers_in, "X-Remote-User") == NULL); /* SeancesPassHeaders off */
    r = stub_request(p, "GET", NULL);
    r->user = "anne";
    stub_dir_config(r)->pass_headers = 1;
    web_set_identity(r);
    CHECK_STR(apr_table_get(r->headers_in, "X-Remote-User"), "anne");
    CHECK_STR(apr_table_get(r->headers_in, "X-Remote-Email"), "anne@example.ch");
    /* no session: nothing is set, whatever r->user says */
    stub_set_session(NULL);
    r = stub_request(p, "GET", NULL);
    r->user = "mallory";
    stub_dir_config(r)->pass_headers = 1;
    web_set_identity(r);
    CHECK(apr_table_get(r->headers_in, "X-Remote-User") == NULL);
    CHECK(apr_table_get(r->subprocess_env, "SEANCES_LEVEL") == NULL);
}

static void glue_language(apr_pool_t *p)
{
    request_rec *r = stub_request(p, "GET", NULL);
    CHECK(web_request_lang(r) == SA_LANG_FR);
    apr_table_setn(r->headers_in, "Accept-Language", "de-CH, en;q=0.5");
    CHECK(web_request_lang(r) == SA_LANG_DE);
    r = stub_request(p, "GET", NULL);
    stub_dir_config(r)->lang = SA_LANG_IT;
    apr_table_setn(r->headers_in, "Accept-Language", "ja");
    CHECK(web_request_lang(r) == SA_LANG_IT);
}

/* issue 10: ?lang= (the switch), then the cookie seances_lang (fr, de, it, en exactly), then
 * Accept-Language, then SeancesLanguage */
static sa_lang lang_of(apr_pool_t *p, const char *args, const char *cookie, const char *accept)
{
    request_rec *r = stub_request(p, "GET", NULL);
    r->args = args ? apr_pstrdup(p, args) : NULL;
    if (cookie) {
        apr_table_setn(r->headers_in, "Cookie", cookie);
    }
    if (accept) {
        apr_table_setn(r->headers_in, "Accept-Language", accept);
    }
    return web_request_lang(r);
}

static void glue_language_cookie(apr_pool_t *p)
{
    CHECK(lang_of(p, NULL, "seances_lang=de", "it") == SA_LANG_DE);
    CHECK(lang_of(p, NULL, "a=1; seances_lang=en; b=2", NULL) == SA_LANG_EN);
    CHECK(lang_of(p, NULL, "seances_lang=DE", "it") == SA_LANG_IT);
    CHECK(lang_of(p, NULL, "seances_lang=xx", "it") == SA_LANG_IT);
    CHECK(lang_of(p, NULL, "seances_lang=deu", "it") == SA_LANG_IT);
    CHECK(lang_of(p, NULL, "seances_lang=", NULL) == SA_LANG_FR);
    CHECK(lang_of(p, "lang=it", "seances_lang=de", "en") == SA_LANG_IT);
    CHECK(lang_of(p, "return=%2F&lang=en", NULL, "de") == SA_LANG_EN);
    CHECK(lang_of(p, "lang=xx", NULL, "de") == SA_LANG_DE);
    CHECK(lang_of(p, "lang=enx", NULL, "de") == SA_LANG_DE);
    CHECK(lang_of(p, "xlang=en", NULL, "de") == SA_LANG_DE);
    CHECK(lang_of(p, "lang=EN", NULL, "de") == SA_LANG_DE);
}

const unit_test glue_tests[] = {{"glue_cookie_get", glue_cookie_get},
                                {"glue_cookie_remove", glue_cookie_remove},
                                {"glue_cookie_set", glue_cookie_set},
                                {"glue_form_read", glue_form_read},
                                {"glue_scrub_identity_headers", glue_scrub_identity_headers},
                                {"glue_scrub_connection", glue_scrub_connection},
                                {"glue_set_identity", glue_set_identity},
                                {"glue_language", glue_language},
                                {"glue_language_cookie", glue_language_cookie},
                                {NULL, NULL}};
