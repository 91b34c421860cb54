/* Effective configuration values: the documented defaults for whatever was not set. */
#include "apr_time.h"
#include "web_config.h"

#define DEFAULT_COOKIE_NAME "seances_session"
#define DEFAULT_COOKIE_ATTRS "Path=/; HttpOnly; Secure; SameSite=Lax"

const char *sa_cfg_cookie_name(const sa_dir_config *d)
{
    return d->cookie_name ? d->cookie_name : DEFAULT_COOKIE_NAME;
}

const char *sa_cfg_cookie_attrs(const sa_dir_config *d)
{
    return d->cookie_attrs ? d->cookie_attrs : DEFAULT_COOKIE_ATTRS;
}

apr_interval_time_t sa_cfg_idle(const sa_dir_config *d)
{
    return d->idle != SA_UNSET ? d->idle : apr_time_from_sec(30 * 60);
}

apr_interval_time_t sa_cfg_max(const sa_dir_config *d)
{
    return d->max != SA_UNSET ? d->max : apr_time_from_sec(12 * 3600);
}

apr_interval_time_t sa_cfg_remember(const sa_dir_config *d)
{
    return d->remember_set ? d->remember : apr_time_from_sec(30 * 86400);
}

const char *sa_cfg_login_url(const sa_dir_config *d)
{
    return d->login_url ? d->login_url : "/login";
}

const char *sa_cfg_portal_url(const sa_dir_config *d)
{
    return d->portal_url ? d->portal_url : "/portal";
}

int sa_cfg_twofactor(const sa_dir_config *d)
{
    return d->twofactor != SA_UNSET ? d->twofactor : SA_2FA_OPTIONAL;
}

int sa_cfg_pass_headers(const sa_dir_config *d)
{
    return d->pass_headers == 1;
}

sa_lang sa_cfg_lang(const sa_dir_config *d)
{
    return d->lang != SA_UNSET ? (sa_lang)d->lang : SA_LANG_FR;
}
