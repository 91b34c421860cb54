/* seances-forgot: "Mot de passe oublié". The form asks for a user name or an e-mail address;
 * the answer is one page, whatever the account (SEC-51): the mail is composed here but sent
 * by the mail thread of the process, so the answer never waits for the SMTP server, and the
 * database work is the same for every outcome (core/reset.c). The link comes from
 * SeancesBaseURL only, never from the request's Host (SEC-53), and goes to the address stored
 * for the account, whatever else the form holds (SEC-54). */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/reset.h"
#include "core/validate.h"
#include "handle/handle.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/mailer.h"
#include "web/metrics.h"
#include "web/page.h"
#include "web/presession.h"
#include "web/request.h"

APLOG_USE_MODULE(seances_auth);

#define CSRF_PURPOSE "forgot"
#define RESET_NAME "reset"

/* "/forgot" -> "/reset", "/x/forgot" -> "/x/reset": the reset page sits next to this one. */
static const char *sibling(apr_pool_t *p, const char *uri, const char *name)
{
    const char *slash = strrchr(uri, '/');
    return apr_pstrcat(p, slash ? apr_pstrmemdup(p, uri, (apr_size_t)(slash - uri)) : "", "/", name,
                       NULL);
}

/* The form, or its "sent" confirmation; typed and notice_key re-show a form whose token had
 * expired, with what was typed and why it is shown again. */
static int show_form(request_rec *r, int sent, const char *typed, const char *notice_key)
{
    const cfg_dir_config *d = cfg_dir(r);
    const char *nonce = web_presession_nonce(r, d);
    if (!nonce || !d->crypto) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0811) "the forgot page needs " CFG_CRYPTO_PASSPHRASE
                                  " (and a working CSPRNG)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_table_t *vars = apr_table_make(r->pool, 12);
    sa_lang lang = web_request_lang(r);
    apr_table_setn(vars, "title", sa_msg(lang, "forgot_title"));
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "csrf", web_csrf_token(r->pool, d->crypto, CSRF_PURPOSE, nonce));
    apr_table_setn(vars, "reset_url", sibling(r->pool, r->uri, RESET_NAME));
    apr_table_setn(vars, "login_url", cfg_login_url(d));
    if (sent) {
        apr_table_setn(vars, "sent", "1");
    }
    if (typed && strlen(typed) <= SA_USERNAME_MAX) {
        apr_table_setn(vars, "username", typed);
    }
    if (notice_key) {
        apr_table_setn(vars, "notice", sa_msg(lang, notice_key));
    }
    return web_page_send(r, HTTP_OK, "forgot.html", vars);
}

static const char *outcome_text(sa_reset_outcome o)
{
    switch (o) {
    case SA_RESET_ISSUED:
        return "mail queued";
    case SA_RESET_UNKNOWN:
        return "no such account: no mail";
    case SA_RESET_AMBIGUOUS:
        return "an address shared by several accounts: no mail";
    case SA_RESET_DISABLED:
        return "account disabled: no mail";
    case SA_RESET_NO_EMAIL:
        return "the account has no e-mail address: no mail";
    case SA_RESET_THROTTLED:
        return "too many requests for the account or from the address: no mail";
    default:
        return "database error";
    }
}

/* The mail of an issued token: link and code, from SeancesBaseURL only. */
static void mail_token(request_rec *r, const sa_reset_issue *is)
{
    const cfg_srv_config *c = cfg_srv(r->server);
    if (!c->base_url) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0812) "password reset for account %" APR_INT64_T_FMT
                                  ": no mail sent, because " CFG_BASE_URL
                                  " is not set (links are never built from the "
                                  "request's Host)",
                      (apr_int64_t)is->user->id);
        return;
    }
    const char *page =
        apr_pstrcat(r->pool, c->base_url, sibling(r->pool, r->uri, RESET_NAME), NULL);
    sa_notice n = {.kind = SA_NOTICE_RESET,
                   .link = apr_pstrcat(r->pool, page, "?token=", is->token, NULL),
                   .code = apr_psprintf(r->pool, "%.4s %s", is->code, is->code + 4),
                   .code_page = page,
                   .valid_minutes = (int)(cfg_reset_expiry(c) / 60)};
    if (web_mail_notice(r, is->user, &n)) {
        web_metrics_inc(WEB_METRIC_RESETS_SENT);
    }
}

typedef struct {
    const sa_reset_request *rq;
    apr_pool_t *pool;
    sa_reset_issue issue;
    sa_reset_outcome outcome;
} request_op;

static int run_request(sa_db *db, void *ctx)
{
    request_op *op = ctx;
    op->outcome = sa_reset_request_token(db, op->pool, op->rq, &op->issue);
    return op->outcome == SA_RESET_DB_ERROR;
}

static int ask(request_rec *r, const char *typed)
{
    const cfg_srv_config *c = cfg_srv(r->server);
    sa_reset_limits limits;
    cfg_reset_limits(c, &limits.account, &limits.address, &limits.window);
    sa_reset_request rq = {typed,           web_client_ip(r),    web_user_agent(r),
                           r->request_time, cfg_reset_expiry(c), &limits};
    request_op op = {&rq, r->pool, {0}, SA_RESET_DB_ERROR};
    sa_db *db = web_db(r);
    if (!db) {
        return web_page_unavailable(r);
    }
    web_db_run(r, db, run_request, &op);
    if (op.outcome == SA_RESET_DB_ERROR) {
        web_db_log_failure(r, db, "asking for a password reset");
        return web_page_unavailable(r);
    }
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                  SALOG(0813) "password reset asked for %s from %s: %s",
                  sa_validate_username(typed) ? "(invalid name)" : typed, web_client_ip(r),
                  outcome_text(op.outcome));
    if (op.outcome == SA_RESET_ISSUED) {
        mail_token(r, &op.issue);
    }
    return show_form(r, 1, NULL, NULL);
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
                      SALOG(0814) "forgot form with a missing or wrong CSRF token: shown again");
        /* nothing was asked: the form comes back with a fresh token and the name typed */
        return show_form(r, 0, apr_table_get(form, "username"), "csrf_failed");
    }
    /* only the first "username" counts (web_form_read); any other field is ignored */
    const char *typed = apr_table_get(form, "username");
    if (!typed || !*typed || strlen(typed) > SA_USERNAME_MAX) {
        return show_form(r, 0, NULL, NULL);
    }
    return ask(r, typed);
}

int handle_forgot(request_rec *r)
{
    apr_table_setn(r->notes, WEB_NOTE_NO_REFERRER, "1");
    return r->method_number == M_POST ? handle_post(r) : show_form(r, 0, NULL, NULL);
}
