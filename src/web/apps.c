/* Require seances-app NAME: admits exactly the users granted NAME (seances-admin grant), by
 * the query that lists the portal's applications. A database failure refuses (never
 * admits) and answers 503. */
#include "httpd.h"
#include <string.h>

#include "http_config.h"
#include "http_log.h"
#include "http_request.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "cfg/logno.h"
#include "core/validate.h"
#include "store/grants.h"
#include "store/users.h"
#include "web/apps.h"
#include "web/db.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"

APLOG_USE_MODULE(seances_auth);

static const cfg_app *configured_app(const cfg_srv_config *c, const char *name)
{
    const cfg_app *apps = (const cfg_app *)c->apps->elts;
    for (int i = 0; i < c->apps->nelts; i++) {
        if (strcmp(apps[i].name, name) == 0) {
            return &apps[i];
        }
    }
    return NULL;
}

apr_status_t web_apps_granted(request_rec *r, sa_db *db, apr_int64_t user_id,
                              apr_array_header_t **apps)
{
    apr_array_header_t *names;
    const cfg_srv_config *c = cfg_srv(r->server);
    apr_status_t rv = sa_store_grants_of(db, r->pool, user_id, &names);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *apps = apr_array_make(r->pool, names->nelts, sizeof(const cfg_app *));
    const cfg_app *all = (const cfg_app *)c->apps->elts;
    for (int i = 0; i < c->apps->nelts; i++) {
        for (int j = 0; j < names->nelts; j++) {
            if (strcmp(all[i].name, ((const char **)names->elts)[j]) == 0) {
                *(const cfg_app **)apr_array_push(*apps) = &all[i];
                break;
            }
        }
    }
    return APR_SUCCESS;
}

typedef struct {
    request_rec *r;
    const char *app;
    int granted;
} app_check;

/* The user's id: from the session this module resolved, else (another AuthType set
 * r->user) from the users table. 0: no such user. */
static apr_status_t user_id_of(request_rec *r, sa_db *db, apr_int64_t *id)
{
    const sa_session_info *info = web_session_noted(r);
    sa_user *u = NULL;
    if (info && strcmp(info->user, r->user) == 0) {
        *id = info->user_id;
        return APR_SUCCESS;
    }
    apr_status_t rv = sa_store_user_by_name(db, r->pool, r->user, &u);
    *id = rv == APR_SUCCESS && !u->disabled ? u->id : 0;
    return rv == APR_NOTFOUND ? APR_SUCCESS : rv;
}

static int run_check(sa_db *db, void *ctx)
{
    app_check *op = ctx;
    apr_array_header_t *apps;
    apr_int64_t id = 0;
    op->granted = 0;
    if (user_id_of(op->r, db, &id) != APR_SUCCESS ||
        (id && web_apps_granted(op->r, db, id, &apps) != APR_SUCCESS)) {
        return 1;
    }
    for (int i = 0; id && i < apps->nelts; i++) {
        op->granted |= strcmp(((const cfg_app **)apps->elts)[i]->name, op->app) == 0;
    }
    return 0;
}

static authz_status check_app(request_rec *r, const char *require_line, const void *parsed)
{
    (void)require_line;
    app_check op = {r, parsed, 0};
    if (!r->user) {
        return AUTHZ_DENIED_NO_USER;
    }
    if (!configured_app(cfg_srv(r->server), op.app)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0602) "Require seances-app %s: no SeancesApp %s is configured for "
                                  "this server, so nobody is admitted",
                      op.app, op.app);
        return AUTHZ_DENIED;
    }
    sa_db *db = web_db(r);
    if (!db || web_db_run(r, db, run_check, &op) != 0) {
        web_db_log_failure(r, db, "reading the grants of Require seances-app");
        web_page_unavailable_later(r);
        return AUTHZ_GENERAL_ERROR;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, SALOG(0603) "Require seances-app %s: %s %s",
                  op.app, r->user, op.granted ? "granted" : "not granted");
    return op.granted ? AUTHZ_GRANTED : AUTHZ_DENIED;
}

static const char *parse_app(cmd_parms *cmd, const char *require_line, const void **parsed)
{
    const char *rest = require_line;
    const char *name = ap_getword_conf(cmd->pool, &rest);
    const char *why = sa_validate_app_name(name);
    while (*rest == ' ' || *rest == '\t') {
        rest++;
    }
    if (why || *rest) {
        return apr_psprintf(cmd->pool,
                            "Require seances-app: give one application name as in SeancesApp "
                            "(%s)",
                            why ? why : "only one name");
    }
    *parsed = name;
    return NULL;
}

const authz_provider web_authz_app = {check_app, parse_app};
