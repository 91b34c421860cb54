/* Request helpers shared by the hooks and the handlers: cookies, forms, pages, redirects. */
#ifndef WEB_REQUEST_H
#define WEB_REQUEST_H

#include "httpd.h"
#include "sa_i18n.h"
#include "sa_session.h"
#include "web_config.h"

#define SA_FORM_MAX_BYTES 16384

/* The value of the named cookie, read like mod_session_cookie: NULL when absent, or when it is
 * sent twice with different values. */
const char *sa_cookie_get(request_rec *r, const char *name);

/* Adds a Set-Cookie (on err_headers_out, so it survives redirects): max_age < 0 omits
 * Max-Age (a browser-session cookie). */
void sa_cookie_set(request_rec *r, const char *name, const char *value, apr_int64_t max_age,
                   const char *attrs);

/* Asks the browser to drop the cookie. */
void sa_cookie_clear(request_rec *r, const char *name, const char *attrs);

/* Reads an application/x-www-form-urlencoded body of at most SA_FORM_MAX_BYTES. OK and the
 * fields, or an HTTP status (400, 413, 415). */
int sa_form_read(request_rec *r, apr_table_t **form);

/* The language of this request's pages: Accept-Language, else SeancesLanguage, else fr. */
sa_lang sa_request_lang(request_rec *r);

/* The session this request was authenticated with by sa_check_authn, or NULL. */
const sa_session_info *sa_request_session(request_rec *r);
void sa_request_set_session(request_rec *r, const sa_session_info *info);

/* Renders template "name" (SeancesTemplateDir, else built in) inside page.html, with vars
 * and the texts of the request's language, and sends it with the given status and the
 * security headers. Returns OK; the caller returns that (or DONE from a hook). */
int sa_page_send(request_rec *r, int status, const char *name, apr_table_t *vars);

/* A page with a title and a message only (errors); returns what sa_page_send returns. */
int sa_page_message(request_rec *r, int status, const char *title_key, const char *text_key);

/* 303 See Other to a local path (after a POST). Returns the status to return. */
int sa_redirect_see_other(request_rec *r, const char *location);

/* Security headers for every page of the module (no-store, CSP, nosniff, frame denial). */
void sa_security_headers(request_rec *r);

/* The client address as Apache knows it (mod_remoteip-aware). */
const char *sa_client_ip(request_rec *r);

/* The User-Agent, cut to a sane length for storage. */
const char *sa_user_agent(request_rec *r);

/* The session policy (seconds) of this directory's configuration. */
void sa_session_policy_of(const sa_dir_config *d, sa_session_policy *policy);

#endif
