/* Start-up: configuration checks that span directives, mod_dbd registration, crypto set-up. */
#include "httpd.h"
#include <string.h>

#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"

#include "cfg/directives.h"
#include "cfg/logno.h"
#include "web/mailer.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/hashgate.h"
#include "web/hooks.h"
#include "web/session.h"
#include "web/sessioncache.h"
#include "web/metrics.h"

APLOG_USE_MODULE(seances_auth);

static int is_passphrase_directive(const ap_directive_t *dir)
{
    return !strcasecmp(dir->directive, CFG_CRYPTO_PASSPHRASE) ||
           !strcasecmp(dir->directive, CFG_CRYPTO_PASSPHRASE_FILE);
}

static int is_seances_authtype(apr_pool_t *p, const ap_directive_t *dir)
{
    if (strcasecmp(dir->directive, "AuthType") != 0 || !dir->args) {
        return 0;
    }
    const char *args = dir->args;
    const char *word = ap_getword_conf(p, &args);
    return strcasecmp(word, SA_AUTH_TYPE) == 0;
}

static int is_seances_handler(apr_pool_t *p, const ap_directive_t *dir)
{
    if (strcasecmp(dir->directive, "SetHandler") != 0 || !dir->args) {
        return 0;
    }
    const char *args = dir->args;
    return strncmp(ap_getword_conf(p, &args), "seances-", 8) == 0;
}

typedef struct {
    apr_pool_t *pool;
    int uses_module; /* AuthType Seances or a seances-* handler somewhere */
    int errors;
} config_walk;

/* A passphrase in a section or any enclosing one covers an AuthType Seances inside it. */
static void walk_sections(config_walk *w, const ap_directive_t *first, int covered)
{
    for (const ap_directive_t *dir = first; dir; dir = dir->next) {
        covered = covered || is_passphrase_directive(dir);
    }
    for (const ap_directive_t *dir = first; dir; dir = dir->next) {
        int handler = is_seances_handler(w->pool, dir);
        if (is_seances_authtype(w->pool, dir) || handler) {
            w->uses_module = 1;
            if (!covered) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
                             SALOG(0402) "%s %s on line %d of %s needs " CFG_CRYPTO_PASSPHRASE
                                         " or " CFG_CRYPTO_PASSPHRASE_FILE
                                         " in the same or an enclosing context",
                             dir->directive, dir->args, dir->line_num, dir->filename);
                w->errors++;
            }
        }
        if (dir->first_child) {
            walk_sections(w, dir->first_child, covered);
        }
    }
}

int web_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)pconf;
    (void)plog;
    (void)s;
    config_walk w = {ptemp, 0, 0};
    walk_sections(&w, ap_conftree, 0);
    if (w.uses_module && web_db_init() != APR_SUCCESS) {
        ap_log_error(
            APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
            SALOG(0403) "mod_seances_auth stores its users and sessions through mod_dbd: load "
                        "mod_dbd and set DBDriver and DBDParams");
        w.errors++;
    }
    return w.errors ? HTTP_INTERNAL_SERVER_ERROR : OK;
}

static void warn_about_defaults(server_rec *s)
{
    const cfg_srv_config *c = cfg_srv(s);
    if (!c->base_url) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     SALOG(0404) CFG_BASE_URL
                     " is not set: password reset mails cannot carry links");
    }
}

/* The default zone of the portal's times, read once. Without a tz database (no tzdata) the
 * default zone's rule, built in, still gives the right times for today's dates. */
static sa_tz *default_timezone(apr_pool_t *pconf, server_rec *s, const char *name)
{
    sa_tz *tz = NULL;
    const char *why = sa_tz_load(pconf, SA_TZ_DIR, name, &tz);
    if (why) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     SALOG(0601) "the default time zone %s cannot be read from %s (%s): its rule "
                                 "%s is used; install tzdata or set " CFG_TIME_ZONE,
                     name, SA_TZ_DIR, why, SA_TZ_DEFAULT_RULE);
        sa_tz_from_rule(pconf, name, SA_TZ_DEFAULT_RULE, &tz);
    }
    return tz;
}

/* Every server without SeancesTimeZone gets the default zone (one copy for all). */
static void fill_timezones(apr_pool_t *pconf, server_rec *s)
{
    sa_tz *zone = NULL;
    for (server_rec *sp = s; sp; sp = sp->next) {
        cfg_srv_config *c = cfg_srv(sp);
        if (!c->tz) {
            zone = zone ? zone : default_timezone(pconf, s, cfg_timezone_name(c));
            c->tz = zone;
        }
    }
}

int web_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)plog;
    warn_about_defaults(s);
    fill_timezones(pconf, s);
    if (web_crypto_registry_init(pconf) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     SALOG(0405) "cannot create the crypto registry lock");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    web_db_init();
    web_metrics_init(s);
    if (web_mailer_setup(pconf, s) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (web_session_cache_setup(pconf, ptemp, s) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    for (server_rec *sp = s; sp; sp = sp->next) {
        const cfg_dir_config *d = ap_get_module_config(sp->lookup_defaults, &seances_auth_module);
        if (d && web_crypto_prewarm(pconf, sp, d->crypto) != APR_SUCCESS) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

int web_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    return web_session_cache_register(pconf) == APR_SUCCESS ? OK : HTTP_INTERNAL_SERVER_ERROR;
}

void web_child_init(apr_pool_t *pchild, server_rec *s)
{
    web_session_cache_child_init(pchild, s);
    web_session_child_init(pchild);
    web_mailer_child_init(pchild, s);
    if (web_hashgate_child_init(pchild, s) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     SALOG(0411) "cannot create the lock of the password-check gate: "
                                 "logins are not limited in this process");
    }
}
