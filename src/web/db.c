/* mod_dbd glue: connections come from mod_dbd's pool, so we share it with other modules.
 *
 * Our statements are not handed to mod_dbd. mod_dbd prepares registered statements the moment
 * it opens a connection, before DBDInitSQL and before anything of ours could set a busy
 * timeout, so a busy sqlite database made new connections fail ("database is locked",
 * AH00632). Instead each connection gets its own state (hung on the connection's pool, so it
 * ends with it): the driver set-up first (a bounded busy wait on sqlite, lock_timeout on
 * PostgreSQL), then every statement is prepared on its first use (store/db.c, lazy_pool).
 *
 * The state also lets a connection heal: a replaced sqlite file is reopened, statements that
 * a schema change or a PostgreSQL reset invalidated are prepared again, and the request's
 * operation runs once more (web_db_run). */
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "apr_optional.h"
#include "apr_hash.h"
#include "apr_strings.h"

#include "cfg/config.h"
#include "cfg/directives.h"
#include "cfg/logno.h"
#include "store/store.h"
#include "web/db.h"
#include "web/metrics.h"
#include "web/sqlite.h"

APLOG_USE_MODULE(seances_auth);

#define CONN_KEY "seances_auth:conn"
#define REQ_KEY "seances_auth:db"

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) * dbd_acquire;

/* What we keep per mod_dbd connection. */
typedef struct {
    apr_pool_t *pool;       /* the statements of the current handle and their table */
    apr_hash_t *prepared;   /* label -> apr_dbd_prepared_t * */
    int sqlite;             /* else PostgreSQL */
    web_sqlite_busy busy;   /* the busy handler's deadline, set by each request */
    const char *path;       /* sqlite: the file the handle opened */
    const char *pg_backend; /* pgsql: the server process behind the handle */
} conn_state;

/* The database of one request: what web_db hands out (db first, so the two convert). */
typedef struct {
    sa_db db;
    request_rec *r;
    ap_dbd_t *conn;
    conn_state *cs;
    apr_time_t deadline; /* no wait on a lock beyond it */
    web_db_kind kind;    /* of the first failure in the current operation */
} req_db;

apr_status_t web_db_init(void)
{
    dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    return dbd_acquire ? APR_SUCCESS : APR_EGENERAL;
}

/* ---- per connection ---- */

static const char *pg_backend(ap_dbd_t *conn, apr_pool_t *p)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    if (apr_dbd_select(conn->driver, p, conn->handle, &res, "SELECT pg_backend_pid()", 1) != 0 ||
        apr_dbd_get_row(conn->driver, p, res, &row, 1) != 0) {
        return NULL;
    }
    const char *pid = apr_dbd_get_entry(conn->driver, row, 0);
    return pid ? apr_pstrdup(p, pid) : NULL; /* copied: see store/db.c on pgsql results */
}

/* A fresh table of statements and the driver's set-up, for a new handle or one whose
 * statements are gone. */
static void conn_reset(conn_state *cs, ap_dbd_t *conn, apr_interval_time_t wait)
{
    apr_pool_clear(cs->pool);
    cs->prepared = apr_hash_make(cs->pool);
    if (cs->sqlite) {
        web_sqlite_setup(conn->driver, conn->handle, &cs->busy);
        cs->path = apr_pstrdup(conn->pool, web_sqlite_path(conn->driver, conn->handle));
        return;
    }
    int n = 0;
    /* the bounded wait on PostgreSQL: a statement waiting longer for a lock fails */
    apr_dbd_query(
        conn->driver, conn->handle, &n,
        apr_psprintf(cs->pool, "SET lock_timeout = %" APR_TIME_T_FMT, apr_time_as_msec(wait)));
    cs->pg_backend = pg_backend(conn, cs->pool);
}

/* Runs just before mod_dbd closes the connection (cleanups run last registered first): the
 * busy handler goes, and a handle whose file has moved is closed the careful way (see
 * reopen). */
static apr_status_t close_moved_carefully(void *data)
{
    ap_dbd_t *conn = data;
    web_sqlite_release(conn->driver, conn->handle);
    if (web_sqlite_has_moved(conn->driver, conn->handle)) {
        web_sqlite_forget_file(conn->driver, conn->handle);
    }
    return APR_SUCCESS;
}

static conn_state *conn_state_of(request_rec *r, ap_dbd_t *conn)
{
    void *data = NULL;
    apr_pool_userdata_get(&data, CONN_KEY, conn->pool);
    if (data) {
        return data;
    }
    conn_state *cs = apr_pcalloc(conn->pool, sizeof(*cs));
    if (apr_pool_create(&cs->pool, conn->pool) != APR_SUCCESS) {
        return NULL;
    }
    cs->sqlite = strcmp(apr_dbd_name(conn->driver), "sqlite3") == 0;
    if (cs->sqlite) {
        apr_pool_cleanup_register(conn->pool, conn, close_moved_carefully, apr_pool_cleanup_null);
    }
    conn_reset(cs, conn, cfg_db_wait(cfg_srv(r->server)));
    apr_pool_userdata_setn(cs, CONN_KEY, NULL, conn->pool);
    return cs;
}

/* ---- per request ---- */

static void observe_failure(sa_db *db, void *ctx)
{
    req_db *rd = ctx;
    if (rd->kind != WEB_DB_OK) {
        return; /* the first failure says why; a rollback after it says less */
    }
    if (rd->cs->sqlite) {
        rd->kind = web_sqlite_last_error(db->driver, db->handle);
    } else {
        rd->kind = db->error && strstr(db->error, "lock timeout") ? WEB_DB_BUSY : WEB_DB_OTHER;
    }
}

static int heal_statement(sa_db *db, void *ctx);

static void fill(req_db *rd)
{
    rd->db.driver = rd->conn->driver;
    rd->db.handle = rd->conn->handle;
    rd->db.prepared = rd->cs->prepared;
    rd->db.lazy_pool = rd->cs->pool;
    rd->db.lazy_sets = sa_store_statements();
    rd->db.on_failure = observe_failure;
    rd->db.on_failure_ctx = rd;
    rd->db.heal = heal_statement;
    rd->db.heal_ctx = rd;
}

/* The busy handler of the connection now waits for this request, until its deadline less
 * what the driver's own retries add. */
static void arm(req_db *rd)
{
    rd->cs->busy.give_up = rd->deadline - WEB_SQLITE_DRIVER_RETRIES;
    rd->cs->busy.gave_up = 0;
}

/* The file under an open sqlite handle was replaced or moved: open the new one in its place.
 * Statements of other modules on this connection would point into the old handle, so then
 * only a reload helps. The old handle is closed without a checkpoint (web_sqlite_forget_file),
 * so it touches nothing that the new file may now use; closing it lets go of its locks on the
 * old WAL index, which new connections would otherwise take for theirs. */
static int reopen(req_db *rd)
{
    ap_dbd_t *conn = rd->conn;
    request_rec *r = rd->r;
    apr_dbd_t *fresh = NULL;
    const char *err = NULL;
    if (conn->prepared && apr_hash_count(conn->prepared) > 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0312) "the database file %s was replaced, and other modules have "
                                  "statements on this connection: reload Apache (apachectl "
                                  "graceful) to use the new file",
                      rd->cs->path);
        rd->kind = WEB_DB_MOVED;
        return 0;
    }
    if (apr_dbd_open_ex(conn->driver, conn->pool, rd->cs->path, &fresh, &err) != APR_SUCCESS) {
        rd->db.error =
            apr_psprintf(r->pool, "reopening %s: %s", rd->cs->path, err ? err : "unknown error");
        rd->kind = WEB_DB_CANTOPEN;
        return 0;
    }
    web_sqlite_release(conn->driver, conn->handle);
    web_sqlite_forget_file(conn->driver, conn->handle);
    apr_dbd_close(conn->driver, conn->handle);
    conn->handle = fresh; /* mod_dbd closes whatever handle the connection has at its end */
    conn_reset(rd->cs, conn, cfg_db_wait(cfg_srv(r->server)));
    arm(rd);
    fill(rd);
    web_metrics_inc(WEB_METRIC_DB_REOPENED);
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                  SALOG(0306) "the database file %s was replaced or moved: connection reopened "
                              "on the file now at that path",
                  rd->cs->path);
    return 1;
}

/* 1 when the handle's file is still the one at the path, or was reopened. */
static int sqlite_file_current(req_db *rd)
{
    apr_finfo_t fi;
    if (!rd->cs->path || !web_sqlite_has_moved(rd->conn->driver, rd->conn->handle)) {
        return 1;
    }
    if (apr_stat(&fi, rd->cs->path, APR_FINFO_TYPE, rd->r->pool) != APR_SUCCESS) {
        /* not reopened: sqlite would create an empty database at the path */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rd->r,
                      SALOG(0307) "the database file %s is gone (deleted or moved away): "
                                  "answering 503 until a database is back at that path",
                      rd->cs->path);
        rd->kind = WEB_DB_MISSING;
        return 0;
    }
    return reopen(rd);
}

static req_db *request_db(request_rec *r)
{
    void *data = NULL;
    apr_pool_userdata_get(&data, REQ_KEY, r->pool);
    if (!data) {
        req_db *rd = apr_pcalloc(r->pool, sizeof(*rd));
        rd->r = r;
        rd->deadline = apr_time_now() + cfg_db_wait(cfg_srv(r->server));
        apr_pool_userdata_setn(rd, REQ_KEY, NULL, r->pool);
        data = rd;
    }
    return data;
}

static int acquire(req_db *rd)
{
    request_rec *r = rd->r;
    if (!dbd_acquire) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            SALOG(0301) "mod_dbd is not loaded: add LoadModule dbd_module and DBDriver/DBDParams");
        return 0;
    }
    rd->conn = dbd_acquire(r);
    if (!rd->conn) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            SALOG(0302) "no database connection from mod_dbd (check DBDriver/DBDParams, that the "
                        "database is up and that the schema exists: seances-admin init)");
        return 0;
    }
    rd->cs = conn_state_of(r, rd->conn);
    return rd->cs != NULL;
}

sa_db *web_db(request_rec *r)
{
    req_db *rd = request_db(r);
    if (!rd->conn && !acquire(rd)) {
        rd->kind = rd->kind != WEB_DB_OK ? rd->kind : WEB_DB_CONNECTION;
        return NULL;
    }
    arm(rd);
    fill(rd);
    rd->kind = WEB_DB_OK;
    if (rd->cs->sqlite && !sqlite_file_current(rd)) {
        return NULL;
    }
    return &rd->db;
}

/* ---- healing after a failure ---- */

static int repair_sqlite(req_db *rd)
{
    if (rd->kind == WEB_DB_MOVED) {
        return web_sqlite_has_moved(rd->conn->driver, rd->conn->handle) && sqlite_file_current(rd);
    }
    if (rd->kind != WEB_DB_SCHEMA) {
        return 0;
    }
    /* the legacy sqlite3_prepare of the driver does not recompile after a schema change */
    rd->cs->prepared = apr_hash_make(rd->cs->pool);
    fill(rd);
    web_metrics_inc(WEB_METRIC_DB_REPREPARED);
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, rd->r,
                  SALOG(0308) "the database schema changed: statements prepared again");
    return 1;
}

/* A PostgreSQL connection reset by mod_dbd or by check_conn (PQreset after a server restart)
 * has lost its prepared statements and its settings. It then talks to another server process,
 * which tells it apart from a connection that was fine and met an ordinary error. */
static int repair_pgsql(req_db *rd)
{
    ap_dbd_t *conn = rd->conn;
    request_rec *r = rd->r;
    if (apr_dbd_check_conn(conn->driver, r->pool, conn->handle) != APR_SUCCESS) {
        rd->kind = WEB_DB_CONNECTION;
        return 0;
    }
    const char *backend = pg_backend(conn, r->pool);
    if (!backend || (rd->cs->pg_backend && strcmp(backend, rd->cs->pg_backend) == 0)) {
        return 0;
    }
    /* statements this request prepared on the new server process before the stale ones
     * failed would clash with their second preparation ("already exists"): none of the
     * connection's statements survived the reset, so the new process starts empty */
    int n = 0;
    apr_dbd_query(conn->driver, conn->handle, &n, "DEALLOCATE ALL");
    conn_reset(rd->cs, conn, cfg_db_wait(cfg_srv(r->server)));
    fill(rd);
    web_metrics_inc(WEB_METRIC_DB_REPREPARED);
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                  SALOG(0303) "database connection was reset: statements prepared again");
    return 1;
}

static int repair(req_db *rd)
{
    return rd->cs->sqlite ? repair_sqlite(rd) : repair_pgsql(rd);
}

/* store/db.c's heal: a statement that failed outside a transaction runs once more on the
 * repaired connection, so that every caller, not only those going through web_db_run,
 * survives a PostgreSQL restart or a replaced sqlite file. */
static int heal_statement(sa_db *db, void *ctx)
{
    req_db *rd = ctx;
    (void)db;
    if (!repair(rd)) {
        return 0;
    }
    rd->kind = WEB_DB_OK;
    return 1;
}

int web_db_run(request_rec *r, sa_db *db, web_db_op op, void *ctx)
{
    req_db *rd = (req_db *)db;
    (void)r;
    rd->kind = WEB_DB_OK;
    int failed = op(db, ctx);
    if (failed && repair(rd)) {
        rd->kind = WEB_DB_OK;
        failed = op(db, ctx);
    }
    return failed;
}

typedef struct {
    request_rec *r;
    web_db_op op;
    void *ctx;
} transaction;

static int in_transaction(sa_db *db, void *ctx)
{
    transaction *t = ctx;
    if (sa_db_begin(db, t->r->pool) != APR_SUCCESS) {
        return 1;
    }
    if (t->op(db, t->ctx) != 0) {
        sa_db_rollback(db, t->r->pool);
        return 1;
    }
    return sa_db_commit(db, t->r->pool) != APR_SUCCESS;
}

int web_db_transaction(request_rec *r, sa_db *db, web_db_op op, void *ctx)
{
    transaction t = {r, op, ctx};
    return web_db_run(r, db, in_transaction, &t);
}

/* ---- telling the administrator ---- */

/* For a write refused on sqlite: which file is not writable, if one is not. */
static const char *readonly_culprit(request_rec *r, const sa_db *db)
{
    const req_db *rd = db ? (const req_db *)db : NULL;
    const char *file = rd && rd->cs && rd->cs->sqlite && rd->cs->path
                           ? web_sqlite_unwritable(r->pool, rd->cs->path)
                           : NULL;
    return file ? apr_pstrcat(r->pool, "; not writable: ", file, NULL) : "";
}

static web_db_kind failure_kind(request_rec *r, const sa_db *db)
{
    const req_db *rd = db ? (const req_db *)db : request_db(r);
    if (rd->kind != WEB_DB_OK) {
        return rd->kind;
    }
    return db ? WEB_DB_OTHER : WEB_DB_CONNECTION;
}

void web_db_log_failure(request_rec *r, const sa_db *db, const char *what)
{
    web_db_kind kind = failure_kind(r, db);
    const char *detail = db && db->error ? db->error : "no connection";
    web_metrics_db_error(kind);
    switch (kind) {
    case WEB_DB_BUSY:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0305) "the database stayed locked longer than " CFG_DATABASE_WAIT
                                  " (%" APR_TIME_T_FMT " ms) while %s: answering 503; another "
                                  "process holds a lock (a backup, seances-admin, sqlite3?)",
                      apr_time_as_msec(cfg_db_wait(cfg_srv(r->server))), what);
        break;
    case WEB_DB_READONLY:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0309) "the database refuses writes while %s: %s%s (permissions of "
                                  "the file, its -wal and -shm and its directory, or a read-only "
                                  "file system): answering 503",
                      what, detail, readonly_culprit(r, db));
        break;
    case WEB_DB_FULL:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0310) "no space left for the database while %s: %s: answering 503",
                      what, detail);
        break;
    case WEB_DB_CANTOPEN:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0311) "the database cannot be opened while %s: %s (the user Apache "
                                  "runs as must read and write the file and its directory): "
                                  "answering 503",
                      what, detail);
        break;
    default:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      SALOG(0304) "database failure while %s: %s (answering 503; cause: %s)", what,
                      detail, web_db_kind_name(kind));
        break;
    }
}
