/* seances-login: the login form (GET) and the password check (POST), then the second step
 * when the account has 2FA: the code form (GET with a pending login) and its check (POST with
 * a "code" field). The states are core/login.h's; this file only shows and routes them. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "util_script.h"
#include "apr_strings.h"

#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/csrf.h"
#include "core/html.h"
#include "core/login.h"
#include "core/token.h"
#include "core/validate.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/hashgate.h"
#include "web/mailer.h"
#include "web/metrics.h"
#include "handle/handle.h"
#include "web/page.h"
#include "web/pending.h"
#include "web/presession.h"
#include "web/request.h"
#include "web/session.h"

APLOG_USE_MODULE(seances_auth);

#define CSRF_PURPOSE "login"
/* how long a login form stays good: past it, the form comes back with a notice (SEC-19) */
#define CSRF_LOGIN_MAX_AGE 3600
#define CSRF_PURPOSE_CODE "login-code"
#define FORGOT_URL "/forgot"

static const char *query_arg(request_rec *r, const char *name)
{
    apr_table_t *args = NULL;
    ap_args_to_table(r, &args);
    return args ? apr_table_get(args, name) : NULL;
}

/* Reached as the error page of a refusal (Require seances-level 2): keep its status. */
static int page_status(request_rec *r, int status)
{
    return r->prev && r->prev->status >= 400 && status == HTTP_OK ? r->prev->status : status;
}

/* "30 jours ; pas sur un ordinateur partagé", with the configured duration. */
static const char *remember_hint(request_rec *r, sa_lang lang, apr_interval_time_t remember)
{
    apr_table_t *vars = apr_table_make(r->pool, 1);
    apr_int64_t days = (apr_int64_t)apr_time_sec(remember) / 86400;
    apr_table_setn(vars, "days", apr_psprintf(r->pool, "%" APR_INT64_T_FMT, days > 0 ? days : 1));
    return sa_template_render(r->pool, sa_msg(lang, "remember_hint"), vars);
}

/* The login form's variables (also below the signed-in state: "another account"). The
 * CSRF token is bound to this browser's nonce and to now. 0, or 500 without crypto. */
static int form_vars(request_rec *r, apr_table_t *vars, const char *return_to, const char *username,
                     const char *error_key)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *nonce = web_presession_nonce(r, d);
    if (!nonce) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0106) "the login form needs " CFG_CRYPTO_PASSPHRASE
                                  " (and a working CSPRNG)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    sa_lang lang = web_request_lang(r);
    apr_table_setn(vars, "title", sa_msg(lang, "login_title"));
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "return", sa_safe_return_path(return_to));
    apr_table_setn(vars, "csrf",
                   sa_csrf_token(r->pool, d->crypto->csrf_key, sizeof(d->crypto->csrf_key),
                                 CSRF_PURPOSE, nonce, r->request_time));
    apr_table_setn(vars, "username", username ? username : "");
    apr_table_setn(vars, "forgot_url", FORGOT_URL);
    if (cfg_remember(d) > 0) {
        apr_table_setn(vars, "remember_enabled", "1");
        apr_table_setn(vars, "remember_hint", remember_hint(r, lang, cfg_remember(d)));
    }
    if (error_key && strcmp(error_key, "csrf_expired") == 0) {
        apr_table_setn(vars, "notice", sa_msg(lang, error_key));
    } else if (error_key) {
        apr_table_setn(vars, "error", sa_msg(lang, error_key));
    }
    return OK;
}

static int show_form(request_rec *r, int status, const char *return_to, const char *username,
                     const char *error_key)
{
    apr_table_t *vars = apr_table_make(r->pool, 16);
    int rc = form_vars(r, vars, return_to, username, error_key);
    if (rc != OK) {
        return rc;
    }
    if (!error_key && query_arg(r, "level")) {
        apr_table_setn(vars, "error", sa_msg(web_request_lang(r), "level2_needed"));
    }
    /* after a failure the name is filled in: the password is what to type next */
    apr_table_setn(vars, username && *username ? "focus_password" : "focus_username", "1");
    return web_page_send(r, page_status(r, status), "login.html", vars);
}

static const char *loggable_name(const char *name)
{
    return sa_validate_username(name) ? "(invalid user name)" : name;
}

/* The answer to a login that ends in a session: info is the session web_session_begin
 * started, or NULL to start it here (the code step). */
static int start_session(request_rec *r, sa_db *db, const sa_user *user, int remember, int level,
                         const char *return_to, const sa_session_info *info)
{
    const cfg_dir_config *d = cfg_dir(r);
    int rc = info ? OK : web_session_begin(r, db, user, remember, level, &info);
    if (rc != OK) {
        return rc == HTTP_SERVICE_UNAVAILABLE ? web_page_unavailable(r) : rc;
    }
    web_cookie_set(r, web_presession_cookie(r, d), "", 0, web_presession_cookie_attrs(d));
    web_pending_clear(r);
    web_notify_login(r, db, user);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0102) "login of %s from %s%s%s", user->name,
                  web_client_ip(r), info->remember ? " (remembered)" : "",
                  level >= SA_LEVEL_TOTP ? " (two factors)" : "");
    return web_redirect_see_other(r, sa_safe_return_path(return_to));
}

typedef struct {
    apr_pool_t *pool;
    const sa_login_attempt *attempt;
    sa_login_outcome outcome;
    sa_login_result result;
} password_op;

static int run_password_step(sa_db *db, void *ctx)
{
    password_op *op = ctx;
    op->result = sa_login_password(db, op->pool, op->attempt, &op->outcome);
    return op->result == SA_LOGIN_DB_ERROR;
}

/* What a right password starts, written in the password step's transaction (sa_login_attempt's
 * finish): the session, or the pending login of a second step. The answer comes after the
 * commit (finish_answer). */
typedef struct {
    request_rec *r;
    int remember;
    const char *return_to;
    const sa_session_info *session; /* started */
    const char *pending;            /* the pending login's cookie value */
    int rc;                         /* not OK: how to answer instead */
} login_finish;

/* A rolled-back attempt, or one retried after its connection healed, keeps no cookie that
 * an earlier try of it set. */
static void drop_new_cookies(request_rec *r)
{
    apr_table_unset(r->headers_out, "Set-Cookie");
    apr_table_unset(r->err_headers_out, "Set-Cookie");
}

static apr_status_t finish_login(sa_db *db, void *ctx, const sa_login_outcome *o)
{
    login_finish *f = ctx;
    request_rec *r = f->r;
    drop_new_cookies(r);
    f->session = NULL;
    f->pending = NULL;
    if (o->state == SA_LOGIN_DONE) {
        f->rc = web_session_begin(r, db, o->user, f->remember, o->level, &f->session);
        return f->rc == OK ? APR_SUCCESS : APR_EGENERAL;
    }
    sa_crypto *crypto = web_crypto_for(r, cfg_dir(r)->crypto, NULL);
    if (!crypto) {
        f->rc = HTTP_INTERNAL_SERVER_ERROR;
        return APR_EGENERAL;
    }
    f->rc = OK;
    return sa_login_pending_start(db, crypto, r->pool, o->user, o->state, f->remember,
                                  sa_safe_return_path(f->return_to), r->request_time, &f->pending);
}

/* A right password with a second step owed: a pending login, then the code form (303 here)
 * or the enrolment that SeancesTwoFactor required asks for. */
static int start_pending(request_rec *r, const sa_login_outcome *o, const char *value)
{
    const cfg_dir_config *d = cfg_dir(r);
    web_pending_set(r, value,
                    o->state == SA_LOGIN_NEEDS_ENROLMENT ? SA_LOGIN_ENROL_LIFETIME
                                                         : SA_LOGIN_PENDING_LIFETIME);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0701) "password of %s from %s right; %s",
                  o->user->name, web_client_ip(r),
                  o->state == SA_LOGIN_NEEDS_ENROLMENT ? "2FA enrolment required" : "code asked");
    return web_redirect_see_other(r, o->state == SA_LOGIN_NEEDS_ENROLMENT ? cfg_twofactor_url(d)
                                                                          : r->uri);
}

static int password_failed(request_rec *r, const sa_db *db, const login_finish *f)
{
    drop_new_cookies(r);
    if (f->rc != OK && f->rc != HTTP_SERVICE_UNAVAILABLE) {
        return f->rc;
    }
    web_metrics_inc(WEB_METRIC_LOGIN_UNAVAILABLE);
    web_db_log_failure(r, db, "checking a password");
    return web_page_unavailable(r);
}

/* The password step waits for its turn among the password checks of this process
 * (SeancesHashConcurrency, web/hashgate.c). */
static int check_password(request_rec *r, sa_db *db, apr_table_t *form, const char *return_to)
{
    const cfg_srv_config *s = cfg_srv(r->server);
    const char *username = apr_table_get(form, "username");
    sa_lockout lockout;
    cfg_lockout(s, &lockout);
    login_finish finish = {r, apr_table_get(form, "remember") != NULL, return_to, NULL, NULL, OK};
    sa_login_attempt attempt = {.username = username,
                                .password = apr_table_get(form, "password"),
                                .ip = web_client_ip(r),
                                .user_agent = web_user_agent(r),
                                .now = r->request_time,
                                .lockout = &lockout,
                                .argon2 = &s->argon2,
                                .policy = (sa_twofactor_policy)cfg_twofactor(cfg_dir(r)),
                                .finish = finish_login,
                                .finish_ctx = &finish};
    password_op op = {r->pool, &attempt, {0}, SA_LOGIN_DB_ERROR};
    web_hashgate *gate = NULL;
    web_hashgate_result turn = web_hashgate_enter(r, &gate);
    if (turn == WEB_HASHGATE_OK) {
        web_db_run(r, db, run_password_step, &op);
    }
    web_hashgate_leave(gate);
    sa_wipe_str((char *)attempt.password);
    if (turn != WEB_HASHGATE_OK) {
        return web_hashgate_refuse(r, turn);
    }
    switch (op.result) {
    case SA_LOGIN_OK:
        web_metrics_inc(WEB_METRIC_LOGIN_OK);
        if (op.outcome.state != SA_LOGIN_DONE) {
            return start_pending(r, &op.outcome, finish.pending);
        }
        return start_session(r, db, op.outcome.user, finish.remember, op.outcome.level, return_to,
                             finish.session);
    case SA_LOGIN_DB_ERROR:
        return password_failed(r, db, &finish);
    default:
        web_metrics_inc(op.result == SA_LOGIN_THROTTLED ? WEB_METRIC_LOGIN_THROTTLED
                                                        : WEB_METRIC_LOGIN_FAILED);
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, SALOG(0101) "login failed for %s from %s: %s",
                      loggable_name(username), web_client_ip(r), op.outcome.detail);
        return show_form(r, HTTP_OK, return_to, username, "login_failed");
    }
}

/* ---- the second step: the code of a pending login ---- */

static int show_code_form(request_rec *r, int status, const sa_login_pending *pending,
                          const char *error_key)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *vars = apr_table_make(r->pool, 16);
    sa_lang lang = web_request_lang(r);
    apr_table_setn(vars, "title", sa_msg(lang, "code_title"));
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "csrf",
                   web_csrf_token(r->pool, d->crypto, CSRF_PURPOSE_CODE, pending->id_hash));
    apr_table_setn(vars, "recovery_url", apr_pstrcat(r->pool, r->uri, "?recovery=1", NULL));
    apr_table_setn(vars, "app_url", r->uri);
    apr_table_setn(vars, "cancel_url", apr_pstrcat(r->pool, r->uri, "?cancel=1", NULL));
    if (query_arg(r, "recovery")) {
        apr_table_setn(vars, "recovery", "1");
    }
    if (error_key) {
        apr_table_setn(vars, "error", sa_msg(lang, error_key));
    }
    return web_page_send(r, status, "login_code.html", vars);
}

typedef struct {
    apr_pool_t *pool;
    const sa_code_attempt *attempt;
    sa_login_outcome outcome;
    sa_login_result result;
} code_op;

static int run_code_step(sa_db *db, void *ctx)
{
    code_op *op = ctx;
    op->result = sa_login_code(db, op->pool, op->attempt, &op->outcome);
    return op->result == SA_LOGIN_DB_ERROR;
}

static void log_code_result(request_rec *r, const sa_login_pending *pending, const code_op *op)
{
    if (op->result == SA_LOGIN_OK && strcmp(op->outcome.factor, "recovery") == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      SALOG(0702) "recovery code used by %s from %s to log in", pending->user,
                      web_client_ip(r));
    } else if (op->result != SA_LOGIN_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      SALOG(0107) "second factor failed for %s from %s: %s", pending->user,
                      web_client_ip(r), op->outcome.detail);
    }
    if (op->outcome.detail && strcmp(op->outcome.detail, "unreadable_secret") == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0703) "the TOTP secret of %s does not open with the configured "
                                  "passphrases (was one removed?): a recovery code or "
                                  "seances-admin 2fa reset NAME",
                      pending->user);
    }
}

static int check_code(request_rec *r, sa_db *db, const sa_login_pending *pending, const char *code)
{
    const cfg_srv_config *s = cfg_srv(r->server);
    const sa_seal_keys *keys = web_seal_keys(r);
    sa_lockout lockout;
    cfg_lockout(s, &lockout);
    if (!keys) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    sa_code_attempt attempt = {pending,  code, web_client_ip(r), web_user_agent(r), r->request_time,
                               &lockout, keys};
    code_op op = {r->pool, &attempt, {0}, SA_LOGIN_DB_ERROR};
    web_db_run(r, db, run_code_step, &op);
    log_code_result(r, pending, &op);
    switch (op.result) {
    case SA_LOGIN_OK:
        if (strcmp(op.outcome.factor, "recovery") == 0) {
            web_notify(r, db, op.outcome.user->id, op.outcome.user, SA_NOTICE_RECOVERY_USED);
        }
        return start_session(r, db, op.outcome.user, pending->remember, op.outcome.level,
                             pending->return_to, NULL);
    case SA_LOGIN_DB_ERROR:
        web_db_log_failure(r, db, "checking a code");
        return web_page_unavailable(r);
    case SA_LOGIN_RESTART:
        web_pending_clear(r);
        return show_form(r, HTTP_OK, pending->return_to, pending->user, "code_expired");
    default:
        return show_code_form(r, HTTP_OK, pending, "code_failed");
    }
}

/* POST with a "code": the pending login of this browser, its CSRF token, then the check. */
static int handle_code_post(request_rec *r, apr_table_t *form)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *code = apr_table_get(form, "code");
    sa_login_pending pending;
    sa_db *db = web_db(r);
    if (!db) {
        return web_page_unavailable(r);
    }
    switch (web_pending_resolve(r, db, &pending)) {
    case WEB_SESSION_LIVE:
        break;
    case WEB_SESSION_DB_DOWN:
        return web_page_unavailable(r);
    default:
        web_pending_clear(r);
        return show_form(r, HTTP_OK, NULL, NULL, "code_expired");
    }
    if (pending.state != SA_LOGIN_NEEDS_CODE) {
        return web_page_status(r, HTTP_FORBIDDEN);
    }
    if (!web_csrf_valid(r->pool, d->crypto, CSRF_PURPOSE_CODE, pending.id_hash,
                        apr_table_get(form, "csrf"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0108) "code form with a missing or wrong CSRF token refused");
        return show_code_form(r, HTTP_OK, &pending, "csrf_failed");
    }
    if (strlen(code) > 64) {
        return show_code_form(r, HTTP_BAD_REQUEST, &pending, "input_too_long");
    }
    return check_code(r, db, &pending, code);
}

/* GET while signed in: who, the way on, and the way out (a POST with the session's token),
 * never an empty form (issue 10). */
static int show_signed_in(request_rec *r, const sa_session_info *s)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *return_to = query_arg(r, "return");
    apr_table_t *vars = apr_table_make(r->pool, 24);
    /* below it, the form for another account: a login replaces the session (SEC-34) */
    int rc = form_vars(r, vars, return_to, NULL, NULL);
    if (rc != OK) {
        return rc;
    }
    apr_table_setn(vars, "title", sa_msg(web_request_lang(r), "signed_in_title"));
    apr_table_setn(vars, "user", s->user);
    apr_table_setn(vars, "continue_url", sa_safe_return_path(return_to));
    apr_table_setn(vars, "logout_url", cfg_portal_sibling(r->pool, d, CFG_LOGOUT));
    apr_table_setn(vars, "logout_csrf",
                   web_csrf_token(r->pool, d->crypto, WEB_CSRF_LOGOUT, s->id_hash));
    apr_table_setn(vars, "portal_url", cfg_portal_url(d));
    return web_page_send(r, HTTP_OK, "login_signed_in.html", vars);
}

/* The signed-in state applies to a plain GET of the form: not to the error page of a refusal
 * (which asks for more: a second factor), nor when the form asks for the second level. */
static int signed_in_state(request_rec *r, int *rc)
{
    const sa_session_info *s = NULL;
    if (r->prev || query_arg(r, "level") || !cfg_dir(r)->crypto ||
        !web_cookie_get(r, cfg_cookie_name(cfg_dir(r)))) {
        return 0;
    }
    web_session_state state = web_session_resolve(r, NULL, &s);
    if (state == WEB_SESSION_DB_DOWN) {
        *rc = web_page_unavailable(r);
        return 1;
    }
    if (state != WEB_SESSION_LIVE) {
        return 0;
    }
    *rc = show_signed_in(r, s);
    return 1;
}

/* GET with a pending login: its code form; ?cancel=1 drops it for the password form. */
static int show_pending_or_form(request_rec *r)
{
    sa_login_pending pending;
    int rc = OK;
    if (signed_in_state(r, &rc)) {
        return rc;
    }
    if (!web_pending_sent(r) || !cfg_dir(r)->crypto) {
        return show_form(r, HTTP_OK, query_arg(r, "return"), NULL, NULL);
    }
    sa_db *db = web_db(r);
    web_session_state state = db ? web_pending_resolve(r, db, &pending) : WEB_SESSION_DB_DOWN;
    if (state == WEB_SESSION_DB_DOWN) {
        return web_page_unavailable(r);
    }
    if (state == WEB_SESSION_LIVE && query_arg(r, "cancel")) {
        sa_login_pending_finish(db, r->pool, &pending);
    }
    if (state != WEB_SESSION_LIVE || pending.state != SA_LOGIN_NEEDS_CODE ||
        query_arg(r, "cancel")) {
        web_pending_clear(r);
        return show_form(r, HTTP_OK, query_arg(r, "return"), NULL, NULL);
    }
    return show_code_form(r, HTTP_OK, &pending, NULL);
}

/* The posted token must be bound to this browser's nonce, which must be one of ours. */
static sa_csrf_result login_csrf_check(request_rec *r, const cfg_dir_config *d, const char *posted)
{
    const char *nonce = web_presession_sent(r, d);
    if (!nonce) {
        return SA_CSRF_BAD;
    }
    return sa_csrf_check(r->pool, d->crypto->csrf_key, sizeof(d->crypto->csrf_key), CSRF_PURPOSE,
                         nonce, posted, r->request_time, CSRF_LOGIN_MAX_AGE);
}

static int handle_post(request_rec *r)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *form = NULL;
    int rc = web_form_read(r, &form);
    if (rc != OK) {
        return web_page_status(r, rc);
    }
    if (apr_table_get(form, "code") && !apr_table_get(form, "password")) {
        return handle_code_post(r, form);
    }
    const char *return_to = apr_table_get(form, "return");
    const char *username = apr_table_get(form, "username");
    const char *password = apr_table_get(form, "password");
    sa_csrf_result csrf = login_csrf_check(r, d, apr_table_get(form, "csrf"));
    if (csrf != SA_CSRF_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0103) "login form with a %s CSRF token refused: shown again",
                      csrf == SA_CSRF_EXPIRED ? "stale" : "missing or wrong");
        /* the name and the return target stay; the password is asked again (issue 10) */
        return show_form(r, HTTP_OK, return_to, username, "csrf_expired");
    }
    if (!username || !*username || !password) {
        return show_form(r, HTTP_OK, return_to, username, "login_failed");
    }
    if (strlen(username) > SA_USERNAME_MAX || strlen(password) > SA_PASSWORD_MAX_BYTES) {
        return show_form(r, HTTP_BAD_REQUEST, return_to, NULL, "input_too_long");
    }
    sa_db *db = web_db(r);
    if (!db) {
        return web_page_unavailable(r);
    }
    return check_password(r, db, form, return_to);
}

int handle_login(request_rec *r)
{
    if (web_page_beyond(r, cfg_login_url(cfg_dir(r)))) {
        return web_page_status(r, HTTP_NOT_FOUND);
    }
    if (r->method_number == M_POST) {
        return handle_post(r);
    }
    return show_pending_or_form(r);
}
