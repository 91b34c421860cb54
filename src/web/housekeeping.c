/* Housekeeping in the request path, at a bounded cost: after a response has been sent (the
 * log_transaction phase, so no user waits for it), at most once per SeancesHousekeeping per
 * process, one round of at most a thousand rows of each kind. seances-admin purge does the
 * same to the end, for cron or after a long pause. The notices that seances-admin left in the
 * outbox are sent from here too, on a shorter interval of their own (web/outbox.c). */
#include "httpd.h"
#include "http_log.h"
#include "apr_atomic.h"

#include "cfg/config.h"
#include "cfg/directives.h"
#include "cfg/logno.h"
#include "core/defaults.h"
#include "core/retention.h"
#include "web/db.h"
#include "web/hooks.h"
#include "web/mailer.h"
#include "web/outbox.h"

APLOG_USE_MODULE(seances_auth);

/* seconds since the epoch, modulo 2^32, of this process's last round of each job */
static apr_uint32_t last_round, last_outbox_round;

/* 1 for exactly one thread of the process once the interval since *last has passed. */
static int my_turn(apr_uint32_t *last_done, apr_int64_t now_s, apr_int64_t interval_s)
{
    apr_uint32_t last = apr_atomic_read32(last_done);
    apr_uint32_t now = (apr_uint32_t)now_s;
    if (last != 0 && now - last < (apr_uint32_t)interval_s) {
        return 0;
    }
    return apr_atomic_cas32(last_done, now, last) == last;
}

typedef struct {
    apr_pool_t *pool;
    const sa_retention *plan;
    sa_retention_removed *gone;
} round_op;

static int run_round(sa_db *db, void *ctx)
{
    round_op *op = ctx;
    return sa_retention_round(db, op->pool, op->plan, op->gone) != APR_SUCCESS;
}

static void retention_round(request_rec *r)
{
    const cfg_srv_config *s = cfg_srv(r->server);
    sa_db *db = web_db(r);
    sa_lockout lockout;
    cfg_lockout(s, &lockout);
    sa_retention plan = {.now = apr_time_sec(apr_time_now()),
                         .keep = apr_time_sec(cfg_retention(s)),
                         .window = lockout.window,
                         .notice_keep = sa_defaults.outbox_keep,
                         .batch = sa_defaults.housekeeping_batch};
    sa_retention_removed gone = {0};
    round_op op = {r->pool, &plan, &gone};
    /* through web_db_run like every request: after a PostgreSQL restart the round may be the
     * first to use a pooled connection, which must then get its statements back */
    if (!db || web_db_run(r, db, run_round, &op) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      SALOG(0902) "housekeeping skipped: %s (the next round tries again)",
                      db && db->error ? db->error : "no database connection");
        return;
    }
    if (gone.sessions || gone.events || gone.throttle) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      SALOG(0901) "housekeeping removed %d ended sessions, %d login events older "
                                  "than the retention, %d spent throttle counters",
                      gone.sessions, gone.events, gone.throttle);
    }
    if (gone.notices) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      SALOG(0904) "housekeeping removed %d security notices of seances-admin that "
                                  "no server with mail (" CFG_SMTP_SERVER ") sent in time",
                      gone.notices);
    }
}

int web_housekeeping(request_rec *r)
{
    const cfg_srv_config *s = cfg_srv(r->server);
    apr_int64_t interval = apr_time_sec(cfg_housekeeping(s));
    apr_int64_t now = apr_time_sec(r->request_time);
    /* only where the module is in use: elsewhere there may be no database at all */
    if (r->main || !cfg_dir(r)->crypto) {
        return DECLINED;
    }
    /* notices are mail, not housekeeping: they go out with SeancesHousekeeping off too. Only a
     * server with mail takes the process's turn, which a virtual host without would waste. */
    if (web_mailer_configured(r) && my_turn(&last_outbox_round, now, sa_defaults.outbox_interval)) {
        web_outbox_round(r);
    }
    if (interval > 0 && my_turn(&last_round, now, interval)) {
        retention_round(r);
    }
    return DECLINED;
}
