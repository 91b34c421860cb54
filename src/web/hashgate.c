/* The password-check gate of a process (see hashgate.h): a counter, a mutex and a condition;
 * a waiting login sleeps on the condition until a check ends or its time is up. */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_hash.h"
#include "apr_strings.h"
#include "apr_thread_cond.h"
#include "apr_thread_mutex.h"

#include "cfg/config.h"
#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/argon2.h"
#include "web/hashgate.h"
#include "web/metrics.h"
#include "web/page.h"
#include "web/request.h"

APLOG_USE_MODULE(seances_auth);

struct web_hashgate {
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *turn;
    int limit;   /* checks at once */
    int queue;   /* logins that may wait */
    int running; /* under lock */
    int waiting; /* under lock */
    apr_interval_time_t wait;
};

/* server_rec * -> web_hashgate *; written in child_init only, read by every thread after */
static apr_hash_t *gates;

static web_hashgate *gate_make(apr_pool_t *p, const cfg_srv_config *c)
{
    web_hashgate *g = apr_pcalloc(p, sizeof(*g));
    g->limit = cfg_hash_concurrency(c);
    g->queue = cfg_hash_queue(c);
    g->wait = cfg_db_wait(c);
    if (apr_thread_mutex_create(&g->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS ||
        apr_thread_cond_create(&g->turn, p) != APR_SUCCESS) {
        return NULL;
    }
    return g;
}

apr_status_t web_hashgate_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_hash_t *by_setting = apr_hash_make(pchild);
    int most = 0;
    gates = apr_hash_make(pchild);
    for (server_rec *sp = s; sp; sp = sp->next) {
        const cfg_srv_config *c = cfg_srv(sp);
        const char *setting =
            apr_psprintf(pchild, "%d/%d/%" APR_TIME_T_FMT, cfg_hash_concurrency(c),
                         cfg_hash_queue(c), cfg_db_wait(c));
        web_hashgate *g = apr_hash_get(by_setting, setting, APR_HASH_KEY_STRING);
        if (!g && (g = gate_make(pchild, c)) == NULL) {
            return APR_EGENERAL;
        }
        apr_hash_set(by_setting, setting, APR_HASH_KEY_STRING, g);
        const void *server = sp;
        apr_hash_set(gates, apr_pmemdup(pchild, &server, sizeof(server)), sizeof(server), g);
        most = g->limit > most ? g->limit : most;
    }
    /* as many work areas kept as checks may run at once: none is mapped twice */
    sa_argon2_pool_keep((unsigned int)most);
    return APR_SUCCESS;
}

static int take_turn(web_hashgate *g)
{
    if (g->running < g->limit) {
        g->running++;
        return 1;
    }
    return 0;
}

/* Called with the lock held; returns with it held. */
static web_hashgate_result wait_turn(web_hashgate *g)
{
    apr_time_t deadline = apr_time_now() + g->wait;
    g->waiting++;
    web_metrics_add(WEB_GAUGE_HASH_QUEUED, 1);
    int got = 0;
    while (!(got = take_turn(g))) {
        apr_time_t now = apr_time_now();
        if (now >= deadline) {
            break;
        }
        apr_thread_cond_timedwait(g->turn, g->lock, deadline - now);
    }
    g->waiting--;
    web_metrics_add(WEB_GAUGE_HASH_QUEUED, -1);
    if (got) {
        web_metrics_inc(WEB_METRIC_HASH_WAITED);
    }
    return got ? WEB_HASHGATE_OK : WEB_HASHGATE_EXPIRED;
}

web_hashgate_result web_hashgate_enter(request_rec *r, web_hashgate **gate)
{
    const void *key = r->server;
    web_hashgate *g = gates ? apr_hash_get(gates, &key, sizeof(key)) : NULL;
    web_hashgate_result res = WEB_HASHGATE_OK;
    *gate = g;
    if (!g) {
        web_metrics_inc(WEB_METRIC_HASH_RUNS);
        return WEB_HASHGATE_OK; /* no child_init (never in a real server): no limit */
    }
    apr_thread_mutex_lock(g->lock);
    if (!take_turn(g)) {
        res = g->waiting >= g->queue ? WEB_HASHGATE_FULL : wait_turn(g);
    }
    apr_thread_mutex_unlock(g->lock);
    if (res == WEB_HASHGATE_OK) {
        web_metrics_inc(WEB_METRIC_HASH_RUNS);
        web_metrics_add(WEB_GAUGE_HASH_RUNNING, 1);
    } else {
        *gate = NULL;
        web_metrics_inc(res == WEB_HASHGATE_FULL ? WEB_METRIC_HASH_QUEUE_FULL
                                                 : WEB_METRIC_HASH_WAIT_EXPIRED);
    }
    return res;
}

void web_hashgate_leave(web_hashgate *g)
{
    if (!g) {
        return;
    }
    apr_thread_mutex_lock(g->lock);
    g->running--;
    apr_thread_cond_signal(g->turn);
    apr_thread_mutex_unlock(g->lock);
    web_metrics_add(WEB_GAUGE_HASH_RUNNING, -1);
}

int web_hashgate_refuse(request_rec *r, web_hashgate_result turn)
{
    web_metrics_inc(WEB_METRIC_LOGIN_UNAVAILABLE);
    ap_log_rerror(
        APLOG_MARK, APLOG_WARNING, 0, r,
        SALOG(0109) "too many password checks at once in this process (" CFG_HASH_CONCURRENCY
                    "): %s; answering 503 to %s",
        turn == WEB_HASHGATE_FULL ? "the queue is full" : "no turn in time", web_client_ip(r));
    return web_page_unavailable(r);
}
