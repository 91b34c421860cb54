/* The portal's POST actions: change the password, end one session, end every other session.
 * Each checks the session-bound CSRF token, does its work, writes an audit line and
 * redirects (303) to the page with a fixed message key: a reload of the result repeats
 * nothing, and the message never comes from what the client sent. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "cfg/logno.h"
#include "core/account.h"
#include "core/token.h"
#include "core/validate.h"
#include "store/reset.h"
#include "handle/portal.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/mailer.h"
#include "web/hashgate.h"
#include "web/page.h"
#include "web/request.h"
#include "web/sessioncache.h"

APLOG_USE_MODULE(seances_auth);

#define SESSION_ID_HEX 64

typedef struct {
    portal_req q; /* with the return target of the form */
    apr_table_t *form;
} action;

/* Ended sessions leave the session cache at once, for every process: their cookies open
 * nothing from the next request on, as after a logout. */
static void forget_all(request_rec *r, const apr_array_header_t *ended)
{
    for (int i = 0; ended && i < ended->nelts; i++) {
        web_session_cache_forget(r, ((const char **)ended->elts)[i]);
    }
}

/* ---- password ---- */

typedef struct {
    const sa_password_change *change;
    apr_pool_t *pool;
    sa_change_result result;
    const char *key;
    apr_array_header_t *ended; /* id hashes */
} change_op;

static int run_change(sa_db *db, void *ctx)
{
    change_op *op = ctx;
    op->result = sa_account_change_password(db, op->pool, op->change, &op->key, &op->ended);
    return op->result == SA_CHANGE_DB_ERROR;
}

static void wipe_field(apr_table_t *form, const char *name)
{
    const char *v = apr_table_get(form, name);
    if (v) {
        sa_wipe_str((char *)v);
    }
}

static void log_change(request_rec *r, const sa_session_info *s, const change_op *op)
{
    if (op->result == SA_CHANGE_DONE) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      SALOG(0605) "password of %s changed in the portal from %s; %d other "
                                  "session%s ended",
                      s->user, web_client_ip(r), op->ended->nelts,
                      op->ended->nelts == 1 ? "" : "s");
    } else {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      SALOG(0606) "password change of %s from %s refused: %s", s->user,
                      web_client_ip(r), op->key);
    }
}

static int change_password(const action *a)
{
    request_rec *r = a->q.r;
    const cfg_srv_config *c = cfg_srv(r->server);
    sa_lockout lockout;
    cfg_lockout(c, &lockout);
    sa_password_change change = {.username = a->q.session->user,
                                 .user_id = a->q.session->user_id,
                                 .keep_session = a->q.session->id_hash,
                                 .current = apr_table_get(a->form, "current"),
                                 .new_password = apr_table_get(a->form, "new"),
                                 .confirm = apr_table_get(a->form, "confirm"),
                                 .ip = web_client_ip(r),
                                 .user_agent = web_user_agent(r),
                                 .now = r->request_time,
                                 .lockout = &lockout,
                                 .argon2 = &c->argon2,
                                 .min_length = cfg_password_min(c),
                                 .blocklist = c->blocklist};
    change_op op = {&change, r->pool, SA_CHANGE_DB_ERROR, NULL, NULL};
    /* two argon2 runs: a turn among the password checks of the process (web/hashgate.c) */
    web_hashgate *gate = NULL;
    web_hashgate_result turn = web_hashgate_enter(r, &gate);
    if (turn == WEB_HASHGATE_OK) {
        web_db_run(r, a->q.db, run_change, &op);
    }
    web_hashgate_leave(gate);
    wipe_field(a->form, "current");
    wipe_field(a->form, "new");
    wipe_field(a->form, "confirm");
    if (turn != WEB_HASHGATE_OK) {
        return web_hashgate_refuse(r, turn);
    }
    if (op.result == SA_CHANGE_DB_ERROR) {
        web_db_log_failure(r, a->q.db, "changing a password");
        return web_page_unavailable(r);
    }
    if (op.result == SA_CHANGE_DONE) {
        forget_all(r, op.ended);
        /* a reset link asked for before the change must not undo it (SEC-52) */
        if (sa_store_reset_delete_user(a->q.db, r->pool, a->q.session->user_id) != APR_SUCCESS) {
            web_db_log_failure(r, a->q.db, "removing the reset links of a changed password");
        }
        web_notify(r, a->q.db, a->q.session->user_id, NULL, SA_NOTICE_PASSWORD_CHANGED);
    }
    log_change(r, a->q.session, &op);
    return web_redirect_see_other(r, portal_url(&a->q, op.key, NULL, "mot-de-passe"));
}

/* ---- sessions ---- */

static int is_session_id(const char *id)
{
    if (!id || strlen(id) != SESSION_ID_HEX) {
        return 0;
    }
    for (const char *c = id; *c; c++) {
        if (!apr_isdigit(*c) && (*c < 'a' || *c > 'f')) {
            return 0;
        }
    }
    return 1;
}

/* This very session: it ends like a logout, and the logout page says so. */
static int end_this_session(const action *a)
{
    request_rec *r = a->q.r;
    const cfg_dir_config *d = cfg_dir(r);
    web_cookie_clear(r, cfg_cookie_name(d), cfg_cookie_attrs(d));
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  SALOG(0611) "session %.12s of %s ended in the portal from %s (this session)",
                  a->q.session->id_hash, a->q.session->user, web_client_ip(r));
    return web_redirect_see_other(r, cfg_portal_sibling(r->pool, d, CFG_LOGOUT));
}

static int end_one(const action *a)
{
    request_rec *r = a->q.r;
    const char *id = apr_table_get(a->form, "session");
    if (!is_session_id(id)) {
        return web_page_message(r, HTTP_BAD_REQUEST, "bad_request_title", "bad_request_text");
    }
    apr_status_t rv = sa_session_end_of_user(a->q.db, r->pool, a->q.session->user_id, id);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        web_db_log_failure(r, a->q.db, "ending a session");
        return web_page_unavailable(r);
    }
    if (rv == APR_SUCCESS) {
        web_session_cache_forget(r, id);
    }
    if (rv == APR_NOTFOUND) {
        /* already over, or not one of this user's: nothing was ended */
        return web_redirect_see_other(r, portal_url(&a->q, "session_unknown", NULL, "sessions"));
    }
    if (strcmp(id, a->q.session->id_hash) == 0) {
        return end_this_session(a);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  SALOG(0607) "session %.12s of %s ended in the portal from %s", id,
                  a->q.session->user, web_client_ip(r));
    return web_redirect_see_other(r, portal_url(&a->q, "session_ended", NULL, "sessions"));
}

static int end_others(const action *a)
{
    request_rec *r = a->q.r;
    apr_array_header_t *ended = NULL;
    if (sa_session_end_others(a->q.db, r->pool, a->q.session->user_id, a->q.session->id_hash,
                              &ended) != APR_SUCCESS) {
        web_db_log_failure(r, a->q.db, "ending the other sessions");
        return web_page_unavailable(r);
    }
    forget_all(r, ended);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  SALOG(0608) "%d other session%s of %s ended in the portal from %s", ended->nelts,
                  ended->nelts == 1 ? "" : "s", a->q.session->user, web_client_ip(r));
    return web_redirect_see_other(r, portal_url(&a->q, "others_ended", NULL, "sessions"));
}

/* ---- dispatch ---- */

static const char *form_return(const apr_table_t *form)
{
    const char *value = apr_table_get(form, "return");
    if (!value || !*value) {
        return NULL;
    }
    return strcmp(sa_safe_return_path(value), value) == 0 ? value : NULL;
}

int portal_act(const portal_req *q)
{
    request_rec *r = q->r;
    const cfg_dir_config *d = cfg_dir(r);
    action a = {*q, NULL};
    int rc = web_form_read(r, &a.form);
    if (rc != OK) {
        return web_page_message(r, rc, "bad_request_title", "input_too_long");
    }
    if (!web_csrf_valid(r->pool, d->crypto, PORTAL_CSRF_PURPOSE, q->session->id_hash,
                        apr_table_get(a.form, "csrf"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0604) "portal form of %s with a missing or wrong CSRF token refused",
                      q->session->user);
        return web_page_message(r, HTTP_FORBIDDEN, "forbidden_title", "csrf_failed");
    }
    a.q.return_to = form_return(a.form);
    const char *what = apr_table_get(a.form, "action");
    if (what && strcmp(what, "password") == 0) {
        return change_password(&a);
    }
    if (what && strcmp(what, "end_session") == 0) {
        return end_one(&a);
    }
    if (what && strcmp(what, "end_others") == 0) {
        return end_others(&a);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0609) "portal: unknown action refused (400)");
    return web_page_message(r, HTTP_BAD_REQUEST, "bad_request_title", "bad_request_text");
}
