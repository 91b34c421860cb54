/* seances-login: the login form (GET) and the password check (POST). */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "util_script.h"
#include "apr_strings.h"

#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/login.h"
#include "core/token.h"
#include "core/validate.h"
#include "web/crypto.h"
#include "web/db.h"
#include "handle/handle.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"
#include "web/sessioncache.h"

APLOG_USE_MODULE(seances_auth);

#define CSRF_NONCE_BYTES 24
#define CSRF_NONCE_MAX 64
#define CSRF_PURPOSE "login"
#define FORGOT_URL "/forgot"

/* The pre-session: a random nonce in its own cookie, which the form's token is bound to, so
 * that a login form cannot be posted from another site or with another browser's token. */
static const char *csrf_cookie(request_rec *r, const cfg_dir_config *d)
{
    return apr_pstrcat(r->pool, cfg_cookie_name(d), "_csrf", NULL);
}

/* Lax, not Strict: a login page reached from a link in another site must not replace the
 * nonce of a form that is already open in another tab. Secure whenever the session cookie is. */
static const char *csrf_cookie_attrs(const cfg_dir_config *d)
{
    return ap_strcasestr(cfg_cookie_attrs(d), "secure") ? "Path=/; HttpOnly; SameSite=Lax; Secure"
                                                        : "Path=/; HttpOnly; SameSite=Lax";
}

static const char *csrf_nonce(request_rec *r, const cfg_dir_config *d)
{
    const char *nonce = web_cookie_get(r, csrf_cookie(r, d));
    if (nonce && *nonce && strlen(nonce) <= CSRF_NONCE_MAX) {
        return nonce;
    }
    nonce = sa_token_new(r->pool, CSRF_NONCE_BYTES);
    if (nonce) {
        web_cookie_set(r, csrf_cookie(r, d), nonce, -1, csrf_cookie_attrs(d));
    }
    return nonce;
}

static int show_form(request_rec *r, int status, const char *return_to, const char *username,
                     const char *error_key)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *nonce = csrf_nonce(r, d);
    if (!nonce || !d->crypto) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0106) "the login form needs " CFG_CRYPTO_PASSPHRASE
                                  " (and a working CSPRNG)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_table_t *vars = apr_table_make(r->pool, 16);
    sa_lang lang = web_request_lang(r);
    apr_table_setn(vars, "title", sa_msg(lang, "login_title"));
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "return", sa_safe_return_path(return_to));
    apr_table_setn(vars, "csrf", web_csrf_token(r->pool, d->crypto, CSRF_PURPOSE, nonce));
    apr_table_setn(vars, "username", username ? username : "");
    apr_table_setn(vars, "forgot_url", FORGOT_URL);
    if (cfg_remember(d) > 0) {
        apr_table_setn(vars, "remember_enabled", "1");
    }
    if (error_key) {
        apr_table_setn(vars, "error", sa_msg(lang, error_key));
    }
    /* after a failure the name is filled in: the password is what to type next */
    apr_table_setn(vars, username && *username ? "focus_password" : "focus_username", "1");
    return web_page_send(r, status, "login.html", vars);
}

static const char *query_arg(request_rec *r, const char *name)
{
    apr_table_t *args = NULL;
    ap_args_to_table(r, &args);
    return args ? apr_table_get(args, name) : NULL;
}

static const char *loggable_name(const char *name)
{
    return sa_validate_username(name) ? "(invalid user name)" : name;
}

static void set_login_cookie(request_rec *r, const cfg_dir_config *d, const char *value,
                             const sa_session_info *info)
{
    apr_int64_t max_age = info->remember ? info->expires - apr_time_sec(r->request_time) : -1;
    web_cookie_set(r, cfg_cookie_name(d), value, max_age, cfg_cookie_attrs(d));
    web_cookie_set(r, csrf_cookie(r, d), "", 0, csrf_cookie_attrs(d));
}

/* The old session of this browser, if any, ends: every login gets a new id. */
static void end_previous_session(request_rec *r, sa_db *db)
{
    const sa_session_info *old = NULL;
    if (web_session_resolve(r, NULL, &old) == WEB_SESSION_LIVE) {
        sa_session_end(db, r->pool, old->id_hash);
        web_session_cache_forget(r, old->id_hash);
    }
}

static int start_session(request_rec *r, sa_db *db, const sa_user *user, int remember,
                         const char *return_to)
{
    const cfg_dir_config *d = cfg_dir(r);
    sa_crypto *crypto = web_crypto_for(r, d->crypto, NULL);
    sa_session_policy policy;
    sa_session_info info;
    const char *value;
    if (!crypto) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    cfg_session_policy(d, &policy);
    end_previous_session(r, db);
    if (sa_session_start(db, crypto, r->pool, &policy, user, remember, SA_LEVEL_PASSWORD,
                         web_client_ip(r), web_user_agent(r), r->request_time, &value,
                         &info) != APR_SUCCESS) {
        web_db_log_failure(r, db, "starting a session");
        return web_page_unavailable(r);
    }
    set_login_cookie(r, d, value, &info);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0102) "login of %s from %s%s", user->name,
                  web_client_ip(r), info.remember ? " (remembered)" : "");
    return web_redirect_see_other(r, sa_safe_return_path(return_to));
}

typedef struct {
    apr_pool_t *pool;
    const sa_login_attempt *attempt;
    sa_user *user;
    const char *detail;
    sa_login_result result;
} password_op;

static int run_password_step(sa_db *db, void *ctx)
{
    password_op *op = ctx;
    op->result = sa_login_password(db, op->pool, op->attempt, &op->user, &op->detail);
    return op->result == SA_LOGIN_DB_ERROR;
}

static int check_password(request_rec *r, sa_db *db, apr_table_t *form, const char *return_to)
{
    const cfg_srv_config *s = cfg_srv(r->server);
    const char *username = apr_table_get(form, "username");
    sa_lockout lockout;
    cfg_lockout(s, &lockout);
    sa_login_attempt attempt = {username,         apr_table_get(form, "password"),
                                web_client_ip(r), web_user_agent(r),
                                r->request_time,  &lockout,
                                &s->argon2};
    password_op op = {r->pool, &attempt, NULL, "", SA_LOGIN_DB_ERROR};
    web_db_run(r, db, run_password_step, &op);
    sa_wipe_str((char *)attempt.password);
    switch (op.result) {
    case SA_LOGIN_OK:
        return start_session(r, db, op.user, apr_table_get(form, "remember") != NULL, return_to);
    case SA_LOGIN_DB_ERROR:
        web_db_log_failure(r, db, "checking a password");
        return web_page_unavailable(r);
    default:
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, SALOG(0101) "login failed for %s from %s: %s",
                      loggable_name(username), web_client_ip(r), op.detail);
        return show_form(r, HTTP_OK, return_to, username, "login_failed");
    }
}

static int handle_post(request_rec *r)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *form = NULL;
    int rc = web_form_read(r, &form);
    if (rc != OK) {
        return web_page_message(r, rc, "bad_request_title", "input_too_long");
    }
    const char *return_to = apr_table_get(form, "return");
    const char *username = apr_table_get(form, "username");
    const char *password = apr_table_get(form, "password");
    if (!d->crypto ||
        !web_csrf_valid(r->pool, d->crypto, CSRF_PURPOSE, web_cookie_get(r, csrf_cookie(r, d)),
                        apr_table_get(form, "csrf"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0103) "login form with a missing or wrong CSRF "
                                  "token refused");
        return web_page_message(r, HTTP_FORBIDDEN, "forbidden_title", "csrf_failed");
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
    if (r->method_number == M_POST) {
        return handle_post(r);
    }
    return show_form(r, HTTP_OK, query_arg(r, "return"), NULL, NULL);
}
