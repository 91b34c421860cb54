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

static int repair(request_rec *r, sa_db *db)
{
    if (!sa_db_is_pgsql(db)) {
        return 0;
    }
    if (apr_dbd_check_conn(db->driver, r->pool, db->handle) != APR_SUCCESS) {
        return 0;
    }
    /* prepared into the connection's hash, so later requests on it are repaired too; the
     * statements live as long as the request pool, so the hash entries must too: use the
     * hash's own pool, which is the connection's */
    if (sa_db_prepare_all(db, apr_hash_pool_get(db->prepared), sa_store_statements()) !=
        APR_SUCCESS) {
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
