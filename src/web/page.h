/* The module's pages (web/page.c): templates inside the page frame, the security headers
 * every page carries, the 503 page, redirects after a POST. */
#ifndef WEB_PAGE_H
#define WEB_PAGE_H

#include "httpd.h"

/* Renders template "name" (SeancesTemplateDir, else built in) inside page.html, with vars
 * and the texts of the request's language, and sends it with the given status and the
 * security headers. Returns OK; the caller returns that (or DONE from a hook). */
int web_page_send(request_rec *r, int status, const char *name, apr_table_t *vars);

/* A page with a title and a message only (errors); returns what web_page_send returns. */
int web_page_message(request_rec *r, int status, const char *title_key, const char *text_key);

/* The 503 page, with Retry-After, for a database that could not answer (the caller has
 * logged why); returns what web_page_send returns. */
int web_page_unavailable(request_rec *r);

/* 303 See Other to a local path (after a POST). Returns the status to return. */
int web_redirect_see_other(request_rec *r, const char *location);

/* Security headers for every page of the module (no-store, CSP, nosniff, frame denial). */
void web_security_headers(request_rec *r);

#endif
