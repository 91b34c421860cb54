/* mod_seances_auth: a self-service form login for Apache httpd 2.4 ("AuthType Seances").
 * This file is the module's face: its directives, how configurations merge, and which
 * hooks it registers. Everything else lives in src/. */
#include <stddef.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_auth.h"
#include "apr_strings.h"
#include "apr_lib.h"
#include "apr_sha1.h"

#include "cfg/config.h"
#include "cfg/directives.h"
#include "handle/handle.h"
#include "web/hooks.h"
#include "core/validate.h"
#include "core/token.h"
#include "web/crypto.h"
#include "web/apps.h"
#include "web/page.h"
#include "web/session.h"

/* ---- per-directory configuration ---- */

static void *create_dir_config(apr_pool_t *p, char *dir)
{
    (void)dir;
    cfg_dir_config *d = apr_pcalloc(p, sizeof(*d));
    d->idle = CFG_UNSET;
    d->max = CFG_UNSET;
    d->remember_set = 0;
    d->twofactor = CFG_UNSET;
    d->pass_headers = CFG_UNSET;
    d->cookie_remove = CFG_UNSET;
    d->lang = CFG_UNSET;
    return d;
}

#define MERGE_PTR(field) m->field = add->field ? add->field : base->field
#define MERGE_INT(field) m->field = add->field != CFG_UNSET ? add->field : base->field

/* As mod_session_crypto: passphrases and cipher are inherited one by one, so a section that
 * only sets SeancesCryptoCipher keeps the enclosing passphrases (and the reverse). */
static cfg_crypto_spec *merge_crypto(apr_pool_t *p, cfg_crypto_spec *base, cfg_crypto_spec *add)
{
    if (!add || !base) {
        return add ? add : base;
    }
    int inherit_passphrases = add->passphrases->nelts == 0;
    int inherit_cipher = !add->cipher_set && base->cipher_set;
    if (!inherit_passphrases && !inherit_cipher) {
        return add;
    }
    cfg_crypto_spec *m = apr_pmemdup(p, add, sizeof(*m));
    if (inherit_passphrases) {
        m->passphrases = base->passphrases;
    }
    if (inherit_cipher) {
        m->cipher = base->cipher;
        m->cipher_set = 1;
    }
    cfg_crypto_spec_finish(p, m);
    return m;
}

static void *merge_dir_config(apr_pool_t *p, void *basev, void *addv)
{
    const cfg_dir_config *base = basev, *add = addv;
    cfg_dir_config *m = apr_pcalloc(p, sizeof(*m));
    m->crypto = merge_crypto(p, base->crypto, add->crypto);
    MERGE_PTR(cookie_name);
    MERGE_PTR(cookie_attrs);
    MERGE_INT(idle);
    MERGE_INT(max);
    m->remember_set = add->remember_set || base->remember_set;
    m->remember = add->remember_set ? add->remember : base->remember;
    MERGE_PTR(login_url);
    MERGE_PTR(portal_url);
    MERGE_PTR(twofactor_url);
    MERGE_INT(twofactor);
    MERGE_INT(pass_headers);
    MERGE_INT(cookie_remove);
    MERGE_PTR(cache_control);
    MERGE_INT(lang);
    MERGE_PTR(template_dir);
    /* the logo belongs to its organisation: a section that names another one drops it */
    m->organisation = add->organisation ? add->organisation : base->organisation;
    m->logo = add->organisation ? add->logo : base->logo;
    return m;
}

/* ---- per-server configuration ---- */

static void *create_srv_config(apr_pool_t *p, server_rec *s)
{
    (void)s;
    cfg_srv_config *c = apr_pcalloc(p, sizeof(*c));
    c->lockout_n = CFG_UNSET;
    c->password_min = CFG_UNSET;
    c->smtp_starttls = CFG_UNSET;
    c->retention = CFG_UNSET;
    c->housekeeping = CFG_UNSET;
    c->session_recheck = CFG_UNSET;
    c->db_wait = CFG_UNSET;
    c->hash_concurrency = CFG_UNSET;
    c->hash_queue = CFG_UNSET;
    c->reset_expiry = CFG_UNSET;
    c->reset_limit_account = CFG_UNSET;
    c->smtp_timeout = CFG_UNSET;
    c->notify_new_login = CFG_UNSET;
    c->apps = apr_array_make(p, 4, sizeof(cfg_app));
    sa_argon2_defaults(&c->argon2);
    return c;
}

static void *merge_srv_config(apr_pool_t *p, void *basev, void *addv)
{
    const cfg_srv_config *base = basev, *add = addv;
    cfg_srv_config *m = apr_pcalloc(p, sizeof(*m));
    MERGE_PTR(issuer);
    m->lockout_n = add->lockout_n != CFG_UNSET ? add->lockout_n : base->lockout_n;
    m->lockout_window = add->lockout_n != CFG_UNSET ? add->lockout_window : base->lockout_window;
    m->lockout_ban = add->lockout_n != CFG_UNSET ? add->lockout_ban : base->lockout_ban;
    m->lockout_ip_n = add->lockout_n != CFG_UNSET ? add->lockout_ip_n : base->lockout_ip_n;
    MERGE_INT(password_min);
    MERGE_PTR(blocklist_file);
    MERGE_PTR(blocklist);
    MERGE_PTR(base_url);
    MERGE_PTR(smtp_server);
    MERGE_PTR(smtp_from);
    MERGE_PTR(smtp_user);
    MERGE_PTR(smtp_pass_file);
    MERGE_PTR(smtp_ca_file);
    MERGE_INT(smtp_starttls);
    m->apps = apr_array_append(p, base->apps, add->apps);
    m->argon2 = add->argon2;
    MERGE_INT(retention);
    MERGE_INT(housekeeping);
    MERGE_PTR(session_cache);
    MERGE_PTR(session_cache_made);
    MERGE_INT(session_recheck);
    /* portal */
    MERGE_PTR(tz_name);
    MERGE_PTR(tz);
    MERGE_INT(db_wait);
    /* the queue goes with the concurrency it was given with */
    m->hash_concurrency =
        add->hash_concurrency != CFG_UNSET ? add->hash_concurrency : base->hash_concurrency;
    m->hash_queue = add->hash_concurrency != CFG_UNSET ? add->hash_queue : base->hash_queue;
    /* password reset and mail: the limits go together */
    MERGE_INT(reset_expiry);
    MERGE_INT(reset_limit_account);
    m->reset_limit_address = add->reset_limit_account != CFG_UNSET ? add->reset_limit_address
                                                                   : base->reset_limit_address;
    m->reset_limit_window =
        add->reset_limit_account != CFG_UNSET ? add->reset_limit_window : base->reset_limit_window;
    MERGE_INT(smtp_timeout);
    MERGE_INT(notify_new_login);
    return m;
}

static void register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(web_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(web_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(web_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(web_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(web_scrub_identity_headers, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_check_authn(web_check_authn, NULL, NULL, APR_HOOK_MIDDLE, AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(web_note_auth_failure, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(web_set_identity, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(web_set_logout_token, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(handle_refuse_trace, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(web_backend_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    web_backend_register_filters();
    ap_hook_handler(handle_dispatch, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(web_housekeeping, NULL, NULL, APR_HOOK_LAST);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "seances-level", AUTHZ_PROVIDER_VERSION,
                              &web_authz_level_provider, AP_AUTH_INTERNAL_PER_CONF);
    /* portal: Require seances-app, and its 503 when the database fails */
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "seances-app", AUTHZ_PROVIDER_VERSION,
                              &web_authz_app, AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_insert_error_filter(web_error_unavailable, NULL, NULL, APR_HOOK_MIDDLE);
    web_page_register_filters();
}

AP_DECLARE_MODULE(seances_auth) = {STANDARD20_MODULE_STUFF, create_dir_config,  merge_dir_config,
                                   create_srv_config,       merge_srv_config,   cfg_commands,
                                   register_hooks,          AP_MODULE_FLAG_NONE};
