/* "Require seances-level 2": the location wants a session that passed the second factor.
 * A signed-in user whose session is below the level is refused (401, or 403 with
 * AuthzSendForbiddenOnFailure), and the refusal shows the login page with a word on why:
 * signing in again with the code (after enrolling at the 2FA page) gives such a session. */
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_request.h"
#include "mod_auth.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "cfg/logno.h"
#include "core/html.h"
#include "core/session.h"
#include "web/hooks.h"
#include "web/session.h"

APLOG_USE_MODULE(seances_auth);

static const char *parse_level(cmd_parms *cmd, const char *line, const void **parsed)
{
    char *end = NULL;
    long level = strtol(line, &end, 10);
    while (end && (*end == ' ' || *end == '\t')) {
        end++;
    }
    if (!*line || !end || *end || level < SA_LEVEL_PASSWORD || level > SA_LEVEL_TOTP) {
        return apr_psprintf(cmd->pool, "Require seances-level: '%s' is not 1 or 2", line);
    }
    int *stored = apr_palloc(cmd->pool, sizeof(*stored));
    *stored = (int)level;
    *parsed = stored;
    return NULL;
}

/* The refusal is answered with the login form (an internal redirect that keeps the status),
 * told to explain the level. */
static void explain_refusal(request_rec *r)
{
    const char *target = r->unparsed_uri && *r->unparsed_uri ? r->unparsed_uri : "/";
    const char *login = cfg_login_url(cfg_dir(r));
    const char *page = apr_pstrcat(r->pool, login, strchr(login, '?') ? "&" : "?",
                                   "level=2&return=", sa_url_encode(r->pool, target), NULL);
    ap_custom_response(r, HTTP_UNAUTHORIZED, page);
    ap_custom_response(r, HTTP_FORBIDDEN, page);
}

static authz_status check_level(request_rec *r, const char *line, const void *parsed)
{
    (void)line;
    int wanted = *(const int *)parsed;
    if (!r->user) {
        return AUTHZ_DENIED_NO_USER;
    }
    const sa_session_info *info = web_session_noted(r);
    int level = info ? info->level : 0;
    if (level >= wanted) {
        return AUTHZ_GRANTED;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  SALOG(0709) "%s has a level-%d session; %s wants level %d", r->user, level,
                  r->uri, wanted);
    explain_refusal(r);
    return AUTHZ_DENIED;
}

const authz_provider web_authz_level_provider = {check_level, parse_level};
