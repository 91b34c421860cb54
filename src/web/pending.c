/* Pending logins in the browser: a cookie that only the login and the 2FA setup page read. */
#include "httpd.h"
#include "http_log.h"
#include "apr_strings.h"

#include "cfg/logno.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/page.h"
#include "web/pending.h"
#include "web/request.h"

APLOG_USE_MODULE(seances_auth);

static const char *pending_cookie(request_rec *r)
{
    return apr_pstrcat(r->pool, cfg_cookie_name(cfg_dir(r)), "_pending", NULL);
}

/* Path=/ as the login and the setup page live at different paths. */
static const char *pending_attrs(request_rec *r)
{
    return ap_strcasestr(cfg_cookie_attrs(cfg_dir(r)), "secure")
               ? "Path=/; HttpOnly; SameSite=Lax; Secure"
               : "Path=/; HttpOnly; SameSite=Lax";
}

void web_pending_set(request_rec *r, const char *value, apr_int64_t max_age)
{
    web_cookie_set(r, pending_cookie(r), value, max_age, pending_attrs(r));
}

int web_pending_sent(request_rec *r)
{
    return web_cookie_get(r, pending_cookie(r)) != NULL;
}

void web_pending_clear(request_rec *r)
{
    if (web_cookie_get(r, pending_cookie(r))) {
        web_cookie_clear(r, pending_cookie(r), pending_attrs(r));
    }
}

typedef struct {
    request_rec *r;
    sa_crypto *crypto;
    const char *cookie;
    sa_login_pending *pending;
    sa_session_status status;
} open_op;

static int run_open(sa_db *db, void *ctx)
{
    open_op *op = ctx;
    op->status = sa_login_pending_open(db, op->crypto, op->r->pool, op->cookie, op->r->request_time,
                                       op->pending);
    return op->status == SA_SESSION_DB_ERROR;
}

web_session_state web_pending_resolve(request_rec *r, sa_db *db, sa_login_pending *pending)
{
    const char *cookie = web_cookie_get(r, pending_cookie(r));
    sa_crypto *crypto = cookie ? web_crypto_for(r, cfg_dir(r)->crypto, NULL) : NULL;
    if (!crypto) {
        return WEB_SESSION_ABSENT;
    }
    open_op op = {r, crypto, cookie, pending, SA_SESSION_DB_ERROR};
    if (!db || web_db_run(r, db, run_open, &op) != 0) {
        web_db_log_failure(r, db, "reading a pending login");
        return WEB_SESSION_DB_DOWN;
    }
    return op.status == SA_SESSION_VALID ? WEB_SESSION_LIVE : WEB_SESSION_ABSENT;
}

const sa_seal_keys *web_seal_keys(request_rec *r)
{
    const cfg_crypto_spec *spec = cfg_dir(r)->crypto;
    sa_seal_keys *keys = NULL;
    if (!spec || spec->passphrases->nelts == 0 ||
        sa_seal_keys_derive(r->pool, spec->passphrases, &keys) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0713) "no key for TOTP secrets: SeancesCryptoPassphrase is missing "
                                  "here or unusable");
        return NULL;
    }
    return keys;
}
