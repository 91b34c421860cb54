/* AuthType Seances: who is this request? From the session cookie and the session registry,
 * or nobody: then a redirect to the login form (GET) or 401 (API and non-GET requests). */
#include <string.h>

#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_lib.h"

#include "cfg/logno.h"
#include "core/html.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/hooks.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"
#include "web/sessioncache.h"

APLOG_USE_MODULE(seances_auth);

static int is_api_request(request_rec *r)
{
    const char *accept = apr_table_get(r->headers_in, "Accept");
    if (r->method_number != M_GET || apr_table_get(r->headers_in, "X-Requested-With")) {
        return 1;
    }
    return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

static int deny_unauthenticated(request_rec *r, const cfg_dir_config *d)
{
    if (is_api_request(r)) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       apr_psprintf(r->pool, "Seances realm=\"%s\"",
                                    ap_auth_name(r) ? ap_auth_name(r) : "seances"));
        apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
        return HTTP_UNAUTHORIZED;
    }
    const char *target = r->unparsed_uri && *r->unparsed_uri ? r->unparsed_uri : "/";
    const char *login = cfg_login_url(d);
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, login, strchr(login, '?') ? "&" : "?",
                               "return=", sa_url_encode(r->pool, target), NULL));
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    return HTTP_MOVED_TEMPORARILY;
}

static void accept_session(request_rec *r, sa_db *db, const sa_session_info *info)
{
    r->user = apr_pstrdup(r->pool, info->user);
    r->ap_auth_type = SA_AUTH_TYPE;
    web_session_note(r, info);
    /* db is NULL when the session came from this request's earlier pass or from the cache */
    if (!db) {
        return;
    }
    sa_session_info *kept = apr_pmemdup(r->pool, info, sizeof(*info));
    if (info->needs_touch) {
        if (sa_session_touch(db, r->pool, info, r->request_time) == APR_SUCCESS) {
            kept->last_seen = apr_time_sec(r->request_time);
        } else {
            /* the session stays valid; only its idle clock was not advanced */
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                          SALOG(0202) "could not record activity: %s",
                          db->error ? db->error : "unknown error");
            return;
        }
    }
    web_session_cache_keep(r, kept);
}

/* SeancesTwoFactor required: a session without the second factor (from before the policy, or
 * from a location where it was off) opens nothing here; the login then forces the enrolment. */
static int below_required_level(request_rec *r, const cfg_dir_config *d,
                                const sa_session_info *info)
{
    if (cfg_twofactor(d) != SA_2FA_REQUIRED || info->level >= SA_LEVEL_TOTP) {
        return 0;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  SALOG(0712) "session of %s has one factor where SeancesTwoFactor is required: "
                              "sent to the login",
                  info->user);
    return 1;
}

int web_check_authn(request_rec *r)
{
    const char *type = ap_auth_type(r);
    if (!type || strcasecmp(type, SA_AUTH_TYPE) != 0) {
        return DECLINED;
    }
    const cfg_dir_config *d = cfg_dir(r);
    const sa_session_info *info = NULL;
    sa_db *db = NULL;
    switch (web_session_resolve(r, &db, &info)) {
    case WEB_SESSION_LIVE:
        if (below_required_level(r, d, info)) {
            return deny_unauthenticated(r, d);
        }
        accept_session(r, db, info);
        return OK;
    case WEB_SESSION_DB_DOWN:
        web_page_unavailable(r);
        return DONE;
    case WEB_SESSION_ENDED:
        web_cookie_clear(r, cfg_cookie_name(d), cfg_cookie_attrs(d));
        return deny_unauthenticated(r, d);
    default:
        return deny_unauthenticated(r, d);
    }
}

int web_note_auth_failure(request_rec *r, const char *auth_type)
{
    (void)r;
    /* the redirect or 401 was decided in web_check_authn; authz refusals of a logged-in user
     * stay plain refusals */
    return strcasecmp(auth_type, SA_AUTH_TYPE) == 0 ? OK : DECLINED;
}
