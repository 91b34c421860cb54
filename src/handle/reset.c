/* seances-reset: the page of the mail's link (GET ?token=...) or of its short code typed on
 * another device (user name and code), then the new password (twice, the portal's policy) and,
 * for a user with 2FA, a code of the app or a recovery code before anything changes (SEC-57).
 * The token leaves the URL at once: the forms carry it in a hidden field (SEC-56); every page
 * here is no-store with no Referer. Success ends every session and issues none (SEC-58). */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "util_script.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/html.h"
#include "core/password.h"
#include "core/reset.h"
#include "core/token.h"
#include "handle/handle.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/hashgate.h"
#include "web/mailer.h"
#include "web/page.h"
#include "web/pending.h"
#include "web/presession.h"
#include "web/request.h"
#include "web/sessioncache.h"

APLOG_USE_MODULE(seances_auth);

#define CSRF_PURPOSE "reset"
#define FORGOT_NAME "forgot"
#define FIELD_MAX 256

/* What the browser proves it holds: the link's token, or an account and its mail code. */
typedef struct {
    const char *token;
    const char *username;
    const char *mailcode;
} reset_key;

static const char *sibling(apr_pool_t *p, const char *uri, const char *name)
{
    const char *slash = strrchr(uri, '/');
    return apr_pstrcat(p, slash ? apr_pstrmemdup(p, uri, (apr_size_t)(slash - uri)) : "", "/", name,
                       NULL);
}

static apr_table_t *base_vars(request_rec *r, const char *title_key)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *nonce = web_presession_nonce(r, d);
    apr_table_t *vars = apr_table_make(r->pool, 16);
    apr_table_setn(vars, "title", sa_msg(web_request_lang(r), title_key));
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "forgot_url", sibling(r->pool, r->uri, FORGOT_NAME));
    apr_table_setn(vars, "login_url", cfg_login_url(d));
    if (nonce && d->crypto) {
        apr_table_setn(vars, "csrf", web_csrf_token(r->pool, d->crypto, CSRF_PURPOSE, nonce));
    }
    return vars;
}

static int show_invalid(request_rec *r)
{
    apr_table_t *vars = base_vars(r, "reset_invalid_title");
    apr_table_setn(vars, "invalid", "1");
    return web_page_send(r, HTTP_GONE, "reset.html", vars);
}

static int show_code_form(request_rec *r, const char *username, const char *notice_key)
{
    apr_table_t *vars = base_vars(r, "reset_title");
    apr_table_setn(vars, "ask_code", "1");
    apr_table_setn(vars, "username", username ? username : "");
    if (notice_key) {
        apr_table_setn(vars, "notice", sa_msg(web_request_lang(r), notice_key));
    }
    return web_page_send(r, HTTP_OK, "reset.html", vars);
}

/* The message of a refused password: the policy's key, with its numbers. */
static const char *refusal_text(request_rec *r, const char *key)
{
    apr_table_t *numbers = apr_table_make(r->pool, 2);
    apr_table_setn(numbers, "min", apr_itoa(r->pool, cfg_password_min(cfg_srv(r->server))));
    apr_table_setn(numbers, "max", apr_itoa(r->pool, SA_PASSWORD_MAX_CHARS));
    const char *text_key = !strcmp(key, "pw_too_short")  ? "pw_too_short_min"
                           : !strcmp(key, "pw_too_long") ? "pw_too_long_max"
                                                         : key;
    return sa_template_render(r->pool, sa_msg(web_request_lang(r), text_key), numbers);
}

static int show_password_form(request_rec *r, const reset_key *k, const sa_reset_found *f,
                              const char *error_key, const char *notice_key)
{
    apr_table_t *vars = base_vars(r, "reset_title");
    apr_table_setn(vars, "ask_password", "1");
    apr_table_setn(vars, "account", f->user->name);
    apr_table_setn(vars, "token", k->token ? k->token : "");
    apr_table_setn(vars, "username", k->token ? "" : k->username);
    apr_table_setn(vars, "mailcode", k->token ? "" : k->mailcode);
    apr_table_setn(vars, "min", apr_itoa(r->pool, cfg_password_min(cfg_srv(r->server))));
    if (f->user->totp_enabled) {
        apr_table_setn(vars, "second_factor", "1");
    }
    if (error_key) {
        apr_table_setn(vars, "error", refusal_text(r, error_key));
    }
    if (notice_key) {
        apr_table_setn(vars, "notice", sa_msg(web_request_lang(r), notice_key));
    }
    return web_page_send(r, HTTP_OK, "reset.html", vars);
}

/* ---- finding the token ---- */

typedef struct {
    const reset_key *key;
    apr_pool_t *pool;
    apr_int64_t now;
    sa_reset_found found;
    sa_reset_state state;
} find_op;

static int run_find(sa_db *db, void *ctx)
{
    find_op *op = ctx;
    const reset_key *k = op->key;
    op->state =
        k->token ? sa_reset_find_token(db, op->pool, k->token, op->now, &op->found)
                 : sa_reset_find_code(db, op->pool, k->username, k->mailcode, op->now, &op->found);
    return op->state == SA_RESET_FIND_DB_ERROR;
}

/* 1 and *op filled, or 0 and *rc the page answered (503, or the invalid link's). */
static int find(request_rec *r, sa_db *db, const reset_key *k, find_op *op, int *rc)
{
    op->key = k;
    op->pool = r->pool;
    op->now = apr_time_sec(r->request_time);
    op->state = SA_RESET_FIND_DB_ERROR;
    web_db_run(r, db, run_find, op);
    if (op->state == SA_RESET_FIND_DB_ERROR) {
        web_db_log_failure(r, db, "finding a password reset link");
        *rc = web_page_unavailable(r);
        return 0;
    }
    if (op->state == SA_RESET_DEAD) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0815) "password reset from %s: %s not valid (unknown, used, expired "
                                  "or out of tries)",
                      web_client_ip(r), k->token ? "link" : "code");
        *rc = show_invalid(r);
        return 0;
    }
    return 1;
}

/* ---- setting the password ---- */

typedef struct {
    const sa_reset_completion *c;
    apr_pool_t *pool;
    const char *key, *factor;
    apr_array_header_t *ended;
    sa_reset_result result;
} complete_op;

static int run_complete(sa_db *db, void *ctx)
{
    complete_op *op = ctx;
    op->result = sa_reset_complete(db, op->pool, op->c, &op->key, &op->factor, &op->ended);
    return op->result == SA_RESET_SET_DB_ERROR;
}

static void wipe_fields(apr_table_t *form)
{
    static const char *const secrets[] = {"new", "confirm", "code", "token", "mailcode"};
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
        const char *v = apr_table_get(form, secrets[i]);
        if (v) {
            sa_wipe_str((char *)v);
        }
    }
}

static int done(request_rec *r, sa_db *db, const sa_reset_found *f, const complete_op *op)
{
    for (int i = 0; i < op->ended->nelts; i++) {
        web_session_cache_forget(r, ((const char **)op->ended->elts)[i]);
    }
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                  SALOG(0816) "password of %s reset by e-mail from %s%s; %d session%s ended",
                  f->user->name, web_client_ip(r),
                  op->factor ? (strcmp(op->factor, "recovery") ? " with a TOTP code"
                                                               : " with a recovery code")
                             : "",
                  op->ended->nelts, op->ended->nelts == 1 ? "" : "s");
    if (op->factor && strcmp(op->factor, "recovery") == 0) {
        web_notify(r, db, f->user->id, f->user, SA_NOTICE_RECOVERY_USED);
    }
    web_notify(r, db, f->user->id, f->user, SA_NOTICE_PASSWORD_CHANGED);
    apr_table_t *vars = base_vars(r, "reset_title");
    apr_table_setn(vars, "done", "1");
    return web_page_send(r, HTTP_OK, "reset.html", vars);
}

static int set_password(request_rec *r, sa_db *db, const reset_key *k, const sa_reset_found *f,
                        apr_table_t *form)
{
    const cfg_srv_config *c = cfg_srv(r->server);
    const sa_seal_keys *keys = f->user->totp_enabled ? web_seal_keys(r) : NULL;
    if (f->user->totp_enabled && !keys) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    sa_reset_completion comp = {.found = f,
                                .new_password = apr_table_get(form, "new"),
                                .confirm = apr_table_get(form, "confirm"),
                                .second = apr_table_get(form, "code"),
                                .ip = web_client_ip(r),
                                .user_agent = web_user_agent(r),
                                .now = r->request_time,
                                .argon2 = &c->argon2,
                                .min_length = cfg_password_min(c),
                                .blocklist = c->blocklist,
                                .keys = keys};
    complete_op op = {&comp, r->pool, NULL, NULL, NULL, SA_RESET_SET_DB_ERROR};
    web_hashgate *gate = NULL;
    web_hashgate_result turn = web_hashgate_enter(r, &gate);
    if (turn == WEB_HASHGATE_OK) {
        web_db_run(r, db, run_complete, &op);
    }
    web_hashgate_leave(gate);
    if (turn != WEB_HASHGATE_OK) {
        return web_hashgate_refuse(r, turn);
    }
    switch (op.result) {
    case SA_RESET_DONE:
        return done(r, db, f, &op);
    case SA_RESET_REFUSED:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0817) "password reset of %s from %s refused: %s", f->user->name,
                      web_client_ip(r), op.key);
        return show_password_form(r, k, f, op.key, NULL);
    case SA_RESET_GONE:
        return show_invalid(r);
    default:
        web_db_log_failure(r, db, "setting a password by e-mail");
        return web_page_unavailable(r);
    }
}

/* ---- requests ---- */

static int too_long(const char *s)
{
    return s && strlen(s) > FIELD_MAX;
}

/* A form whose CSRF token had expired comes back with a fresh one and nothing done: the link's
 * password form when the link still holds (looking it up changes nothing), else the code form
 * with the name typed, whose code is not checked here (a check would use up one of its tries). */
static int show_again(request_rec *r, apr_table_t *form)
{
    reset_key k = {apr_table_get(form, "token"), NULL, NULL};
    const char *typed = apr_table_get(form, "username");
    if (!k.token || !*k.token || too_long(k.token)) {
        return show_code_form(r, too_long(typed) ? NULL : typed, "csrf_failed");
    }
    sa_db *db = web_db(r);
    if (!db) {
        return web_page_unavailable(r);
    }
    find_op op;
    int rc = OK;
    return find(r, db, &k, &op, &rc) ? show_password_form(r, &k, &op.found, NULL, "csrf_failed")
                                     : rc;
}

static int handle_post(request_rec *r)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *form = NULL;
    int rc = web_form_read(r, &form);
    if (rc != OK) {
        return web_page_message(r, rc, "bad_request_title", "input_too_long");
    }
    if (!web_presession_csrf_valid(r, d, CSRF_PURPOSE, apr_table_get(form, "csrf"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0818) "reset form with a missing or wrong CSRF token: shown again");
        rc = show_again(r, form);
        wipe_fields(form);
        return rc;
    }
    reset_key k = {apr_table_get(form, "token"), apr_table_get(form, "username"),
                   apr_table_get(form, "mailcode")};
    if (k.token && !*k.token) {
        k.token = NULL;
    }
    if (too_long(k.token) || too_long(k.username) || too_long(k.mailcode) ||
        (!k.token && (!k.username || !k.mailcode))) {
        wipe_fields(form);
        return show_invalid(r);
    }
    sa_db *db = web_db(r);
    if (!db) {
        return web_page_unavailable(r);
    }
    find_op op;
    if (find(r, db, &k, &op, &rc)) {
        /* the code step only proves the mail code: the password form comes next */
        rc = apr_table_get(form, "new") ? set_password(r, db, &k, &op.found, form)
                                        : show_password_form(r, &k, &op.found, NULL, NULL);
    }
    wipe_fields(form);
    return rc;
}

static int handle_get(request_rec *r)
{
    apr_table_t *args = NULL;
    ap_args_to_table(r, &args);
    const char *token = args ? apr_table_get(args, "token") : NULL;
    if (!token) {
        return show_code_form(r, NULL, NULL);
    }
    sa_db *db = web_db(r);
    if (!db) {
        return web_page_unavailable(r);
    }
    reset_key k = {token, NULL, NULL};
    find_op op;
    int rc = OK;
    return find(r, db, &k, &op, &rc) ? show_password_form(r, &k, &op.found, NULL, NULL) : rc;
}

int handle_reset(request_rec *r)
{
    apr_table_setn(r->notes, WEB_NOTE_NO_REFERRER, "1");
    return r->method_number == M_POST ? handle_post(r) : handle_get(r);
}
