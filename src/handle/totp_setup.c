/* seances-2fa-setup: turning two-factor authentication on (the QR code at <page>/qr.png, the
 * same secret as text and as an otpauth:// link, "Code de confirmation", "Vérifier et
 * activer", then the recovery codes, shown once), and for a user who has it: new recovery
 * codes or turning it off, each after a fresh code. Reached with a session, or right after
 * the password when SeancesTwoFactor required forces the enrolment (a pending login, which
 * opens nothing but this page). With SeancesTwoFactor off the page only says so. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "cfg/logno.h"
#include "core/base32.h"
#include "core/html.h"
#include "core/qr.h"
#include "core/totp.h"
#include "core/twofactor.h"
#include "core/validate.h"
#include "store/totp.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/mailer.h"
#include "web/metrics.h"
#include "handle/handle.h"
#include "web/page.h"
#include "web/pending.h"
#include "web/request.h"
#include "web/session.h"

APLOG_USE_MODULE(seances_auth);

#define CSRF_PURPOSE "2fa-setup"
#define QR_SUFFIX "/qr.png"

/* Who is at the page. */
typedef struct {
    sa_db *db;
    sa_user *user;
    const sa_session_info *session; /* NULL in a forced enrolment */
    sa_login_pending pending;       /* the forced enrolment's pending login */
    int forced;
    const char *subject; /* what the page's CSRF tokens are bound to */
    const sa_seal_keys *keys;
} enroller;

static int is_qr_request(request_rec *r)
{
    size_t n = strlen(r->uri), k = sizeof(QR_SUFFIX) - 1;
    return n > k && strcmp(r->uri + n - k, QR_SUFFIX) == 0;
}

static const char *page_url(request_rec *r)
{
    return is_qr_request(r) ? apr_pstrndup(r->pool, r->uri, strlen(r->uri) - sizeof(QR_SUFFIX) + 1)
                            : r->uri;
}

/* The account behind a session or a pending login: still there, the same and enabled. */
static int load_user(enroller *e, apr_pool_t *p, const char *name, apr_int64_t id)
{
    sa_user *u = NULL;
    apr_status_t rv = sa_store_user_by_name(e->db, p, name, &u);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return -1;
    }
    if (rv == APR_NOTFOUND || u->id != id || u->disabled) {
        return 0;
    }
    e->user = u;
    return 1;
}

/* WEB_SESSION_LIVE when someone may be here, ABSENT when nobody, DB_DOWN (logged). */
static web_session_state find_enroller(request_rec *r, enroller *e)
{
    memset(e, 0, sizeof(*e));
    web_session_state st = web_session_resolve(r, &e->db, &e->session);
    if (st == WEB_SESSION_DB_DOWN) {
        return st;
    }
    if (!e->db) {
        e->db = web_db(r);
    }
    if (!e->db) {
        return WEB_SESSION_DB_DOWN;
    }
    if (st == WEB_SESSION_LIVE) {
        e->subject = e->session->id_hash;
        int found = load_user(e, r->pool, e->session->user, e->session->user_id);
        return found < 0 ? WEB_SESSION_DB_DOWN : found ? WEB_SESSION_LIVE : WEB_SESSION_ABSENT;
    }
    e->session = NULL;
    st = web_pending_resolve(r, e->db, &e->pending);
    if (st != WEB_SESSION_LIVE || e->pending.state != SA_LOGIN_NEEDS_ENROLMENT) {
        return st == WEB_SESSION_DB_DOWN ? st : WEB_SESSION_ABSENT;
    }
    e->forced = 1;
    e->subject = e->pending.id_hash;
    int found = load_user(e, r->pool, e->pending.user, e->pending.user_id);
    return found < 0 ? WEB_SESSION_DB_DOWN : found ? WEB_SESSION_LIVE : WEB_SESSION_ABSENT;
}

static sa_2fa twofactor_of(request_rec *r, const enroller *e)
{
    sa_2fa c = {e->db, r->pool, e->keys, apr_time_sec(r->request_time)};
    return c;
}

/* ---- pages ---- */

static apr_table_t *page_vars(request_rec *r, const enroller *e, const char *title_key)
{
    apr_table_t *vars = apr_table_make(r->pool, 16);
    apr_table_setn(vars, "title", sa_msg(web_request_lang(r), title_key));
    apr_table_setn(vars, "action", page_url(r));
    apr_table_setn(vars, "portal_url", cfg_portal_url(cfg_dir(r)));
    if (e && e->subject) {
        apr_table_setn(vars, "csrf",
                       web_csrf_token(r->pool, cfg_dir(r)->crypto, CSRF_PURPOSE, e->subject));
    }
    return vars;
}

static int show_enrolment(request_rec *r, const enroller *e, int status, const char *error_key,
                          const char *notice_key)
{
    const unsigned char *secret = NULL;
    apr_size_t len = 0;
    sa_2fa c = twofactor_of(r, e);
    if (sa_2fa_pending_secret(&c, e->user->id, 1, &secret, &len) != APR_SUCCESS) {
        web_db_log_failure(r, e->db, "making a TOTP secret");
        return web_page_unavailable(r);
    }
    sa_lang lang = web_request_lang(r);
    apr_table_t *vars = page_vars(r, e, "setup_title");
    apr_table_setn(vars, "secret",
                   sa_base32_grouped(r->pool, sa_base32_encode(r->pool, secret, len, 0)));
    apr_table_setn(
        vars, "uri",
        sa_totp_uri(r->pool, cfg_issuer(cfg_srv(r->server)), e->user->name, secret, len));
    apr_table_setn(vars, "qr_url", apr_pstrcat(r->pool, page_url(r), QR_SUFFIX, NULL));
    if (e->forced) {
        apr_table_setn(vars, "forced", "1");
    }
    if (error_key) {
        apr_table_setn(vars, "error", sa_msg(lang, error_key));
    }
    if (notice_key) {
        apr_table_setn(vars, "notice", sa_msg(lang, notice_key));
    }
    return web_page_send(r, status, "totp_setup.html", vars);
}

/* Where SeancesTwoFactor is required, 2FA cannot be turned off (only reset by an admin). */
static int may_turn_off(request_rec *r)
{
    return cfg_twofactor(cfg_dir(r)) != SA_2FA_REQUIRED;
}

static int show_manage(request_rec *r, const enroller *e, int status, const char *error_key)
{
    int left = 0;
    if (sa_store_codes_left(e->db, r->pool, e->user->id, &left) != APR_SUCCESS) {
        web_db_log_failure(r, e->db, "counting recovery codes");
        return web_page_unavailable(r);
    }
    apr_table_t *vars = page_vars(r, e, "setup_title");
    apr_table_setn(vars, "codes_left", apr_itoa(r->pool, left));
    if (may_turn_off(r)) {
        apr_table_setn(vars, "may_turn_off", "1");
    }
    if (error_key) {
        apr_table_setn(vars, "error", sa_msg(web_request_lang(r), error_key));
    }
    return web_page_send(r, status, "totp_manage.html", vars);
}

/* The end of an action: a message, the recovery codes (shown this once) if any, and where to
 * go on. */
static int show_result(request_rec *r, int status, const char *message_key, const char **codes,
                       const char *continue_url)
{
    apr_table_t *vars = page_vars(r, NULL, "setup_title");
    apr_table_setn(vars, "message", sa_msg(web_request_lang(r), message_key));
    apr_table_setn(vars, "continue_url", continue_url);
    if (codes) {
        const char *items = "";
        for (int i = 0; codes[i]; i++) {
            items = apr_pstrcat(r->pool, items, "<li><code>", sa_html_escape(r->pool, codes[i]),
                                "</code></li>", NULL);
        }
        apr_table_setn(vars, "codes", items);
    }
    return web_page_send(r, status, "totp_result.html", vars);
}

static int show_page(request_rec *r, const enroller *e)
{
    if (e->user->totp_enabled && !e->forced) {
        return show_manage(r, e, HTTP_OK, NULL);
    }
    return show_enrolment(r, e, HTTP_OK, NULL, NULL);
}

static int send_qr(request_rec *r, const enroller *e)
{
    const unsigned char *secret = NULL, *png = NULL;
    apr_size_t len = 0, png_len = 0;
    sa_2fa c = twofactor_of(r, e);
    if (e->user->totp_enabled && !e->forced) {
        return HTTP_NOT_FOUND; /* nothing is being enrolled */
    }
    apr_status_t rv = sa_2fa_pending_secret(&c, e->user->id, 0, &secret, &len);
    if (rv == APR_NOTFOUND) {
        return HTTP_NOT_FOUND;
    }
    if (rv != APR_SUCCESS) {
        web_db_log_failure(r, e->db, "reading a TOTP secret");
        return web_page_unavailable(r);
    }
    const char *uri =
        sa_totp_uri(r->pool, cfg_issuer(cfg_srv(r->server)), e->user->name, secret, len);
    if (sa_qr_png(r->pool, uri, &png, &png_len) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0704) "the QR code for %s cannot be made (libqrencode or libpng)",
                      e->user->name);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    web_security_headers(r); /* Cache-Control: no-store: the picture is the secret */
    ap_set_content_type(r, "image/png");
    ap_set_content_length(r, (apr_off_t)png_len);
    if (!r->header_only) {
        ap_rwrite(png, (int)png_len, r);
    }
    return OK;
}

/* ---- actions ---- */

static void record_event(request_rec *r, const enroller *e, const char *result, const char *factor)
{
    if (sa_login_record(e->db, r->pool, e->user, result, factor, web_client_ip(r),
                        web_user_agent(r), r->request_time) != APR_SUCCESS) {
        web_db_log_failure(r, e->db, "recording a 2FA change (the change itself is done)");
    }
}

/* After the confirmation: the session gets level 2 (a forced enrolment gets its session
 * only now, with "Rester connecté" as chosen on the password form). */
static int finish_enrolment(request_rec *r, enroller *e, const char **codes)
{
    const char *next = cfg_portal_url(cfg_dir(r));
    int rc;
    if (e->forced) {
        apr_status_t rv = sa_login_pending_finish(e->db, r->pool, &e->pending);
        if (rv == APR_NOTFOUND) { /* another request finished it: 2FA is on, log in again */
            return web_redirect_see_other(r, cfg_login_url(cfg_dir(r)));
        }
        if (rv != APR_SUCCESS) {
            web_db_log_failure(r, e->db, "finishing a pending login");
            return web_page_unavailable(r);
        }
        rc = web_session_begin(r, e->db, e->user, e->pending.remember, SA_LEVEL_TOTP, NULL);
        web_pending_clear(r);
        next = sa_safe_return_path(e->pending.return_to);
    } else {
        rc = web_session_elevate(r, e->db, e->session, e->user, SA_LEVEL_TOTP);
    }
    if (rc != OK) {
        return rc == HTTP_SERVICE_UNAVAILABLE ? web_page_unavailable(r) : rc;
    }
    record_event(r, e, "totp_enabled", "totp");
    if (e->forced) {
        record_event(r, e, "ok", "totp");
    }
    web_metrics_inc(WEB_METRIC_TWOFA_ENROLMENTS);
    web_notify(r, e->db, e->user->id, e->user, SA_NOTICE_TOTP_ON);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0705) "2FA turned on by %s from %s%s",
                  e->user->name, web_client_ip(r), e->forced ? " (required; logged in)" : "");
    return show_result(r, HTTP_OK, "setup_done", codes, next);
}

static int confirm(request_rec *r, enroller *e, const char *code)
{
    const char **codes = NULL;
    sa_2fa c = twofactor_of(r, e);
    if (e->user->totp_enabled && !e->forced) {
        return show_manage(r, e, HTTP_OK, NULL);
    }
    switch (sa_2fa_confirm(&c, e->user->id, code, &codes)) {
    case SA_2FA_OK:
        return finish_enrolment(r, e, codes);
    case SA_2FA_DB_ERROR:
        web_db_log_failure(r, e->db, "turning 2FA on");
        return web_page_unavailable(r);
    case SA_2FA_WRONG:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0706) "wrong confirmation code from %s: 2FA stays off", e->user->name);
        return show_enrolment(r, e, HTTP_OK, "setup_wrong", NULL);
    default: /* the pending secret expired or was replaced: a new one is shown */
        return show_enrolment(r, e, HTTP_OK, NULL, "setup_restarted");
    }
}

/* Turning 2FA off or new recovery codes: a fresh code first, checked and throttled like at
 * login. */
static int reverify(request_rec *r, enroller *e, const char *code, int allow_recovery,
                    const char **factor)
{
    const cfg_srv_config *s = cfg_srv(r->server);
    sa_lockout lockout;
    cfg_lockout(s, &lockout);
    sa_code_attempt a = {NULL,     code,   web_client_ip(r), web_user_agent(r), r->request_time,
                         &lockout, e->keys};
    sa_login_outcome out;
    sa_login_result res = sa_login_reverify(e->db, r->pool, &a, e->user, allow_recovery, &out);
    *factor = out.factor;
    if (res != SA_LOGIN_OK && res != SA_LOGIN_DB_ERROR) {
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                      SALOG(0707) "code refused on the 2FA page for %s from %s: %s", e->user->name,
                      web_client_ip(r), out.detail ? out.detail : "throttled");
    }
    return res;
}

static int disable(request_rec *r, enroller *e, const char *code)
{
    const char *factor = "totp";
    sa_2fa c = twofactor_of(r, e);
    int res = reverify(r, e, code, 1, &factor);
    if (res == SA_LOGIN_OK && sa_2fa_disable(&c, e->user->id) != APR_SUCCESS) {
        res = SA_LOGIN_DB_ERROR;
    }
    if (res == SA_LOGIN_DB_ERROR) {
        web_db_log_failure(r, e->db, "turning 2FA off");
        return web_page_unavailable(r);
    }
    if (res != SA_LOGIN_OK) {
        return show_manage(r, e, HTTP_OK, "code_failed");
    }
    record_event(r, e, "totp_disabled", factor);
    if (strcmp(factor, "recovery") == 0) {
        web_notify(r, e->db, e->user->id, e->user, SA_NOTICE_RECOVERY_USED);
    }
    web_notify(r, e->db, e->user->id, e->user, SA_NOTICE_TOTP_OFF);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0708) "2FA turned off by %s from %s (%s)",
                  e->user->name, web_client_ip(r),
                  strcmp(factor, "recovery") == 0 ? "with a recovery code" : "with a code");
    return show_result(r, HTTP_OK, "totp_off_done", NULL, cfg_portal_url(cfg_dir(r)));
}

static int new_codes(request_rec *r, enroller *e, const char *code)
{
    const char *factor = "totp";
    const char **codes = NULL;
    sa_2fa c = twofactor_of(r, e);
    int res = reverify(r, e, code, 0, &factor);
    if (res == SA_LOGIN_OK && sa_2fa_new_codes(&c, e->user->id, &codes) != APR_SUCCESS) {
        res = SA_LOGIN_DB_ERROR;
    }
    if (res == SA_LOGIN_DB_ERROR) {
        web_db_log_failure(r, e->db, "making recovery codes");
        return web_page_unavailable(r);
    }
    if (res != SA_LOGIN_OK) {
        return show_manage(r, e, HTTP_OK, "code_failed");
    }
    record_event(r, e, "recovery_renewed", "totp");
    web_notify(r, e->db, e->user->id, e->user, SA_NOTICE_CODES_RENEWED);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, SALOG(0710) "new recovery codes for %s from %s",
                  e->user->name, web_client_ip(r));
    return show_result(r, HTTP_OK, "codes_renewed", codes, cfg_portal_url(cfg_dir(r)));
}

static int handle_post(request_rec *r, enroller *e)
{
    apr_table_t *form = NULL;
    int rc = web_form_read(r, &form);
    if (rc != OK) {
        return web_page_message(r, rc, "bad_request_title", "input_too_long");
    }
    const char *action = apr_table_get(form, "action");
    const char *code = apr_table_get(form, "code");
    if (!web_csrf_valid(r->pool, cfg_dir(r)->crypto, CSRF_PURPOSE, e->subject,
                        apr_table_get(form, "csrf"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0711) "2FA form with a missing or wrong CSRF token refused");
        return web_page_message(r, HTTP_FORBIDDEN, "forbidden_title", "csrf_failed");
    }
    if (!code || strlen(code) > 64) {
        return web_page_message(r, HTTP_BAD_REQUEST, "bad_request_title", "input_too_long");
    }
    int managing = e->user->totp_enabled && !e->forced;
    if (!action || strcmp(action, "confirm") == 0) {
        return confirm(r, e, code);
    }
    if (managing && may_turn_off(r) && strcmp(action, "disable") == 0) {
        return disable(r, e, code);
    }
    if (managing && strcmp(action, "codes") == 0) {
        return new_codes(r, e, code);
    }
    return web_page_message(r, HTTP_BAD_REQUEST, "bad_request_title", "input_too_long");
}

/* Nobody signed in: the page sends to the login and back; the picture and the forms are
 * refused. */
static int nobody(request_rec *r)
{
    if (r->method_number != M_GET || is_qr_request(r)) {
        return web_page_message(r, HTTP_FORBIDDEN, "forbidden_title", "csrf_failed");
    }
    const char *login = cfg_login_url(cfg_dir(r));
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, login, strchr(login, '?') ? "&" : "?",
                               "return=", sa_url_encode(r->pool, page_url(r)), NULL));
    return HTTP_MOVED_TEMPORARILY;
}

int handle_totp_setup(request_rec *r)
{
    enroller e;
    if (cfg_twofactor(cfg_dir(r)) == SA_2FA_OFF) {
        /* existing secrets stay as they are: neither used nor deleted */
        return is_qr_request(r) ? HTTP_NOT_FOUND
                                : show_result(r, HTTP_FORBIDDEN, "twofactor_forbidden", NULL,
                                              cfg_portal_url(cfg_dir(r)));
    }
    switch (find_enroller(r, &e)) {
    case WEB_SESSION_LIVE:
        break;
    case WEB_SESSION_DB_DOWN:
        return web_page_unavailable(r);
    default:
        return nobody(r);
    }
    e.keys = web_seal_keys(r);
    if (!e.keys) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (is_qr_request(r)) {
        return r->method_number == M_GET ? send_qr(r, &e) : HTTP_METHOD_NOT_ALLOWED;
    }
    return r->method_number == M_POST ? handle_post(r, &e) : show_page(r, &e);
}
