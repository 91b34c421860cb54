/* The operators' counters: one anonymous shared mapping per Apache, made by the parent before
 * it forks the children, so all of them add to the same numbers. It hangs on the process
 * pool, not on pconf, so graceful restarts keep the counts (as Prometheus expects of
 * counters). Additions are the compiler's atomic builtins, which work across processes on
 * shared memory (APR's may fall back to process-local mutexes). */
#include <string.h>

#include "httpd.h"
#include "http_log.h"
#include "apr_shm.h"

#include "cfg/logno.h"
#include "web/metrics.h"

APLOG_USE_MODULE(seances_auth);

#define METRICS_KEY "seances_auth:metrics"

typedef struct {
    apr_uint64_t v[WEB_METRIC_ALL];
} metrics_area;

/* NULL until post_config, and in processes that never ran it (the CLI's tests): no-ops then */
static metrics_area *area;

apr_status_t web_metrics_init(server_rec *s)
{
    apr_pool_t *pp = s->process->pool;
    apr_shm_t *shm = NULL;
    void *data = NULL;
    apr_pool_userdata_get(&data, METRICS_KEY, pp);
    if (data) {
        area = data;
        return APR_SUCCESS;
    }
    apr_status_t rv = apr_shm_create(&shm, sizeof(metrics_area), NULL, pp);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     SALOG(0903) "cannot create the shared memory of the status counters: "
                                 "seances-status will show this process's counts only");
        data = apr_pcalloc(pp, sizeof(metrics_area));
    } else {
        data = apr_shm_baseaddr_get(shm);
        memset(data, 0, sizeof(metrics_area));
    }
    apr_pool_userdata_setn(data, METRICS_KEY, NULL, pp);
    area = data;
    return APR_SUCCESS;
}

void web_metrics_add(web_metric m, long delta)
{
    if (area && m < WEB_METRIC_ALL) {
        __atomic_fetch_add(&area->v[m], (apr_uint64_t)delta, __ATOMIC_RELAXED);
    }
}

void web_metrics_inc(web_metric m)
{
    web_metrics_add(m, 1);
}

apr_uint64_t web_metrics_get(web_metric m)
{
    return area && m < WEB_METRIC_ALL ? __atomic_load_n(&area->v[m], __ATOMIC_RELAXED) : 0;
}

void web_metrics_db_error(web_db_kind kind)
{
    if (kind > WEB_DB_OK && kind < WEB_DB_KINDS) {
        web_metrics_inc((web_metric)(WEB_METRIC_DB_ERRORS + kind));
    }
}

const char *web_db_kind_name(web_db_kind kind)
{
    static const char *const names[WEB_DB_KINDS] = {"ok",       "busy",       "readonly", "full",
                                                    "cantopen", "io",         "schema",   "moved",
                                                    "missing",  "connection", "other"};
    return kind < WEB_DB_KINDS ? names[kind] : "other";
}
