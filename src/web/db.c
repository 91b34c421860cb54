/* mod_dbd glue: connections come from mod_dbd's pool, so we share it with other modules. */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "apr_optional.h"
#include "apr_hash.h"
#include "apr_strings.h"

#include "cfg/logno.h"
#include "store/store.h"
#include "web/db.h"

APLOG_USE_MODULE(seances_auth);

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) * dbd_acquire;
static APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) * dbd_prepare;

apr_status_t web_db_init(void)
{
    dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    dbd_prepare = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    return dbd_acquire && dbd_prepare ? APR_SUCCESS : APR_EGENERAL;
}

static void register_statements(server_rec *s)
{
    for (const sa_statement *const *set = sa_store_statements(); *set; set++) {
        for (const sa_statement *st = *set; st->label; st++) {
            dbd_prepare(s, st->sql, st->label);
        }
    }
}

void web_db_register(apr_pool_t *ptemp, server_rec *s)
{
    /* A virtual host without DBD directives shares the main server's mod_dbd configuration:
     * registering there again would make mod_dbd warn once per statement (AH02653). */
    module *dbd = ap_find_linked_module("mod_dbd.c");
    apr_hash_t *done = apr_hash_make(ptemp);
    if (!dbd_prepare || !dbd) {
        return;
    }
    for (server_rec *sp = s; sp; sp = sp->next) {
        void *dbd_config = ap_get_module_config(sp->module_config, dbd);
        if (dbd_config && apr_hash_get(done, &dbd_config, sizeof(dbd_config))) {
            continue;
        }
        register_statements(sp);
        dbd_config = ap_get_module_config(sp->module_config, dbd);
        void **key = apr_pmemdup(ptemp, &dbd_config, sizeof(dbd_config));
        apr_hash_set(done, key, sizeof(*key), key);
    }
}

sa_db *web_db(request_rec *r)
{
    if (!dbd_acquire) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            SALOG(0301) "mod_dbd is not loaded: add LoadModule dbd_module and DBDriver/DBDParams");
        return NULL;
    }
    ap_dbd_t *conn = dbd_acquire(r);
    if (!conn) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            SALOG(0302) "no database connection from mod_dbd (check DBDriver/DBDParams, that the "
                        "database is up and that the schema exists: seances-admin init)");
        return NULL;
    }
    sa_db *db = apr_pcalloc(r->pool, sizeof(*db));
    db->driver = conn->driver;
    db->handle = conn->handle;
    db->prepared = conn->prepared;
    return db;
}

/* Prepares every statement into a pool of its own under the connection's, and only when all
 * of them are prepared puts them into the connection's hash (mod_dbd's, so later requests on the
 * connection find them). A failed attempt leaves the hash as it was and its memory is given back
 * at once: the connection lives for days, and a failure that was no reset (a refused privilege,
 * say) comes back on every request. */
static int prepare_again(request_rec *r, sa_db *db)
{
    apr_pool_t *pool;
    if (apr_pool_create(&pool, apr_hash_pool_get(db->prepared)) != APR_SUCCESS) {
        return 0;
    }
    sa_db fresh = *db;
    fresh.prepared = apr_hash_make(pool);
    if (sa_db_prepare_all(&fresh, pool, sa_store_statements()) != APR_SUCCESS) {
        if (apr_hash_count(fresh.prepared) > 0) {
            /* the connection was reset, then something failed half-way: drop what was
             * prepared, so that the next attempt does not find them "already existing" */
            int n = 0;
            apr_dbd_query(db->driver, db->handle, &n, "DEALLOCATE ALL");
        }
        apr_pool_destroy(pool);
        return 0;
    }
    for (apr_hash_index_t *hi = apr_hash_first(r->pool, fresh.prepared); hi;
         hi = apr_hash_next(hi)) {
        const void *label;
        void *statement;
        apr_hash_this(hi, &label, NULL, &statement);
        apr_hash_set(db->prepared, label, APR_HASH_KEY_STRING, statement);
    }
    return 1;
}

/* After a PostgreSQL restart, a pooled connection fails once; check_conn resets it (PQreset)
 * and the new session has none of the prepared statements. When the connection was not reset
 * (the statements are still there), preparing fails at the first one and the caller keeps the
 * error of the statement that failed, which is the one to log. */
static int repair(request_rec *r, sa_db *db)
{
    if (!sa_db_is_pgsql(db) || apr_dbd_check_conn(db->driver, r->pool, db->handle) != APR_SUCCESS ||
        !prepare_again(r, db)) {
        return 0;
    }
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                  SALOG(0303) "database connection was reset: statements prepared again");
    return 1;
}

int web_db_run(request_rec *r, sa_db *db, int (*op)(sa_db *db, void *ctx), void *ctx)
{
    int failed = op(db, ctx);
    if (failed && repair(r, db)) {
        failed = op(db, ctx);
    }
    return failed;
}

void web_db_log_failure(request_rec *r, const sa_db *db, const char *what)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  SALOG(0304) "database failure while %s: %s (answering 503)", what,
                  db && db->error ? db->error : "no connection");
}
