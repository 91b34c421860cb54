/* HTML escaping and a tiny template language for the module's pages:
 *   {{name}}     the variable, HTML-escaped (attribute-safe: & < > " ' escaped)
 *   {{{name}}}   the variable as is (only for HTML the module built itself)
 *   {{#name}}..{{/name}}  the block when the variable is set and not empty
 *   {{^name}}..{{/name}}  the block when it is unset or empty
 * Unknown variables render as empty. Sections do not nest with the same name. */
#ifndef SA_HTML_H
#define SA_HTML_H

#include <apr_pools.h>
#include <apr_tables.h>

const char *sa_html_escape(apr_pool_t *p, const char *s);

/* Percent-encodes everything but unreserved characters (RFC 3986), for query values. */
const char *sa_url_encode(apr_pool_t *p, const char *s);

const char *sa_template_render(apr_pool_t *p, const char *tmpl, const apr_table_t *vars);

#endif
