/* The directives of mod_seances_auth: one handler each, validating its arguments at start-up
 * so that "apachectl -t" names the directive and the line of a bad value. */
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_lib.h"
#include "apr_file_info.h"
#include "apr_file_io.h"
#include "apr_hash.h"

#include "cfg/logno.h"
#include "core/defaults.h"
#include "core/passphrase.h"
#include "core/token.h"
#include "core/validate.h"
#include "cfg/config.h"
#include "cache/socache.h"
#include "mail/smtp.h"
#include "cfg/directives.h"

APLOG_USE_MODULE(seances_auth);

void cfg_crypto_spec_finish(apr_pool_t *p, cfg_crypto_spec *spec)
{
    const char *key = sa_cipher_name(spec->cipher);
    const char **pp = (const char **)spec->passphrases->elts;
    for (int i = 0; i < spec->passphrases->nelts; i++) {
        key = apr_pstrcat(p, key, "\n", pp[i], NULL);
    }
    spec->registry_key = key;
    if (spec->passphrases->nelts > 0) {
        static const char label[] = "mod_seances_auth csrf key";
        unsigned int len = sizeof(spec->csrf_key);
        HMAC(EVP_sha256(), pp[0], (int)strlen(pp[0]), (const unsigned char *)label,
             sizeof(label) - 1, spec->csrf_key, &len);
    }
}

static cfg_crypto_spec *crypto_spec(cmd_parms *cmd, cfg_dir_config *d)
{
    if (!d->crypto) {
        d->crypto = apr_pcalloc(cmd->pool, sizeof(*d->crypto));
        d->crypto->cipher = SA_CIPHER_AES256;
        d->crypto->passphrases = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    return d->crypto;
}

static const char *add_passphrase(cmd_parms *cmd, cfg_crypto_spec *spec, const char *word)
{
    if (strlen(word) < SA_PASSPHRASE_MIN) {
        return apr_psprintf(cmd->pool,
                            "%s: a passphrase must be at least %d characters long "
                            "(use a long random secret, e.g. openssl rand -base64 32)",
                            cmd->directive->directive, SA_PASSPHRASE_MIN);
    }
    const char *weak = sa_passphrase_weakness(word);
    if (weak) {
        return apr_psprintf(cmd->pool,
                            "%s: the passphrase %s: it is too easy to guess "
                            "(use a long random secret, e.g. openssl rand -base64 32)",
                            cmd->directive->directive, weak);
    }
    *(const char **)apr_array_push(spec->passphrases) = apr_pstrdup(cmd->pool, word);
    cfg_crypto_spec_finish(cmd->pool, spec);
    return NULL;
}

static const char *set_passphrase(cmd_parms *cmd, void *cfg, const char *arg)
{
    return add_passphrase(cmd, crypto_spec(cmd, cfg), arg);
}

/* Whoever reads the file can mint cookies for any user: Apache reads it as root at start-up,
 * so nobody else needs to. A warning, not a refusal, so that an upgrade does not stop a
 * server that ran yesterday; seances-admin check reports it as a failure. */
static void warn_if_readable(cmd_parms *cmd, const char *path, const char *arg)
{
    apr_finfo_t fi;
    if (apr_stat(&fi, path, APR_FINFO_PROT, cmd->temp_pool) == APR_SUCCESS &&
        (fi.protection & (APR_GREAD | APR_GWRITE | APR_WREAD | APR_WWRITE))) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                     SALOG(0421) "%s: the passphrase file '%s' can be read or written by its "
                                 "group or by others: chmod go-rwx '%s' (whoever reads it can "
                                 "forge session cookies)",
                     cmd->directive->directive, arg, path);
    }
}

static const char *set_passphrase_file(cmd_parms *cmd, void *cfg, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    ap_configfile_t *file;
    char line[4096];
    if (!path || ap_pcfg_openfile(&file, cmd->temp_pool, path) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: cannot read the passphrase file '%s'",
                            cmd->directive->directive, arg);
    }
    warn_if_readable(cmd, path, arg);
    cfg_crypto_spec *spec = crypto_spec(cmd, cfg);
    int before = spec->passphrases->nelts;
    while (!ap_cfg_getline(line, sizeof(line), file)) {
        const char *rest = line;
        while (*rest) {
            char *word = ap_getword_conf(cmd->temp_pool, &rest);
            if (!*word || *word == '#') {
                break;
            }
            const char *err = add_passphrase(cmd, spec, word);
            sa_wipe_str(word);
            if (err) {
                ap_cfg_closefile(file);
                return apr_psprintf(cmd->pool, "%s (in '%s')", err, arg);
            }
        }
    }
    sa_wipe(line, sizeof(line));
    ap_cfg_closefile(file);
    if (spec->passphrases->nelts == before) {
        return apr_psprintf(cmd->pool, "%s: the file '%s' holds no passphrase",
                            cmd->directive->directive, arg);
    }
    return NULL;
}

static const char *set_cipher(cmd_parms *cmd, void *cfg, const char *arg)
{
    cfg_crypto_spec *spec = crypto_spec(cmd, cfg);
    if (sa_cipher_from_name(arg, &spec->cipher) != 0) {
        return apr_psprintf(cmd->pool, CFG_CRYPTO_CIPHER ": unknown cipher '%s' (use one of %s)",
                            arg, SA_CIPHER_NAMES);
    }
    spec->cipher_set = 1;
    if (spec->cipher != SA_CIPHER_AES256) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                     SALOG(0401) CFG_CRYPTO_CIPHER
                     " %s is kept for compatibility with existing "
                     "mod_session_crypto deployments; aes256 is recommended",
                     arg);
    }
    cfg_crypto_spec_finish(cmd->pool, spec);
    return NULL;
}

static const char *set_cookie_name(cmd_parms *cmd, void *cfg, const char *args)
{
    cfg_dir_config *d = cfg;
    const char *name = ap_getword_conf(cmd->pool, &args);
    if (!*name || strpbrk(name, "=&;, \t\"")) {
        return CFG_COOKIE_NAME ": the name may not be empty nor contain = & ; , space or quotes";
    }
    while (*args == ' ' || *args == '\t') {
        args++;
    }
    if (strpbrk(args, "\r\n")) {
        return CFG_COOKIE_NAME ": the attributes may not contain line breaks";
    }
    d->cookie_name = name;
    d->cookie_attrs = *args ? apr_pstrdup(cmd->pool, args) : NULL;
    return NULL;
}

static const char *parse_duration_arg(cmd_parms *cmd, const char *arg, apr_interval_time_t *out)
{
    const char *why = sa_parse_duration(arg, out);
    if (why) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a valid duration: %s",
                            cmd->directive->directive, arg, why);
    }
    return NULL;
}

/* SeancesSessionIdle and SeancesSessionMax: a positive duration stored at cmd->info. */
static const char *set_session_limit(cmd_parms *cmd, void *cfg, const char *arg)
{
    apr_interval_time_t *field = (apr_interval_time_t *)((char *)cfg + (apr_size_t)cmd->info);
    const char *err = parse_duration_arg(cmd, arg, field);
    if (!err && *field <= 0) {
        return apr_psprintf(cmd->pool, "%s: must be greater than 0", cmd->directive->directive);
    }
    return err;
}

/* "30" means days; "off" hides the checkbox; a duration with a suffix ("45s") is accepted too,
 * which the tests use for short lifetimes. */
static const char *set_remember(cmd_parms *cmd, void *cfg, const char *arg)
{
    cfg_dir_config *d = cfg;
    d->remember_set = 1;
    if (!strcasecmp(arg, "off")) {
        d->remember = 0;
        return NULL;
    }
    const char *spec =
        apr_isdigit(arg[strlen(arg) - 1]) ? apr_pstrcat(cmd->pool, arg, "d", NULL) : arg;
    const char *err = parse_duration_arg(cmd, spec, &d->remember);
    if (!err && d->remember <= 0) {
        return CFG_REMEMBER_ME ": use a number of days greater than 0, or off";
    }
    if (!err && d->remember > apr_time_from_sec(400 * 86400)) {
        return CFG_REMEMBER_ME ": browsers cap cookies at 400 days; use a smaller value";
    }
    return err;
}

static const char *set_local_url(cmd_parms *cmd, void *cfg, const char *arg)
{
    const char **field = (const char **)((char *)cfg + (apr_size_t)cmd->info);
    if (arg[0] != '/' || strcmp(sa_safe_return_path(arg), arg) != 0) {
        return apr_psprintf(cmd->pool, "%s: '%s' must be a local path starting with /",
                            cmd->directive->directive, arg);
    }
    *field = arg;
    return NULL;
}

static const char *set_twofactor(cmd_parms *cmd, void *cfg, const char *arg)
{
    cfg_dir_config *d = cfg;
    if (!strcasecmp(arg, "off")) {
        d->twofactor = SA_2FA_OFF;
    } else if (!strcasecmp(arg, "optional")) {
        d->twofactor = SA_2FA_OPTIONAL;
    } else if (!strcasecmp(arg, "required")) {
        d->twofactor = SA_2FA_REQUIRED;
    } else {
        return apr_psprintf(cmd->pool, CFG_TWO_FACTOR ": '%s' is not off, optional or required",
                            arg);
    }
    return NULL;
}

static const char *set_cookie_remove(cmd_parms *cmd, void *cfg, int on)
{
    (void)cmd;
    ((cfg_dir_config *)cfg)->cookie_remove = on;
    return NULL;
}

/* SeancesCacheControl off|value: a header value on one line, of printable ASCII. */
static const char *set_cache_control(cmd_parms *cmd, void *cfg, const char *arg)
{
    if (strcasecmp(arg, "off") == 0) {
        ((cfg_dir_config *)cfg)->cache_control = "";
        return NULL;
    }
    for (const char *c = arg; *c; c++) {
        if (*c < 0x20 || *c > 0x7e) {
            return CFG_CACHE_CONTROL ": takes off or a Cache-Control value of printable ASCII, "
                                     "e.g. \"private, no-cache\"";
        }
    }
    if (!*arg) {
        return CFG_CACHE_CONTROL ": takes off or a Cache-Control value, e.g. private";
    }
    ((cfg_dir_config *)cfg)->cache_control = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_pass_headers(cmd_parms *cmd, void *cfg, int on)
{
    (void)cmd;
    ((cfg_dir_config *)cfg)->pass_headers = on;
    return NULL;
}

static const char *set_language(cmd_parms *cmd, void *cfg, const char *arg)
{
    sa_lang lang;
    if (sa_lang_from_code(arg, &lang) != 0) {
        return apr_psprintf(cmd->pool, CFG_LANGUAGE ": '%s' is not one of fr, de, it, en", arg);
    }
    ((cfg_dir_config *)cfg)->lang = (int)lang;
    return NULL;
}

static const char *set_template_dir(cmd_parms *cmd, void *cfg, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_finfo_t fi;
    if (!path || apr_stat(&fi, path, APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS ||
        fi.filetype != APR_DIR) {
        return apr_psprintf(cmd->pool, CFG_TEMPLATE_DIR ": '%s' is not a readable directory", arg);
    }
    ((cfg_dir_config *)cfg)->template_dir = path;
    return NULL;
}

#define LOGO_MAX ((apr_off_t)512 * 1024)

static const char *logo_type(const char *path)
{
    static const char *const types[][2] = {{".png", "image/png"},   {".svg", "image/svg+xml"},
                                           {".jpg", "image/jpeg"},  {".jpeg", "image/jpeg"},
                                           {".webp", "image/webp"}, {".gif", "image/gif"}};
    size_t len = strlen(path);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t n = strlen(types[i][0]);
        if (len > n && strcasecmp(path + len - n, types[i][0]) == 0) {
            return types[i][1];
        }
    }
    return NULL;
}

/* The logo is read once, here: a missing or unsuitable file fails apachectl -t. */
static const char *read_logo(cmd_parms *cmd, const char *arg, const cfg_logo **out)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    const char *type = path ? logo_type(path) : NULL;
    apr_finfo_t fi;
    apr_file_t *f;
    if (!type) {
        return apr_psprintf(cmd->pool,
                            CFG_ORGANISATION ": the logo '%s' is not a .png, .svg, "
                                             ".jpg, .webp or .gif file",
                            arg);
    }
    if (apr_stat(&fi, path, APR_FINFO_SIZE | APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS ||
        fi.filetype != APR_REG || fi.size <= 0 || fi.size > LOGO_MAX ||
        apr_file_open(&f, path, APR_READ | APR_BINARY, 0, cmd->temp_pool) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool,
                            CFG_ORGANISATION ": the logo '%s' is not a readable "
                                             "file of at most 512 KiB",
                            arg);
    }
    cfg_logo *logo = apr_pcalloc(cmd->pool, sizeof(*logo));
    char *data = apr_palloc(cmd->pool, (apr_size_t)fi.size);
    apr_size_t len = (apr_size_t)fi.size;
    apr_status_t rv = apr_file_read_full(f, data, len, &len);
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, CFG_ORGANISATION ": cannot read the logo '%s'", arg);
    }
    logo->data = data;
    logo->len = len;
    logo->type = type;
    apr_ssize_t hash_len = (apr_ssize_t)len;
    logo->version = apr_psprintf(cmd->pool, "%08x", apr_hashfunc_default(data, &hash_len));
    *out = logo;
    return NULL;
}

static const char *set_organisation(cmd_parms *cmd, void *cfg, const char *name, const char *logo)
{
    cfg_dir_config *d = cfg;
    if (!*name || strlen(name) > 200) {
        return CFG_ORGANISATION ": the name must have 1 to 200 characters";
    }
    d->organisation = name;
    d->logo = NULL;
    return logo ? read_logo(cmd, logo, &d->logo) : NULL;
}

static cfg_srv_config *srv(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &seances_auth_module);
}

static const char *set_issuer(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    if (!*arg || strlen(arg) > 64 || strchr(arg, ':')) {
        return CFG_ISSUER ": give 1 to 64 characters without ':'";
    }
    srv(cmd)->issuer = arg;
    return NULL;
}

/* SeancesRetention, SeancesHousekeeping, SeancesSessionRecheck: a duration stored at cmd->info
 * in the server configuration. */
static const char *set_server_duration(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    apr_interval_time_t *field = (apr_interval_time_t *)((char *)srv(cmd) + (apr_size_t)cmd->info);
    const char *err = parse_duration_arg(cmd, arg, field);
    if (!err && strcmp(cmd->directive->directive, CFG_RETENTION) == 0 &&
        *field < apr_time_from_sec(86400)) {
        return CFG_RETENTION ": keep at least one day (1d) of login history";
    }
    return err;
}

/* SeancesSessionCache provider[:args] | none: one cache for the whole server. */
static const char *set_session_cache(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    cfg_srv_config *c = srv(cmd);
    if (err) {
        return err;
    }
    c->session_cache = arg;
    if (!strcasecmp(arg, "none")) {
        return NULL;
    }
    c->session_cache_made = apr_pcalloc(cmd->pool, sizeof(cache_t));
    err = cache_socache_create(cmd->pool, cmd->temp_pool, arg, c->session_cache_made);
    return err ? apr_psprintf(cmd->pool, CFG_SESSION_CACHE ": %s", err) : NULL;
}

static const char *parse_count(cmd_parms *cmd, const char *arg, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < 1 || v > 100000) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a whole number from 1 to 100000",
                            cmd->directive->directive, arg);
    }
    *out = (int)v;
    return NULL;
}

/* SeancesDatabaseWait: seconds (as every duration) or milliseconds ("500ms"), from 100 ms to
 * a minute: longer would hold a worker thread for someone else's lock. */
static const char *set_database_wait(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    apr_interval_time_t wait = 0;
    size_t len = strlen(arg);
    const char *err = NULL;
    if (len > 2 && strcmp(arg + len - 2, "ms") == 0) {
        char *end;
        long ms = strtol(arg, &end, 10);
        if (!apr_isdigit(*arg) || end != arg + len - 2) {
            return CFG_DATABASE_WAIT ": give a duration such as 2s or 500ms";
        }
        wait = apr_time_from_msec(ms);
    } else if ((err = parse_duration_arg(cmd, arg, &wait)) != NULL) {
        return err;
    }
    if (wait < apr_time_from_msec(100) || wait > apr_time_from_sec(60)) {
        return CFG_DATABASE_WAIT ": give 100ms to 60s";
    }
    srv(cmd)->db_wait = wait;
    return NULL;
}

/* SeancesHashConcurrency n [queue] */
static const char *set_hash_concurrency(cmd_parms *cmd, void *cfg, const char *n, const char *queue)
{
    (void)cfg;
    cfg_srv_config *c = srv(cmd);
    const char *err = parse_count(cmd, n, &c->hash_concurrency);
    if (err || !queue) {
        c->hash_queue = CFG_UNSET;
        return err;
    }
    if (strcmp(queue, "0") == 0) {
        c->hash_queue = 0;
        return NULL;
    }
    return parse_count(cmd, queue, &c->hash_queue);
}

/* SeancesLockout n window ban [n-per-address] */
static const char *set_lockout(cmd_parms *cmd, void *cfg, int argc, char *const argv[])
{
    (void)cfg;
    cfg_srv_config *c = srv(cmd);
    const char *err;
    if (argc < 3 || argc > 4) {
        return CFG_LOCKOUT ": takes n window ban [n-per-address], e.g. 5 15m 15m 20";
    }
    if ((err = parse_count(cmd, argv[0], &c->lockout_n)) ||
        (err = parse_duration_arg(cmd, argv[1], &c->lockout_window)) ||
        (err = parse_duration_arg(cmd, argv[2], &c->lockout_ban))) {
        return err;
    }
    if (c->lockout_window <= 0 || c->lockout_ban <= 0) {
        return CFG_LOCKOUT ": window and ban must be greater than 0";
    }
    c->lockout_ip_n = 4 * c->lockout_n;
    return argc == 4 ? parse_count(cmd, argv[3], &c->lockout_ip_n) : NULL;
}

static const char *set_password_min(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    const char *err = parse_count(cmd, arg, &srv(cmd)->password_min);
    if (!err && (srv(cmd)->password_min < SA_PASSWORD_MIN_FLOOR ||
                 srv(cmd)->password_min > SA_PASSWORD_MAX_CHARS)) {
        return apr_psprintf(cmd->pool, CFG_PASSWORD_MIN_LENGTH ": must be from %d to %d",
                            SA_PASSWORD_MIN_FLOOR, SA_PASSWORD_MAX_CHARS);
    }
    return err;
}

static const char *set_blocklist(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    cfg_srv_config *c = srv(cmd);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    if (!path || sa_password_blocklist_load(cmd->pool, path, &c->blocklist) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, CFG_PASSWORD_BLOCKLIST ": cannot read '%s'", arg);
    }
    c->blocklist_file = path;
    return NULL;
}

static const char *set_base_url(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    apr_uri_t uri;
    if (apr_uri_parse(cmd->pool, arg, &uri) != APR_SUCCESS || !uri.scheme || !uri.hostname ||
        !*uri.hostname || (strcmp(uri.scheme, "https") != 0 && strcmp(uri.scheme, "http") != 0) ||
        uri.user || uri.query || uri.fragment) {
        return apr_psprintf(cmd->pool,
                            CFG_BASE_URL ": '%s' is not an absolute http(s) URL such as "
                                         "https://seances.example.ch",
                            arg);
    }
    size_t n = strlen(arg);
    srv(cmd)->base_url = (n > 0 && arg[n - 1] == '/') ? apr_pstrndup(cmd->pool, arg, n - 1) : arg;
    return NULL;
}

static const char *set_smtp_server(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    const char *colon = strrchr(arg, ':');
    if (!*arg || strpbrk(arg, " /\t")) {
        return CFG_SMTP_SERVER ": give host or host:port";
    }
    if (colon) {
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (colon == arg || *end || port < 1 || port > 65535) {
            return apr_psprintf(cmd->pool, CFG_SMTP_SERVER ": bad port in '%s'", arg);
        }
    }
    srv(cmd)->smtp_server = arg;
    return NULL;
}

static const char *set_smtp_from(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    const char *why = sa_validate_email(arg);
    if (why) {
        return apr_psprintf(cmd->pool, CFG_SMTP_FROM ": '%s': %s", arg, why);
    }
    srv(cmd)->smtp_from = arg;
    return NULL;
}

static const char *set_smtp_auth(cmd_parms *cmd, void *cfg, const char *user, const char *file)
{
    (void)cfg;
    const char *path = ap_server_root_relative(cmd->pool, file);
    apr_file_t *f;
    if (!path || apr_file_open(&f, path, APR_READ, 0, cmd->temp_pool) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, CFG_SMTP_AUTH ": cannot read the password file '%s'", file);
    }
    apr_file_close(f);
    srv(cmd)->smtp_user = user;
    srv(cmd)->smtp_pass_file = path;
    return NULL;
}

/* SeancesSMTPCACertificate: read now, so that apachectl -t names a file that holds no
 * certificate, rather than every mail failing later. */
static const char *set_smtp_ca(cmd_parms *cmd, void *cfg, const char *file)
{
    (void)cfg;
    const char *path = ap_server_root_relative(cmd->pool, file);
    const char *why = NULL;
    if (!path || mail_smtp_check_ca(path, &why) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, CFG_SMTP_CA " '%s': %s", file, why ? why : "bad path");
    }
    srv(cmd)->smtp_ca_file = path;
    return NULL;
}

static const char *set_smtp_starttls(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    int *v = &srv(cmd)->smtp_starttls;
    if (!strcasecmp(arg, "off")) {
        *v = 0;
    } else if (!strcasecmp(arg, "on")) {
        *v = 1;
    } else if (!strcasecmp(arg, "required")) {
        *v = 2;
    } else {
        return CFG_SMTP_START_TLS ": use on, off or required";
    }
    return NULL;
}

/* SeancesResetExpiry: a minute to a day (SEC-52: never more than 24 h). */
static const char *set_reset_expiry(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    apr_interval_time_t v = 0;
    const char *err = parse_duration_arg(cmd, arg, &v);
    if (err) {
        return err;
    }
    if (v < apr_time_from_sec(60) || v > apr_time_from_sec(sa_defaults.reset_expiry_max)) {
        return CFG_RESET_EXPIRY ": give 1m to 24h";
    }
    srv(cmd)->reset_expiry = v;
    return NULL;
}

/* SeancesResetLimit per-account per-address window */
static const char *set_reset_limit(cmd_parms *cmd, void *cfg, const char *args)
{
    (void)cfg;
    cfg_srv_config *c = srv(cmd);
    const char *account = ap_getword_conf(cmd->temp_pool, &args);
    const char *address = ap_getword_conf(cmd->temp_pool, &args);
    const char *window = ap_getword_conf(cmd->temp_pool, &args);
    const char *err = NULL;
    if (!*window || *args) {
        return CFG_RESET_LIMIT ": give mails-per-account requests-per-address window, e.g. 3 10 1h";
    }
    if ((err = parse_count(cmd, account, &c->reset_limit_account)) ||
        (err = parse_count(cmd, address, &c->reset_limit_address)) ||
        (err = parse_duration_arg(cmd, window, &c->reset_limit_window))) {
        c->reset_limit_account = CFG_UNSET;
        return err;
    }
    if (c->reset_limit_window < apr_time_from_sec(1)) {
        c->reset_limit_account = CFG_UNSET;
        return CFG_RESET_LIMIT ": the window must be at least 1s";
    }
    return NULL;
}

/* SeancesSMTPTimeout: 1 s to 5 min per phase of the conversation. */
static const char *set_smtp_timeout(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    apr_interval_time_t v = 0;
    const char *err = parse_duration_arg(cmd, arg, &v);
    if (err) {
        return err;
    }
    if (v < apr_time_from_sec(1) || v > apr_time_from_sec(300)) {
        return CFG_SMTP_TIMEOUT ": give 1s to 5m";
    }
    srv(cmd)->smtp_timeout = v;
    return NULL;
}

static const char *set_notify_new_login(cmd_parms *cmd, void *cfg, int on)
{
    (void)cfg;
    srv(cmd)->notify_new_login = on;
    return NULL;
}

static const char *set_app(cmd_parms *cmd, void *cfg, const char *name, const char *title,
                           const char *url)
{
    (void)cfg;
    const char *why = sa_validate_app_name(name);
    if (why) {
        return apr_psprintf(cmd->pool, CFG_APP ": '%s': %s", name, why);
    }
    if (!*title ||
        (url[0] != '/' && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)) {
        return CFG_APP ": give name \"Title\" url, the url local (/...) or http(s)://";
    }
    cfg_app *app = apr_array_push(srv(cmd)->apps);
    app->name = name;
    app->title = title;
    app->url = url;
    return NULL;
}

/* The zone file is read now, so that "apachectl -t" names a zone that does not exist. */
static const char *set_timezone(cmd_parms *cmd, void *cfg, const char *arg)
{
    (void)cfg;
    sa_tz *tz = NULL;
    const char *why = sa_tz_load(cmd->pool, SA_TZ_DIR, arg, &tz);
    if (why) {
        return apr_psprintf(cmd->pool, CFG_TIME_ZONE ": '%s': %s", arg, why);
    }
    srv(cmd)->tz_name = arg;
    srv(cmd)->tz = tz;
    return NULL;
}

#define DIR_AND_SERVER (RSRC_CONF | ACCESS_CONF | OR_AUTHCFG)

const command_rec cfg_commands[] = {
    AP_INIT_ITERATE(CFG_CRYPTO_PASSPHRASE, set_passphrase, NULL, DIR_AND_SERVER,
                    "passphrases for the session cookie: the first encrypts, all decrypt"),
    AP_INIT_TAKE1(CFG_CRYPTO_PASSPHRASE_FILE, set_passphrase_file, NULL, RSRC_CONF | ACCESS_CONF,
                  "a file of passphrases, read at start-up"),
    AP_INIT_TAKE1(CFG_CRYPTO_CIPHER, set_cipher, NULL, DIR_AND_SERVER,
                  "aes256 (default), aes192, aes128 or 3des192"),
    AP_INIT_RAW_ARGS(CFG_COOKIE_NAME, set_cookie_name, NULL, DIR_AND_SERVER,
                     "cookie name and optional attributes"),
    AP_INIT_TAKE1(CFG_SESSION_IDLE, set_session_limit, (void *)offsetof(cfg_dir_config, idle),
                  DIR_AND_SERVER, "idle timeout of a session (default 30m)"),
    AP_INIT_TAKE1(CFG_SESSION_MAX, set_session_limit, (void *)offsetof(cfg_dir_config, max),
                  DIR_AND_SERVER, "absolute lifetime of a session (default 12h)"),
    AP_INIT_TAKE1(CFG_REMEMBER_ME, set_remember, NULL, DIR_AND_SERVER,
                  "lifetime in days of a \"Rester connecté\" session, or off (default 30)"),
    AP_INIT_TAKE1(CFG_LOGIN_URL, set_local_url, (void *)offsetof(cfg_dir_config, login_url),
                  DIR_AND_SERVER, "where the login form is (default /login)"),
    AP_INIT_TAKE1(CFG_PORTAL_URL, set_local_url, (void *)offsetof(cfg_dir_config, portal_url),
                  DIR_AND_SERVER, "where the user portal is (default /portal)"),
    AP_INIT_TAKE1(CFG_TWO_FACTOR, set_twofactor, NULL, DIR_AND_SERVER,
                  "off, optional (default) or required"),
    AP_INIT_TAKE1(CFG_TWO_FACTOR_URL, set_local_url,
                  (void *)offsetof(cfg_dir_config, twofactor_url), DIR_AND_SERVER,
                  "where the 2FA setup page is (default /2fa/setup)"),
    AP_INIT_FLAG(CFG_PASS_HEADERS, set_pass_headers, NULL, ACCESS_CONF | OR_AUTHCFG,
                 "send X-Remote-User and X-Remote-Email to the back end"),
    AP_INIT_FLAG(CFG_COOKIE_REMOVE, set_cookie_remove, NULL, ACCESS_CONF | OR_AUTHCFG,
                 "strip the session cookie from the request before the back end (default on)"),
    AP_INIT_TAKE1(CFG_CACHE_CONTROL, set_cache_control, NULL, ACCESS_CONF | OR_AUTHCFG,
                  "Cache-Control of protected responses, or off (default private)"),
    AP_INIT_TAKE1(CFG_LANGUAGE, set_language, NULL, DIR_AND_SERVER,
                  "default language of the pages: fr, de, it or en"),
    AP_INIT_TAKE12(CFG_ORGANISATION, set_organisation, NULL, RSRC_CONF | ACCESS_CONF,
                   "the organisation's name, shown on every page of the module, and optionally "
                   "its logo (a .png, .svg, .jpg, .webp or .gif file)"),
    AP_INIT_TAKE1(CFG_TEMPLATE_DIR, set_template_dir, NULL, RSRC_CONF | ACCESS_CONF,
                  "a directory of templates overriding the built-in pages"),
    AP_INIT_TAKE1(CFG_RETENTION, set_server_duration, (void *)offsetof(cfg_srv_config, retention),
                  RSRC_CONF, "how long the login history is kept (default 365d)"),
    AP_INIT_TAKE1(CFG_HOUSEKEEPING, set_server_duration,
                  (void *)offsetof(cfg_srv_config, housekeeping), RSRC_CONF,
                  "how often each process removes old rows (default 60s; 0: never)"),
    AP_INIT_TAKE1(CFG_SESSION_CACHE, set_session_cache, NULL, RSRC_CONF,
                  "ap_socache provider[:args] for validated sessions, or none (default shmcb)"),
    AP_INIT_TAKE1(CFG_SESSION_RECHECK, set_server_duration,
                  (void *)offsetof(cfg_srv_config, session_recheck), RSRC_CONF,
                  "how long a cached session is trusted without the database (default 1s)"),
    AP_INIT_TAKE1(CFG_DATABASE_WAIT, set_database_wait, NULL, RSRC_CONF,
                  "longest wait on a busy database before 503 (2s)"),
    AP_INIT_TAKE12(CFG_HASH_CONCURRENCY, set_hash_concurrency, NULL, RSRC_CONF,
                   "password checks at once per process [and logins that may wait]"),
    AP_INIT_TAKE1(CFG_ISSUER, set_issuer, NULL, RSRC_CONF, "the name shown in authenticator apps"),
    AP_INIT_TAKE_ARGV(CFG_LOCKOUT, set_lockout, NULL, RSRC_CONF, "n window ban [n-per-address]"),
    AP_INIT_TAKE1(CFG_PASSWORD_MIN_LENGTH, set_password_min, NULL, RSRC_CONF,
                  "minimum length of new passwords (default 12)"),
    AP_INIT_TAKE1(CFG_PASSWORD_BLOCKLIST, set_blocklist, NULL, RSRC_CONF,
                  "file of refused passwords, one a line"),
    AP_INIT_TAKE1(CFG_BASE_URL, set_base_url, NULL, RSRC_CONF,
                  "absolute base URL for links in mails"),
    AP_INIT_TAKE1(CFG_SMTP_SERVER, set_smtp_server, NULL, RSRC_CONF, "host[:port]"),
    AP_INIT_TAKE1(CFG_SMTP_FROM, set_smtp_from, NULL, RSRC_CONF, "sender address"),
    AP_INIT_TAKE2(CFG_SMTP_AUTH, set_smtp_auth, NULL, RSRC_CONF, "user password-file"),
    AP_INIT_TAKE1(
        CFG_SMTP_CA, set_smtp_ca, NULL, RSRC_CONF,
        "PEM file of the certificate authorities the mail server's certificate must chain to"),
    AP_INIT_TAKE1(CFG_SMTP_START_TLS, set_smtp_starttls, NULL, RSRC_CONF, "on, off or required"),
    AP_INIT_TAKE1(CFG_SMTP_TIMEOUT, set_smtp_timeout, NULL, RSRC_CONF,
                  "longest wait for each step of the SMTP conversation (30s)"),
    AP_INIT_TAKE1(CFG_RESET_EXPIRY, set_reset_expiry, NULL, RSRC_CONF,
                  "how long a password reset link lives (30m, at most 24h)"),
    AP_INIT_RAW_ARGS(CFG_RESET_LIMIT, set_reset_limit, NULL, RSRC_CONF,
                     "reset mails per account, requests per address, window (3 10 1h)"),
    AP_INIT_FLAG(CFG_NOTIFY_NEW_LOGIN, set_notify_new_login, NULL, RSRC_CONF,
                 "mail the user after a login from a browser and address not seen before (on)"),
    AP_INIT_TAKE3(CFG_APP, set_app, NULL, RSRC_CONF, "name \"Title\" url"),
    /* portal */
    AP_INIT_TAKE1(CFG_TIME_ZONE, set_timezone, NULL, RSRC_CONF,
                  "the time zone of the times shown, e.g. Europe/Zurich (the default)"),
    {NULL}};
