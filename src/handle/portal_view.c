/* The portal page: what each section shows, read in one pass (retried once on a repaired
 * PostgreSQL connection), then rendered with portal.html and one small template per row of
 * a list. Every value reaches the HTML through {{ }}, so a user agent or a name holding
 * markup shows as text. */
#include "httpd.h"
#include <stdlib.h>
#include <string.h>

#include "http_log.h"
#include "http_protocol.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "core/datefmt.h"
#include "core/html.h"
#include "core/useragent.h"
#include "handle/portal.h"
#include "store/events.h"
#include "store/totp.h"
#include "store/users.h"
#include "web/apps.h"
#include "web/crypto.h"
#include "web/db.h"
#include "web/page.h"
#include "web/request.h"

typedef struct {
    const portal_req *q;
    sa_session_policy policy;
    const sa_event_cursor *before;
    sa_user *user;
    apr_int64_t password_changed;
    int codes_left;
    apr_array_header_t *sessions; /* sa_session_row * */
    apr_array_header_t *apps;     /* const cfg_app * */
    apr_array_header_t *events;   /* sa_event, one more than a page when there are older */
} portal_data;

static int load(sa_db *db, void *ctx)
{
    portal_data *pd = ctx;
    request_rec *r = pd->q->r;
    apr_int64_t uid = pd->q->session->user_id;
    return sa_store_user_by_name(db, r->pool, pd->q->session->user, &pd->user) != APR_SUCCESS ||
           sa_store_user_password_changed(db, r->pool, uid, &pd->password_changed) != APR_SUCCESS ||
           sa_store_codes_left(db, r->pool, uid, &pd->codes_left) != APR_SUCCESS ||
           sa_session_list(db, r->pool, uid, &pd->policy, r->request_time, &pd->sessions) !=
               APR_SUCCESS ||
           web_apps_granted(r, db, uid, &pd->apps) != APR_SUCCESS ||
           sa_store_events_page(db, r->pool, uid, pd->before, PORTAL_HISTORY_PAGE + 1,
                                &pd->events) != APR_SUCCESS;
}

/* "before=<time>.<id>", as the "older" link writes it; NULL (the newest page) otherwise. */
static const sa_event_cursor *parse_cursor(apr_pool_t *p, const char *arg)
{
    const char *dot = arg ? strchr(arg, '.') : NULL;
    if (!dot || dot == arg || dot - arg > 18 || strlen(dot + 1) == 0 || strlen(dot + 1) > 18) {
        return NULL;
    }
    for (const char *c = arg; *c; c++) {
        if (!apr_isdigit(*c) && c != dot) {
            return NULL;
        }
    }
    sa_event_cursor *cur = apr_palloc(p, sizeof(*cur));
    cur->time = apr_atoi64(arg);
    cur->id = apr_atoi64(dot + 1);
    return cur;
}

typedef struct {
    const portal_req *q;
    sa_lang lang;
    const sa_tz *tz;
    apr_table_t *shared; /* texts and form fields every row may use */
} view;

static apr_table_t *row_vars(const view *v)
{
    return apr_table_copy(v->q->r->pool, v->shared);
}

static void set_time(const view *v, apr_table_t *vars, const char *name, apr_int64_t t)
{
    apr_pool_t *p = v->q->r->pool;
    apr_table_setn(vars, name, sa_date_format(p, v->tz, t, v->lang));
    apr_table_setn(vars, apr_pstrcat(p, name, "_iso", NULL), sa_date_iso(p, v->tz, t));
}

/* ---- applications ---- */

static const char *app_rows(const view *v, const apr_array_header_t *apps)
{
    const char *html = "";
    for (int i = 0; i < apps->nelts; i++) {
        const cfg_app *app = ((const cfg_app **)apps->elts)[i];
        apr_table_t *vars = row_vars(v);
        apr_table_setn(vars, "title", app->title);
        apr_table_setn(vars, "url", app->url);
        html =
            apr_pstrcat(v->q->r->pool, html, web_fragment(v->q->r, "portal-app.html", vars), NULL);
    }
    return html;
}

/* ---- history ---- */

/* The results login_events holds, in words (a successful login also by its factor); a result
 * this table does not know (a newer module wrote it) is shown as it is stored. */
typedef struct {
    const char *result;
    const char *factor; /* NULL: any */
    const char *text_key;
    int failure;
} result_text;

static const result_text results[] = {{"ok", "totp", "ev_ok_totp", 0},
                                      {"ok", "recovery", "ev_ok_recovery", 0},
                                      {"ok", NULL, "ev_ok", 0},
                                      {"totp_enabled", NULL, "ev_totp_enabled", 0},
                                      {"totp_disabled", NULL, "ev_totp_disabled", 0},
                                      {"totp_reset", NULL, "ev_totp_reset", 0},
                                      {"recovery_renewed", NULL, "ev_recovery_renewed", 0},
                                      {"password_changed", NULL, "ev_password_changed", 0},
                                      {"reset_requested", NULL, "ev_reset_requested", 0},
                                      {"password_reset", NULL, "ev_password_reset", 0},
                                      {"bad_password", NULL, "ev_bad_password", 1},
                                      {"bad_current_password", NULL, "ev_bad_current_password", 1},
                                      {"bad_code", NULL, "ev_bad_code", 1},
                                      {"bad_hash", NULL, "ev_bad_hash", 1},
                                      {"throttled", NULL, "ev_throttled", 1},
                                      {"disabled", NULL, "ev_disabled", 1},
                                      {NULL, NULL, NULL, 0}};

static void describe_result(const view *v, apr_table_t *vars, const sa_event *e)
{
    const char *result = e->result;
    for (const result_text *rt = results; rt->result; rt++) {
        if (strcmp(rt->result, result) == 0 && (!rt->factor || !strcmp(rt->factor, e->factor))) {
            apr_table_setn(vars, "result", sa_msg(v->lang, rt->text_key));
            if (rt->failure) {
                apr_table_setn(vars, "failure", "1");
            }
            return;
        }
    }
    apr_table_setn(vars, "result", result);
}

static const char *event_rows(const view *v, const apr_array_header_t *events, int count)
{
    apr_pool_t *p = v->q->r->pool;
    const char *html = "";
    for (int i = 0; i < count; i++) {
        const sa_event *e = &((const sa_event *)events->elts)[i];
        apr_table_t *vars = row_vars(v);
        set_time(v, vars, "when", e->time);
        describe_result(v, vars, e);
        apr_table_setn(vars, "ip", *e->ip ? e->ip : "—");
        apr_table_setn(vars, "browser", sa_useragent_summary(p, e->user_agent, v->lang));
        html = apr_pstrcat(p, html, web_fragment(v->q->r, "portal-event.html", vars), NULL);
    }
    return html;
}

static void history_vars(const view *v, apr_table_t *vars, const portal_data *pd)
{
    int count = pd->events->nelts > PORTAL_HISTORY_PAGE ? PORTAL_HISTORY_PAGE : pd->events->nelts;
    apr_table_setn(vars, "history_rows", event_rows(v, pd->events, count));
    if (pd->events->nelts > PORTAL_HISTORY_PAGE) {
        const sa_event *last = &((const sa_event *)pd->events->elts)[count - 1];
        const char *cursor = apr_psprintf(v->q->r->pool, "%" APR_INT64_T_FMT ".%" APR_INT64_T_FMT,
                                          last->time, last->id);
        apr_table_setn(vars, "older_url", portal_url(v->q, NULL, cursor, "connexions"));
    }
    if (pd->before) {
        apr_table_setn(vars, "newest_url", portal_url(v->q, NULL, NULL, "connexions"));
    }
}

/* ---- sessions ---- */

static const char *session_rows(const view *v, const apr_array_header_t *sessions)
{
    apr_pool_t *p = v->q->r->pool;
    const char *html = "";
    for (int i = 0; i < sessions->nelts; i++) {
        const sa_session_row *s = ((const sa_session_row **)sessions->elts)[i];
        apr_table_t *vars = row_vars(v);
        set_time(v, vars, "started", s->created);
        set_time(v, vars, "last_seen", s->last_seen);
        apr_table_setn(vars, "ip", *s->ip ? s->ip : "—");
        apr_table_setn(vars, "browser", sa_useragent_summary(p, s->user_agent, v->lang));
        apr_table_setn(vars, "session_id", s->id_hash);
        if (s->remember) {
            apr_table_setn(vars, "remembered", "1");
        }
        if (strcmp(s->id_hash, v->q->session->id_hash) == 0) {
            apr_table_setn(vars, "current", "1");
        }
        html = apr_pstrcat(p, html, web_fragment(v->q->r, "portal-session.html", vars), NULL);
    }
    return html;
}

/* The first section: this session, the account, the password's age. */
static void login_vars(const view *v, apr_table_t *vars, const portal_data *pd)
{
    apr_pool_t *p = v->q->r->pool;
    const sa_session_info *s = v->q->session;
    const sa_session_row *mine = NULL;
    for (int i = 0; i < pd->sessions->nelts; i++) {
        const sa_session_row *row = ((const sa_session_row **)pd->sessions->elts)[i];
        mine = strcmp(row->id_hash, s->id_hash) == 0 ? row : mine;
    }
    apr_table_setn(vars, "user", pd->user->name);
    apr_table_setn(vars, "email", *pd->user->email ? pd->user->email : "—");
    set_time(v, vars, "session_started", s->created);
    if (mine) {
        apr_table_setn(vars, "session_ip", *mine->ip ? mine->ip : "—");
        apr_table_setn(vars, "session_browser", sa_useragent_summary(p, mine->user_agent, v->lang));
    }
    apr_table_setn(vars, "session_remembered", sa_msg(v->lang, s->remember ? "yes" : "no"));
    apr_table_setn(vars, "twofactor_state",
                   sa_msg(v->lang, pd->user->totp_enabled ? "tf_on" : "tf_off"));
    if (pd->password_changed > 0) {
        set_time(v, vars, "password_changed", pd->password_changed);
    }
}

static void twofactor_vars(const view *v, apr_table_t *vars, const portal_data *pd)
{
    const cfg_dir_config *d = cfg_dir(v->q->r);
    int mode = cfg_twofactor(d);
    apr_table_setn(vars, "tf_checked", pd->user->totp_enabled ? "true" : "false");
    if (pd->user->totp_enabled) {
        apr_table_setn(vars, "tf_enabled", "1");
        apr_table_setn(vars, "codes_left", apr_itoa(v->q->r->pool, pd->codes_left));
    }
    /* with "off" the switch is disabled, but its form still names where it would lead */
    apr_table_setn(vars, "setup_url", cfg_twofactor_url(d));
    if (mode == SA_2FA_OFF) {
        apr_table_setn(vars, "tf_forbidden", "1");
    }
    if (mode == SA_2FA_REQUIRED) {
        apr_table_setn(vars, "tf_required", "1");
    }
}

/* The message of the last action, next to the section it belongs to. Texts with a number
 * (the length limits) are rendered with the configured value, never with the query's. */
static void message_vars(const view *v, apr_table_t *vars, const char *key)
{
    int error = 0;
    const char *section = portal_message_section(key, &error);
    if (!section) {
        return;
    }
    apr_table_t *numbers = apr_table_make(v->q->r->pool, 2);
    apr_table_setn(numbers, "min",
                   apr_itoa(v->q->r->pool, cfg_password_min(cfg_srv(v->q->r->server))));
    apr_table_setn(numbers, "max", apr_itoa(v->q->r->pool, SA_PASSWORD_MAX_CHARS));
    const char *text_key = !strcmp(key, "pw_too_short")  ? "pw_too_short_min"
                           : !strcmp(key, "pw_too_long") ? "pw_too_long_max"
                                                         : key;
    const char *text = sa_template_render(v->q->r->pool, sa_msg(v->lang, text_key), numbers);
    apr_table_setn(vars, apr_pstrcat(v->q->r->pool, error ? "error_" : "notice_", section, NULL),
                   text);
}

static apr_table_t *shared_vars(const view *v)
{
    request_rec *r = v->q->r;
    const cfg_dir_config *d = cfg_dir(r);
    apr_table_t *vars = apr_table_make(r->pool, 160);
    sa_i18n_fill(vars, v->lang);
    apr_table_setn(vars, "action", r->uri);
    apr_table_setn(vars, "csrf",
                   web_csrf_token(r->pool, d->crypto, PORTAL_CSRF_PURPOSE, v->q->session->id_hash));
    apr_table_setn(vars, "return", v->q->return_to ? v->q->return_to : "");
    return vars;
}

/* The page's frame: the way back to the application and the way out. */
static void frame_vars(const view *v, apr_table_t *vars)
{
    request_rec *r = v->q->r;
    const cfg_dir_config *d = cfg_dir(r);
    const char *logout = cfg_portal_sibling(r->pool, d, CFG_LOGOUT);
    apr_table_setn(vars, "title", sa_msg(v->lang, "portal"));
    apr_table_setn(vars, "wide", "1");
    apr_table_setn(vars, "back_url", v->q->return_to ? v->q->return_to : "/");
    /* the logout page's "Annuler" comes back here */
    apr_table_setn(vars, "logout_url",
                   apr_pstrcat(r->pool, logout, "?return=",
                               sa_url_encode(r->pool, portal_url(v->q, NULL, NULL, NULL)), NULL));
    apr_table_setn(vars, "min_length", apr_itoa(r->pool, cfg_password_min(cfg_srv(r->server))));
}

int portal_show(const portal_req *q, const char *msg, const char *before)
{
    request_rec *r = q->r;
    portal_data pd = {.q = q, .before = parse_cursor(r->pool, before)};
    cfg_session_policy(cfg_dir(r), &pd.policy);
    if (web_db_run(r, q->db, load, &pd) != 0) {
        web_db_log_failure(r, q->db, "reading the portal");
        return web_page_unavailable(r);
    }
    view v = {q, web_request_lang(r), cfg_timezone(cfg_srv(r->server)), NULL};
    v.shared = shared_vars(&v);
    apr_table_t *vars = row_vars(&v);
    frame_vars(&v, vars);
    login_vars(&v, vars, &pd);
    twofactor_vars(&v, vars, &pd);
    apr_table_setn(vars, "app_rows", app_rows(&v, pd.apps));
    history_vars(&v, vars, &pd);
    apr_table_setn(vars, "session_rows", session_rows(&v, pd.sessions));
    if (pd.sessions->nelts > 1) {
        apr_table_setn(vars, "others", "1");
    }
    message_vars(&v, vars, msg);
    return web_page_send(r, HTTP_OK, "portal.html", vars);
}
