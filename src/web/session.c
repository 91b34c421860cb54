/* The one path from a cookie to a live session. */
#include "httpd.h"
#include <string.h>
#include "http_log.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#include "cfg/logno.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/page.h"
#include "web/request.h"
#include "web/session.h"
#include "web/sessioncache.h"

APLOG_USE_MODULE(seances_auth);

const sa_session_info *web_session_noted(request_rec *r)
{
    /* internal redirects and subrequests inherit the user from where it was checked */
    for (request_rec *q = r; q; q = q->prev ? q->prev : q->main) {
        const sa_session_info *info = ap_get_module_config(q->request_config, &seances_auth_module);
        if (info) {
            return q->user ? info : NULL;
        }
    }
    return NULL;
}

void web_session_note(request_rec *r, const sa_session_info *info)
{
    ap_set_module_config(r->request_config, &seances_auth_module, (void *)info);
}

static int claims_of_cookie(request_rec *r, const cfg_dir_config *d, sa_cookie_claims *claims)
{
    const char *cookie = web_cookie_get(r, cfg_cookie_name(d));
    if (!cookie) {
        return 0;
    }
    sa_claims_cache *cache = NULL;
    sa_crypto *crypto = web_crypto_for(r, d->crypto, &cache);
    if (!crypto || sa_session_open_cookie(crypto, cache, r->pool, cookie, r->request_time,
                                          claims) != SA_SESSION_VALID) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      SALOG(0203) "session cookie unusable: ignored");
        return 0;
    }
    return 1;
}

typedef struct {
    request_rec *r;
    sa_session_policy policy;
    const sa_cookie_claims *claims;
    sa_session_info *info;
    sa_session_status status;
} lookup_op;

static int run_lookup(sa_db *db, void *ctx)
{
    lookup_op *op = ctx;
    op->status =
        sa_session_lookup(db, op->r->pool, &op->policy, op->claims, op->r->request_time, op->info);
    return op->status == SA_SESSION_DB_ERROR;
}

web_session_state web_session_resolve(request_rec *r, sa_db **dbp, const sa_session_info **info)
{
    const cfg_dir_config *d = cfg_dir(r);
    sa_cookie_claims claims;
    *info = web_session_noted(r);
    if (dbp) {
        *dbp = NULL;
    }
    if (*info) {
        return WEB_SESSION_LIVE;
    }
    if (!claims_of_cookie(r, d, &claims)) {
        return WEB_SESSION_ABSENT;
    }
    lookup_op op = {
        r, {0}, &claims, apr_pcalloc(r->pool, sizeof(sa_session_info)), SA_SESSION_DB_ERROR};
    cfg_session_policy(d, &op.policy);
    *info = web_session_cache_find(r, &claims, &op.policy);
    if (*info) {
        return WEB_SESSION_LIVE;
    }
    sa_db *db = web_db(r);
    if (dbp) {
        *dbp = db;
    }
    if (!db || web_db_run(r, db, run_lookup, &op) != 0) {
        web_db_log_failure(r, db, "reading the session");
        return WEB_SESSION_DB_DOWN;
    }
    if (op.status != SA_SESSION_VALID) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, SALOG(0204) "session of %s is over or unknown",
                      claims.user);
        return WEB_SESSION_ENDED;
    }
    *info = op.info;
    return WEB_SESSION_LIVE;
}

static void set_session_cookie(request_rec *r, const char *value, const sa_session_info *info)
{
    const cfg_dir_config *d = cfg_dir(r);
    apr_int64_t max_age = info->remember ? info->expires - apr_time_sec(r->request_time) : -1;
    web_cookie_set(r, cfg_cookie_name(d), value, max_age, cfg_cookie_attrs(d));
}

int web_session_begin(request_rec *r, sa_db *db, const sa_user *user, int remember, int level,
                      const sa_session_info **started)
{
    const cfg_dir_config *d = cfg_dir(r);
    sa_crypto *crypto = web_crypto_for(r, d->crypto, NULL);
    const sa_session_info *old = NULL;
    sa_session_info *info = apr_pcalloc(r->pool, sizeof(*info));
    sa_session_policy policy;
    const char *value;
    if (!crypto) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    cfg_session_policy(d, &policy);
    /* every login gets a new id: the browser's old session, if any, ends */
    if (web_session_resolve(r, NULL, &old) == WEB_SESSION_LIVE) {
        sa_session_end(db, r->pool, old->id_hash);
        web_session_cache_forget(r, old->id_hash);
    }
    if (sa_session_start(db, crypto, r->pool, &policy, user, remember, level, web_client_ip(r),
                         web_user_agent(r), r->request_time, &value, info) != APR_SUCCESS) {
        web_db_log_failure(r, db, "starting a session");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    set_session_cookie(r, value, info);
    if (started) {
        *started = info;
    }
    return OK;
}

int web_session_elevate(request_rec *r, sa_db *db, const sa_session_info *old, const sa_user *user,
                        int level)
{
    const cfg_dir_config *d = cfg_dir(r);
    sa_crypto *crypto = web_crypto_for(r, d->crypto, NULL);
    sa_session_info info;
    sa_session_policy policy;
    const char *value;
    if (!crypto) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    cfg_session_policy(d, &policy);
    if (sa_session_elevate(db, crypto, r->pool, &policy, old, user, level, web_client_ip(r),
                           web_user_agent(r), r->request_time, &value, &info) != APR_SUCCESS) {
        web_db_log_failure(r, db, "raising the level of a session");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    web_session_cache_forget(r, old->id_hash);
    set_session_cookie(r, value, &info);
    return OK;
}

/* A session's logout token never changes, and computing it (an HMAC, through OpenSSL 3's
 * EVP_Q_mac: about 23k instructions) on every protected request cost more than everything
 * else the module does there. Each process remembers the last ones, a slot for each value of
 * the first two characters of the session's id hash. */
#define LOGOUT_SLOTS 256
#define LOGOUT_HASH_MAX 64
#define LOGOUT_TOKEN_MAX 64

typedef struct {
    const cfg_crypto_spec *spec;
    char id_hash[LOGOUT_HASH_MAX + 1];
    char token[LOGOUT_TOKEN_MAX + 1];
} logout_slot;

static logout_slot logout_slots[LOGOUT_SLOTS];
static apr_thread_mutex_t *logout_lock; /* made in child_init; without it, nothing is kept */

void web_session_child_init(apr_pool_t *pchild)
{
    if (apr_thread_mutex_create(&logout_lock, APR_THREAD_MUTEX_DEFAULT, pchild) != APR_SUCCESS) {
        logout_lock = NULL;
    }
}

static unsigned int logout_slot_of(const char *id_hash)
{
    return ((unsigned char)id_hash[0] * 31u + (unsigned char)id_hash[1]) % LOGOUT_SLOTS;
}

static const char *logout_token(request_rec *r, const cfg_crypto_spec *spec, const char *id_hash)
{
    size_t len = strlen(id_hash);
    if (!logout_lock || len < 2 || len > LOGOUT_HASH_MAX) {
        return web_csrf_token(r->pool, spec, WEB_CSRF_LOGOUT, id_hash);
    }
    logout_slot *slot = &logout_slots[logout_slot_of(id_hash)];
    const char *token = NULL;
    apr_thread_mutex_lock(logout_lock);
    if (slot->spec == spec && strcmp(slot->id_hash, id_hash) == 0) {
        token = apr_pstrdup(r->pool, slot->token);
    }
    apr_thread_mutex_unlock(logout_lock);
    if (token) {
        return token;
    }
    token = web_csrf_token(r->pool, spec, WEB_CSRF_LOGOUT, id_hash);
    if (token && strlen(token) <= LOGOUT_TOKEN_MAX) {
        apr_thread_mutex_lock(logout_lock);
        slot->spec = spec;
        memcpy(slot->id_hash, id_hash, len + 1);
        memcpy(slot->token, token, strlen(token) + 1);
        apr_thread_mutex_unlock(logout_lock);
    }
    return token;
}

int web_set_logout_token(request_rec *r)
{
    const sa_session_info *info = web_session_noted(r);
    const cfg_dir_config *d = cfg_dir(r);
    if (info && r->user && d->crypto && info->id_hash) {
        apr_table_setn(r->subprocess_env, "SEANCES_LOGOUT_CSRF",
                       logout_token(r, d->crypto, info->id_hash));
    }
    return DECLINED;
}
