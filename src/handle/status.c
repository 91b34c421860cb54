/* seances-status: the operators' page, like mod_status: the counters of web/metrics.h (all
 * children of this Apache), the live sessions and whether the database answers. Prometheus
 * text with "?auto" (or an Accept that asks for text/plain or OpenMetrics rather than HTML),
 * else a small HTML table. Who may see it is the admin's Require on the location. */
#include "httpd.h"
#include <string.h>

#include "http_protocol.h"
#include "apr_strings.h"

#include "handle/handle.h"
#include "store/stats.h"
#include "web/db.h"
#include "web/metrics.h"
#include "web/page.h"

typedef struct {
    const char *name;   /* Prometheus name */
    const char *labels; /* "" or key="value" */
    web_metric metric;
    const char *type;
    const char *help;
} metric_line;

static const metric_line lines[] = {
    {"seances_logins_total", "result=\"ok\"", WEB_METRIC_LOGIN_OK, "counter",
     "Login attempts by outcome (unavailable: answered 503)."},
    {"seances_logins_total", "result=\"failed\"", WEB_METRIC_LOGIN_FAILED, "counter", NULL},
    {"seances_logins_total", "result=\"throttled\"", WEB_METRIC_LOGIN_THROTTLED, "counter", NULL},
    {"seances_logins_total", "result=\"unavailable\"", WEB_METRIC_LOGIN_UNAVAILABLE, "counter",
     NULL},
    {"seances_password_checks_total", "", WEB_METRIC_HASH_RUNS, "counter",
     "Password checks that got their turn."},
    {"seances_password_checks_waited_total", "", WEB_METRIC_HASH_WAITED, "counter",
     "Password checks that waited in the queue for their turn."},
    {"seances_password_checks_running", "", WEB_GAUGE_HASH_RUNNING, "gauge",
     "Password checks running now, all processes."},
    {"seances_password_checks_queued", "", WEB_GAUGE_HASH_QUEUED, "gauge",
     "Logins waiting for their turn now, all processes."},
    {"seances_password_checks_refused_total", "reason=\"queue_full\"", WEB_METRIC_HASH_QUEUE_FULL,
     "counter", "Logins answered 503 by SeancesHashConcurrency."},
    {"seances_password_checks_refused_total", "reason=\"wait_expired\"",
     WEB_METRIC_HASH_WAIT_EXPIRED, "counter", NULL},
    {"seances_twofactor_enrolments_total", "", WEB_METRIC_TWOFA_ENROLMENTS, "counter",
     "Two-factor enrolments completed."},
    {"seances_resets_sent_total", "", WEB_METRIC_RESETS_SENT, "counter",
     "Password reset mails sent."},
    {"seances_mails_failed_total", "", WEB_METRIC_MAILS_FAILED, "counter",
     "Mails that could not be handed to the SMTP server."},
    {"seances_session_cache_total", "result=\"hit\"", WEB_METRIC_CACHE_HITS, "counter",
     "Session cache lookups."},
    {"seances_session_cache_total", "result=\"miss\"", WEB_METRIC_CACHE_MISSES, "counter", NULL},
    {"seances_database_reopened_total", "", WEB_METRIC_DB_REOPENED, "counter",
     "Connections reopened on a replaced database file."},
    {"seances_database_reprepared_total", "", WEB_METRIC_DB_REPREPARED, "counter",
     "Connections whose statements were prepared again (schema change, PostgreSQL reset)."},
};

typedef struct {
    int db_up;
    apr_int64_t sessions;
} live_figures;

static int count_sessions(sa_db *db, void *ctx)
{
    request_rec *r = ((void **)ctx)[0];
    live_figures *f = ((void **)ctx)[1];
    return sa_store_sessions_live(db, r->pool, apr_time_sec(r->request_time), &f->sessions) !=
           APR_SUCCESS;
}

/* Not logged when the database fails: scrapes come every few seconds, and the figure itself
 * (seances_database_up 0) says it. */
static void live(request_rec *r, live_figures *f)
{
    void *ctx[2] = {r, f};
    sa_db *db = web_db(r);
    f->db_up = db && web_db_run(r, db, count_sessions, ctx) == 0;
}

/* Gauges move up and down by atomic additions: read them as signed numbers. */
static const char *value_of(apr_pool_t *p, web_metric m, const char *type)
{
    apr_uint64_t v = web_metrics_get(m);
    if (strcmp(type, "gauge") == 0) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)v);
    }
    return apr_psprintf(p, "%" APR_UINT64_T_FMT, v);
}

static void prometheus_line(request_rec *r, const char *name, const char *labels, const char *value)
{
    ap_rprintf(r, "%s%s%s%s %s\n", name, *labels ? "{" : "", labels, *labels ? "}" : "", value);
}

static void prometheus_head(request_rec *r, const char *name, const char *type, const char *help)
{
    ap_rprintf(r, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prometheus(request_rec *r, const live_figures *f)
{
    ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        const metric_line *m = &lines[i];
        if (m->help) {
            prometheus_head(r, m->name, m->type, m->help);
        }
        prometheus_line(r, m->name, m->labels, value_of(r->pool, m->metric, m->type));
    }
    prometheus_head(r, "seances_database_errors_total", "counter",
                    "Database failures answered 503, by cause.");
    for (int k = WEB_DB_OK + 1; k < WEB_DB_KINDS; k++) {
        prometheus_line(r, "seances_database_errors_total",
                        apr_psprintf(r->pool, "kind=\"%s\"", web_db_kind_name((web_db_kind)k)),
                        value_of(r->pool, (web_metric)(WEB_METRIC_DB_ERRORS + k), "counter"));
    }
    prometheus_head(r, "seances_database_up", "gauge", "1 when the database answered this scrape.");
    prometheus_line(r, "seances_database_up", "", f->db_up ? "1" : "0");
    if (f->db_up) {
        prometheus_head(r, "seances_sessions_live", "gauge",
                        "Sessions not past their absolute end (idle ones until housekeeping).");
        prometheus_line(r, "seances_sessions_live", "",
                        apr_psprintf(r->pool, "%" APR_INT64_T_FMT, f->sessions));
    }
}

static void html_row(request_rec *r, const char *name, const char *labels, const char *value)
{
    ap_rprintf(r, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", name,
               ap_escape_html(r->pool, labels), value);
}

static void html(request_rec *r, const live_figures *f)
{
    apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                   "default-src 'none'; frame-ancestors 'none'");
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width\">"
             "<title>mod_seances_auth status</title></head><body>\n"
             "<h1>mod_seances_auth status</h1>\n",
             r);
    ap_rprintf(r,
               "<p>%s. Counters of all processes since Apache started (kept across "
               "graceful restarts). Prometheus text: <a href=\"?auto\">?auto</a>.</p>\n",
               ap_ht_time(r->pool, r->request_time, "%Y-%m-%d %H:%M:%S %Z", 0));
    ap_rputs("<table>\n<tr><th>counter</th><th>labels</th><th>value</th></tr>\n", r);
    html_row(r, "seances_database_up", "", f->db_up ? "1" : "0");
    if (f->db_up) {
        html_row(r, "seances_sessions_live", "",
                 apr_psprintf(r->pool, "%" APR_INT64_T_FMT, f->sessions));
    }
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        html_row(r, lines[i].name, lines[i].labels,
                 value_of(r->pool, lines[i].metric, lines[i].type));
    }
    for (int k = WEB_DB_OK + 1; k < WEB_DB_KINDS; k++) {
        html_row(r, "seances_database_errors_total",
                 apr_psprintf(r->pool, "kind=\"%s\"", web_db_kind_name((web_db_kind)k)),
                 value_of(r->pool, (web_metric)(WEB_METRIC_DB_ERRORS + k), "counter"));
    }
    ap_rputs("</table>\n</body></html>\n", r);
}

/* ?auto (as mod_status), ?format=prometheus, or an Accept header that prefers plain text or
 * OpenMetrics to HTML (what Prometheus sends). */
static int wants_text(request_rec *r)
{
    const char *args = r->args ? r->args : "";
    const char *accept = apr_table_get(r->headers_in, "Accept");
    if ((strncmp(args, "auto", 4) == 0 && (!args[4] || args[4] == '=' || args[4] == '&')) ||
        strcmp(args, "format=prometheus") == 0) {
        return 1; /* "auto", "auto=" (as a scraper's params write it), "auto&..." */
    }
    return accept && !ap_strstr_c(accept, "text/html") &&
           (ap_strstr_c(accept, "text/plain") || ap_strstr_c(accept, "openmetrics"));
}

int handle_status(request_rec *r)
{
    live_figures f = {0, 0};
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    live(r, &f);
    web_security_headers(r);
    if (wants_text(r)) {
        prometheus(r, &f);
    } else {
        html(r, &f);
    }
    return OK;
}
