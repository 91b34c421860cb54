/* The mail glue. Requests only compose and queue (web_mail_notice); the worker thread of
 * src/mail sends and reports here, where every outcome becomes a log line naming the
 * account's id (never the address) with a stable identifier. */
#include "httpd.h"
#include <string.h>

#include "http_log.h"
#include "apr_file_io.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/datefmt.h"
#include "core/defaults.h"
#include "core/mail.h"
#include "core/token.h"
#include "core/useragent.h"
#include "mail/smtp.h"
#include "store/events.h"
#include "web/mailer.h"
#include "web/metrics.h"
#include "web/request.h"

APLOG_USE_MODULE(seances_auth);

#define PASSWORD_FILE_MAX 1024

typedef struct {
    const server_rec *server;
    mail_smtp_conf *conf;
} server_smtp;

static apr_array_header_t *smtp_confs; /* server_smtp, in pconf: a few servers at most */
static mail_queue *queue;              /* this process's, from child_init */

static const char *read_password(apr_pool_t *p, const char *path)
{
    char buf[PASSWORD_FILE_MAX + 1];
    apr_size_t len = PASSWORD_FILE_MAX;
    apr_file_t *f;
    if (apr_file_open(&f, path, APR_READ, 0, p) != APR_SUCCESS) {
        return NULL;
    }
    apr_status_t rv = apr_file_read(f, buf, &len);
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        return NULL;
    }
    buf[len] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    const char *out = apr_pstrdup(p, buf);
    sa_wipe(buf, sizeof(buf));
    return out;
}

static apr_status_t setup_server(apr_pool_t *pconf, server_rec *sp)
{
    const cfg_srv_config *c = cfg_srv(sp);
    mail_smtp_conf *m = apr_pcalloc(pconf, sizeof(*m));
    const char *why = NULL;
    m->server = c->smtp_server;
    m->starttls = (mail_tls_mode)cfg_smtp_starttls(c);
    m->timeout = cfg_smtp_timeout(c);
    m->ca_file = c->smtp_ca_file;
    if (c->smtp_user) {
        m->user = c->smtp_user;
        m->password = read_password(pconf, c->smtp_pass_file);
        if (!m->password) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp,
                         SALOG(0820) CFG_SMTP_AUTH ": cannot read the password file %s",
                         c->smtp_pass_file);
            return APR_EGENERAL;
        }
    }
    if (mail_smtp_prepare(m, pconf, &why) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp, SALOG(0821) "SMTP for %s: %s", m->server, why);
        return APR_EGENERAL;
    }
    server_smtp *entry = apr_array_push(smtp_confs);
    entry->server = sp;
    entry->conf = m;
    return APR_SUCCESS;
}

apr_status_t web_mailer_setup(apr_pool_t *pconf, server_rec *s)
{
    smtp_confs = apr_array_make(pconf, 4, sizeof(server_smtp));
    for (server_rec *sp = s; sp; sp = sp->next) {
        const cfg_srv_config *c = cfg_srv(sp);
        if (c->smtp_server && setup_server(pconf, sp) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        if (c->smtp_server && !c->smtp_from) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, sp,
                         SALOG(0822) CFG_SMTP_SERVER " is set without " CFG_SMTP_FROM
                                                     ": no mail is sent");
        }
    }
    return APR_SUCCESS;
}

/* On the worker thread: every outcome of a queued mail, in the log. */
static void report(mail_event ev, const mail_job *job, const char *why)
{
    server_rec *s = job->report_ctx;
    switch (ev) {
    case MAIL_SENT:
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     SALOG(0801) "mail %s for account %" APR_INT64_T_FMT
                                 " handed to the SMTP server",
                     job->what, job->account);
        break;
    case MAIL_RETRYING:
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     SALOG(0802) "mail %s for account %" APR_INT64_T_FMT
                                 " not sent (%s): trying once more",
                     job->what, job->account, why);
        break;
    case MAIL_FAILED:
        web_metrics_inc(WEB_METRIC_MAILS_FAILED);
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     SALOG(0803) "mail %s for account %" APR_INT64_T_FMT " lost: %s", job->what,
                     job->account, why);
        break;
    case MAIL_QUEUE_FULL:
        web_metrics_inc(WEB_METRIC_MAILS_FAILED);
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     SALOG(0804) "mail %s for account %" APR_INT64_T_FMT " not queued: %s",
                     job->what, job->account, why);
        break;
    }
}

void web_mailer_child_init(apr_pool_t *pchild, server_rec *s)
{
    if (!smtp_confs || smtp_confs->nelts == 0) {
        return;
    }
    apr_status_t rv =
        mail_queue_start(pchild, sa_defaults.mail_queue,
                         apr_time_from_sec(sa_defaults.mail_retry_delay), report, &queue);
    if (rv != APR_SUCCESS) {
        queue = NULL;
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     SALOG(0805) "cannot start the mail thread: this process sends no mail");
    }
}

static mail_smtp_conf *smtp_of(server_rec *s)
{
    for (int i = 0; smtp_confs && i < smtp_confs->nelts; i++) {
        const server_smtp *e = &((const server_smtp *)smtp_confs->elts)[i];
        if (e->server == s) {
            return e->conf;
        }
    }
    return NULL;
}

int web_mailer_configured(request_rec *r)
{
    return smtp_of(r->server) && cfg_srv(r->server)->smtp_from;
}

static sa_lang user_lang(request_rec *r, const sa_user *u)
{
    sa_lang lang;
    if (u->lang && sa_lang_from_code(u->lang, &lang) == 0) {
        return lang;
    }
    return cfg_lang(cfg_dir(r));
}

int web_mail_notice(request_rec *r, const sa_user *u, sa_notice *n)
{
    const cfg_srv_config *c = cfg_srv(r->server);
    const char *name = sa_notice_name(n->kind), *message = NULL, *why = NULL;
    if (!web_mailer_configured(r) || !queue) {
        ap_log_rerror(APLOG_MARK, n->kind == SA_NOTICE_RESET ? APLOG_ERR : APLOG_DEBUG, 0, r,
                      SALOG(0806) "mail %s for account %" APR_INT64_T_FMT " not sent: %s", name,
                      (apr_int64_t)u->id,
                      queue ? CFG_SMTP_SERVER " and " CFG_SMTP_FROM " are needed"
                            : "no mail thread in this process");
        return 0;
    }
    n->lang = user_lang(r, u);
    n->user = u->name;
    n->sender = cfg_issuer(c);
    sa_notice_mail texts;
    sa_notice_compose(r->pool, n, &texts);
    sa_mail m = {.from = c->smtp_from,
                 .from_name = cfg_issuer(c),
                 .to = u->email,
                 .subject = texts.subject,
                 .text = texts.text,
                 .html = texts.html,
                 .date = apr_time_now()};
    if (sa_mail_compose(r->pool, &m, &message, &why) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0807) "mail %s for account %" APR_INT64_T_FMT " not composed: %s", name,
                      (apr_int64_t)u->id, why);
        return 0;
    }
    mail_job job = {&mail_smtp_backend,
                    smtp_of(r->server),
                    c->smtp_from,
                    u->email,
                    message,
                    (apr_int64_t)u->id,
                    name,
                    r->server};
    return mail_queue_push(queue, &job) == APR_SUCCESS;
}

static void event_details(request_rec *r, sa_lang lang, sa_notice *n)
{
    const cfg_srv_config *c = cfg_srv(r->server);
    n->when = sa_date_format(r->pool, cfg_timezone(c), apr_time_sec(r->request_time), lang);
    n->ip = web_client_ip(r);
    n->browser = sa_useragent_summary(r->pool, web_user_agent(r), lang);
}

static int has_address(request_rec *r, const sa_user *u, sa_notice_kind kind)
{
    if (*u->email) {
        return 1;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  SALOG(0809) "notice %s for account %" APR_INT64_T_FMT
                              " not sent: no e-mail address",
                  sa_notice_name(kind), (apr_int64_t)u->id);
    return 0;
}

void web_notify(request_rec *r, sa_db *db, apr_int64_t user_id, const sa_user *u,
                sa_notice_kind kind)
{
    sa_user *found = NULL;
    if (!web_mailer_configured(r)) {
        return;
    }
    if (!u) {
        if (sa_store_user_by_id(db, r->pool, user_id, &found) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                          SALOG(0808) "notice %s for account %" APR_INT64_T_FMT
                                      " not sent: the account cannot "
                                      "be read",
                          sa_notice_name(kind), (apr_int64_t)user_id);
            return;
        }
        u = found;
    }
    sa_notice n = {.kind = kind};
    event_details(r, user_lang(r, u), &n);
    if (has_address(r, u, kind)) {
        web_mail_notice(r, u, &n);
    }
}

void web_notify_admin_change(request_rec *r, const sa_user *u, sa_notice_kind kind,
                             apr_int64_t when)
{
    sa_notice n = {.kind = kind, .by_admin = 1};
    if (!has_address(r, u, kind)) {
        return;
    }
    n.when = sa_date_format(r->pool, cfg_timezone(cfg_srv(r->server)), when, user_lang(r, u));
    web_mail_notice(r, u, &n);
}

void web_notify_login(request_rec *r, sa_db *db, const sa_user *u)
{
    const char *lang = sa_lang_code(web_request_lang(r));
    apr_int64_t seen = 0;
    if (sa_store_user_set_lang(db, r->pool, u->id, lang) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      SALOG(0810) "the language of account %" APR_INT64_T_FMT
                                  "'s mails was not saved",
                      (apr_int64_t)u->id);
    }
    if (!cfg_notify_new_login(cfg_srv(r->server)) || !web_mailer_configured(r)) {
        return;
    }
    /* this login's own event is one of them */
    if (sa_store_events_seen(db, r->pool, u->id, web_client_ip(r), web_user_agent(r), &seen) ==
            APR_SUCCESS &&
        seen <= 1) {
        sa_user now = *u; /* in the language just saved */
        now.lang = lang;
        web_notify(r, db, u->id, &now, SA_NOTICE_NEW_LOGIN);
    }
}
