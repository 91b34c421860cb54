/* The module's pages (web/page.c): templates inside the page frame, the security headers
 * every page carries, the 503 page, redirects after a POST. */
#ifndef WEB_PAGE_H
#define WEB_PAGE_H

#include "httpd.h"

/* Renders template "name" (SeancesTemplateDir, else built in) inside page.html, with vars
 * and the texts of the request's language, and sends it with the given status and the
 * security headers. Returns OK; the caller returns that (or DONE from a hook). */
int web_page_send(request_rec *r, int status, const char *name, apr_table_t *vars);

/* Renders template "name" (SeancesTemplateDir, else built in) alone, for the repeated parts of
 * a page (one row of a list); vars must hold everything it uses, texts included. "" (logged)
 * when the template is missing. */
const char *web_fragment(request_rec *r, const char *name, apr_table_t *vars);

/* A page with a title and a message only (errors); returns what web_page_send returns. */
int web_page_message(request_rec *r, int status, const char *title_key, const char *text_key);

/* The themed page of an HTTP status (400, 403, 404, 405, 413, 415, 429, 503; a generic one
 * for others) with a way forward, in the page language; 405 carries Allow, 503 Retry-After.
 * Returns what web_page_send returns. */
int web_page_status(request_rec *r, int status);

/* Sets r->allowed_methods (and Allow) to what the module's pages take: GET, HEAD, POST. */
void web_page_allow(request_rec *r);

/* 1 when r->uri lies below base ("/login/x" for "/login"): a page the handler does not have. */
int web_page_beyond(request_rec *r, const char *base);

/* The 503 page, with Retry-After, for a database that could not answer (the caller has
 * logged why); returns what web_page_send returns. */
int web_page_unavailable(request_rec *r);

/* For code that can only fail with 500 (an authz provider: AUTHZ_GENERAL_ERROR): prepares the
 * 503 page as the error response, so that the client gets the same 503 as everywhere else
 * (web_error_unavailable, an insert_error_filter hook, turns the 500 into it). */
void web_page_unavailable_later(request_rec *r);
void web_error_unavailable(request_rec *r);
void web_page_register_filters(void);

/* 303 See Other to a local path (after a POST). Returns the status to return. */
int web_redirect_see_other(request_rec *r, const char *location);

/* A request note: its page sends "Referrer-Policy: no-referrer" (the reset pages, SEC-56). */
#define WEB_NOTE_NO_REFERRER "seances-no-referrer"

/* Security headers for every page of the module (no-store, CSP, nosniff, frame denial). */
void web_security_headers(request_rec *r);

#endif
