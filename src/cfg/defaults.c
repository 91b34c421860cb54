/* Effective configuration values: what was configured, else the product's default from the
 * one table in core/defaults.c. Fields without a default: crypto (required: start-up checks
 * refuse its absence), template_dir (the built-in templates), blocklist_file and blocklist
 * (no blocklist), base_url (no links in mails), smtp_server, smtp_from, smtp_user,
 * smtp_pass_file (no mail), smtp_ca_file (the system's certificate authorities), apps (none),
 * argon2 (sa_argon2_defaults at creation), session_cache and session_cache_made (web/sessioncache.c
 * falls back to sa_defaults.session_cache when that provider is loaded, else to none); tz is the
 * zone of tz_name, or of the default zone name, read at start-up (web/startup.c); organisation and
 * logo (none: the pages show the application's title only); reset_limit_address
 * and reset_limit_window go with reset_limit_account (cfg_reset_limits). */
#include <string.h>
#include <unistd.h>

#include "apr_strings.h"
#include "apr_time.h"
#include "cfg/config.h"
#include "core/defaults.h"

const char *cfg_cookie_name(const cfg_dir_config *d)
{
    return d->cookie_name ? d->cookie_name : sa_defaults.cookie_name;
}

const char *cfg_cookie_attrs(const cfg_dir_config *d)
{
    return d->cookie_attrs ? d->cookie_attrs : sa_defaults.cookie_attrs;
}

apr_interval_time_t cfg_idle(const cfg_dir_config *d)
{
    return d->idle != CFG_UNSET ? d->idle : apr_time_from_sec(sa_defaults.session_idle);
}

apr_interval_time_t cfg_max(const cfg_dir_config *d)
{
    return d->max != CFG_UNSET ? d->max : apr_time_from_sec(sa_defaults.session_max);
}

apr_interval_time_t cfg_remember(const cfg_dir_config *d)
{
    return d->remember_set ? d->remember : apr_time_from_sec(sa_defaults.remember);
}

const char *cfg_login_url(const cfg_dir_config *d)
{
    return d->login_url ? d->login_url : sa_defaults.login_url;
}

const char *cfg_portal_url(const cfg_dir_config *d)
{
    return d->portal_url ? d->portal_url : sa_defaults.portal_url;
}

const char *cfg_twofactor_url(const cfg_dir_config *d)
{
    return d->twofactor_url ? d->twofactor_url : sa_defaults.twofactor_url;
}

int cfg_twofactor(const cfg_dir_config *d)
{
    return d->twofactor != CFG_UNSET ? d->twofactor : sa_defaults.twofactor;
}

int cfg_cookie_remove(const cfg_dir_config *d)
{
    return d->cookie_remove != CFG_UNSET ? d->cookie_remove == 1 : sa_defaults.cookie_remove;
}

const char *cfg_cache_control(const cfg_dir_config *d)
{
    const char *v = d->cache_control ? d->cache_control : sa_defaults.cache_control;
    return *v ? v : NULL;
}

int cfg_pass_headers(const cfg_dir_config *d)
{
    return d->pass_headers != CFG_UNSET ? d->pass_headers == 1 : sa_defaults.pass_headers;
}

sa_lang cfg_lang(const cfg_dir_config *d)
{
    sa_lang lang = SA_LANG_FR;
    if (d->lang != CFG_UNSET) {
        return (sa_lang)d->lang;
    }
    sa_lang_from_code(sa_defaults.language, &lang);
    return lang;
}

void cfg_session_policy(const cfg_dir_config *d, sa_session_policy *policy)
{
    policy->idle = apr_time_sec(cfg_idle(d));
    policy->max = apr_time_sec(cfg_max(d));
    policy->remember = apr_time_sec(cfg_remember(d));
}

const char *cfg_issuer(const cfg_srv_config *s)
{
    return s->issuer ? s->issuer : sa_defaults.issuer;
}

void cfg_lockout(const cfg_srv_config *s, sa_lockout *out)
{
    out->turn_wait = apr_time_from_msec(sa_defaults.lockout_turn_wait_ms);
    if (s->lockout_n == CFG_UNSET) {
        out->account_limit = sa_defaults.lockout_account;
        out->address_limit = sa_defaults.lockout_address;
        out->window = sa_defaults.lockout_window;
        out->ban = sa_defaults.lockout_ban;
        return;
    }
    out->account_limit = s->lockout_n;
    out->address_limit = s->lockout_ip_n;
    out->window = apr_time_sec(s->lockout_window);
    out->ban = apr_time_sec(s->lockout_ban);
}

int cfg_password_min(const cfg_srv_config *s)
{
    return s->password_min != CFG_UNSET ? s->password_min : sa_defaults.password_min;
}

int cfg_smtp_starttls(const cfg_srv_config *s)
{
    return s->smtp_starttls != CFG_UNSET ? s->smtp_starttls : sa_defaults.smtp_starttls;
}

apr_interval_time_t cfg_retention(const cfg_srv_config *s)
{
    return s->retention != CFG_UNSET ? s->retention : apr_time_from_sec(sa_defaults.retention);
}

apr_interval_time_t cfg_housekeeping(const cfg_srv_config *s)
{
    return s->housekeeping != CFG_UNSET ? s->housekeeping
                                        : apr_time_from_sec(sa_defaults.housekeeping);
}

apr_interval_time_t cfg_session_recheck(const cfg_srv_config *s)
{
    return s->session_recheck != CFG_UNSET ? s->session_recheck
                                           : apr_time_from_sec(sa_defaults.session_recheck);
}

/* Set at start-up for every server (web/startup.c reads the default zone). */
const sa_tz *cfg_timezone(const cfg_srv_config *c)
{
    return c->tz;
}

const char *cfg_timezone_name(const cfg_srv_config *c)
{
    return c->tz_name ? c->tz_name : sa_defaults.timezone;
}

/* "/portal" -> "/logout", "/seances/portal" -> "/seances/logout" */
const char *cfg_portal_sibling(apr_pool_t *p, const cfg_dir_config *d, const char *name)
{
    const char *portal = cfg_portal_url(d);
    const char *slash = strrchr(portal, '/');
    apr_size_t dir_len = slash ? (apr_size_t)(slash - portal) + 1 : 0;
    return apr_pstrcat(p, dir_len ? apr_pstrmemdup(p, portal, dir_len) : "/", name, NULL);
}

apr_interval_time_t cfg_db_wait(const cfg_srv_config *s)
{
    return s->db_wait != CFG_UNSET ? s->db_wait : apr_time_from_msec(sa_defaults.db_wait_ms);
}

/* The CPUs online when the default (0) applies: more checks at once only queue for a CPU
 * while each holds its work area. */
int cfg_hash_concurrency(const cfg_srv_config *s)
{
    int n = s->hash_concurrency != CFG_UNSET ? s->hash_concurrency : sa_defaults.hash_concurrency;
    if (n <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (int)cpus : 1;
    }
    return n;
}

apr_int64_t cfg_reset_expiry(const cfg_srv_config *s)
{
    return s->reset_expiry != CFG_UNSET ? apr_time_sec(s->reset_expiry) : sa_defaults.reset_expiry;
}

void cfg_reset_limits(const cfg_srv_config *s, int *account, int *address, apr_int64_t *window)
{
    if (s->reset_limit_account == CFG_UNSET) {
        *account = sa_defaults.reset_limit_account;
        *address = sa_defaults.reset_limit_address;
        *window = sa_defaults.reset_limit_window;
        return;
    }
    *account = s->reset_limit_account;
    *address = s->reset_limit_address;
    *window = apr_time_sec(s->reset_limit_window);
}

apr_interval_time_t cfg_smtp_timeout(const cfg_srv_config *s)
{
    return s->smtp_timeout != CFG_UNSET ? s->smtp_timeout
                                        : apr_time_from_sec(sa_defaults.smtp_timeout);
}

int cfg_notify_new_login(const cfg_srv_config *s)
{
    return s->notify_new_login != CFG_UNSET ? s->notify_new_login : sa_defaults.notify_new_login;
}

int cfg_hash_queue(const cfg_srv_config *s)
{
    return s->hash_queue != CFG_UNSET ? s->hash_queue
                                      : sa_defaults.hash_queue_per_check * cfg_hash_concurrency(s);
}
