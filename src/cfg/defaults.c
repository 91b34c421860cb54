/* Effective configuration values: the documented defaults for whatever was not set. */
#include "apr_time.h"
#include "cfg/config.h"

#define DEFAULT_COOKIE_NAME "seances_session"
#define DEFAULT_COOKIE_ATTRS "Path=/; HttpOnly; Secure; SameSite=Lax"

const char *cfg_cookie_name(const cfg_dir_config *d)
{
    return d->cookie_name ? d->cookie_name : DEFAULT_COOKIE_NAME;
}

const char *cfg_cookie_attrs(const cfg_dir_config *d)
{
    return d->cookie_attrs ? d->cookie_attrs : DEFAULT_COOKIE_ATTRS;
}

apr_interval_time_t cfg_idle(const cfg_dir_config *d)
{
    return d->idle != CFG_UNSET ? d->idle : apr_time_from_sec(30 * 60);
}

apr_interval_time_t cfg_max(const cfg_dir_config *d)
{
    return d->max != CFG_UNSET ? d->max : apr_time_from_sec(12 * 3600);
}

apr_interval_time_t cfg_remember(const cfg_dir_config *d)
{
    return d->remember_set ? d->remember : apr_time_from_sec(30 * 86400);
}

const char *cfg_login_url(const cfg_dir_config *d)
{
    return d->login_url ? d->login_url : "/login";
}

const char *cfg_portal_url(const cfg_dir_config *d)
{
    return d->portal_url ? d->portal_url : "/portal";
}

int cfg_twofactor(const cfg_dir_config *d)
{
    return d->twofactor != CFG_UNSET ? d->twofactor : SA_2FA_OPTIONAL;
}

int cfg_pass_headers(const cfg_dir_config *d)
{
    return d->pass_headers == 1;
}

sa_lang cfg_lang(const cfg_dir_config *d)
{
    return d->lang != CFG_UNSET ? (sa_lang)d->lang : SA_LANG_FR;
}
