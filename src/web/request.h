/* Request helpers shared by the hooks and the handlers: cookies, forms, the language, the
 * client's address and browser. */
#ifndef WEB_REQUEST_H
#define WEB_REQUEST_H

#include "httpd.h"
#include "core/i18n.h"
#include "core/session.h"
#include "cfg/config.h"

#define WEB_FORM_MAX_BYTES 16384

/* The value of the named cookie, read like mod_session_cookie: NULL when absent, or when it is
 * sent twice with different values. */
const char *web_cookie_get(request_rec *r, const char *name);

/* Removes the cookie name from every Cookie (and Cookie2) header of the request: every piece
 * that web_cookie_get would read, and those with blanks around the name; the other cookies
 * stay as sent, a header left empty goes. Returns how many pieces went. */
int web_cookie_remove(request_rec *r, const char *name);

/* Adds a Set-Cookie (on err_headers_out, so it survives redirects): max_age < 0 omits
 * Max-Age (a browser-session cookie). */
void web_cookie_set(request_rec *r, const char *name, const char *value, apr_int64_t max_age,
                    const char *attrs);

/* Asks the browser to drop the cookie. */
void web_cookie_clear(request_rec *r, const char *name, const char *attrs);

/* Reads an application/x-www-form-urlencoded body of at most WEB_FORM_MAX_BYTES. OK and the
 * fields, or an HTTP status (400, 413, 415). */
int web_form_read(request_rec *r, apr_table_t **form);

/* The language switch: ?lang=xx on a page of the module sets the cookie seances_lang, which
 * the pages then follow. */
#define WEB_LANG_COOKIE "seances_lang"
#define WEB_LANG_PARAM "lang"

/* The language of this request's pages: ?lang= (the switch, just used), else the cookie
 * seances_lang (strictly fr, de, it or en), else Accept-Language, else SeancesLanguage, else
 * fr. */
sa_lang web_request_lang(request_rec *r);

/* 1 and *out when this request (or the one an error page answers) carries the switch ?lang=. */
int web_request_lang_switch(request_rec *r, sa_lang *out);

/* The client address as Apache knows it (mod_remoteip-aware). */
const char *web_client_ip(request_rec *r);

/* The User-Agent, cut to a sane length for storage. */
const char *web_user_agent(request_rec *r);

#endif
