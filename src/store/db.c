/* Thin, uniform access to apr_dbd: prepared statements by label, rows as string arrays.
 *
 * What the two drivers of apr-util 1.6.3 promise about memory, read from their source
 * (dbd/apr_dbd_sqlite3.c, dbd/apr_dbd_pgsql.c, and httpd's mod_dbd.c for the connections);
 * everything below is built on it:
 *
 * - pselect, random access (seek = 1). sqlite3 steps through every row at once and copies
 *   each value into the pool given to pselect (NULL stays NULL), then resets the statement.
 *   pgsql keeps the PGresult and registers PQclear as a cleanup of that pool: a value from
 *   get_entry is PQgetvalue's pointer into the PGresult (an SQL NULL reads as ""). On an
 *   error pgsql clears its result at once; what either driver allocated stays in the pool.
 * - get_row. sqlite3 walks its list and never frees. pgsql, in random mode, runs that PQclear
 *   as soon as a call asks for the row after the last one, so every pointer that get_entry
 *   returned dies right there, long before the pool does. Hence rows are copied (copy_row)
 *   before the next get_row: values then live exactly as long as the caller's pool. A caller
 *   that reads one row by number (1) and never asks past the end may use the value until the
 *   pool dies (core/schema.c does).
 * - pquery. Both drivers finish the statement before returning (sqlite3 binds the values
 *   without copying them and resets the statement, pgsql PQclears its result); nothing
 *   outlives the call but the row count, and the values need only live during the call.
 * - prepare. pgsql allocates the statement, its name, the PREPARE text and keeps the array of
 *   parameter types, all from the pool given, which must outlive every use of the statement;
 *   a failed PREPARE leaves that memory in the pool. sqlite3 takes the statement from the
 *   connection's own pool and the types from the pool given, and finalizes it at close.
 *   A pgsql statement lives in the server's session: a reset connection (PQreset after a
 *   server restart) has lost it, and preparing a label that still exists fails. mod_dbd
 *   prepares into a sub-pool of each connection; web/db.c prepares again into a sub-pool of
 *   that, destroyed when the attempt fails.
 * - check_conn. pgsql: PQstatus, and PQreset (a blocking reconnect) when the connection is
 *   bad; the pool is not used. sqlite3: only checks that the handle is there.
 * - error. The text belongs to the connection and changes with the next call; libpq's ends
 *   with a newline and may carry a hint on more lines: it is copied at once, as one line
 *   (remember_error).
 *   sqlite3 uses the legacy sqlite3_prepare: a statement prepared before a schema change fails
 *   with SQLITE_SCHEMA instead of being recompiled, so web_db prepares it again.
 * - busy. sqlite3 retries a statement that meets SQLITE_BUSY 16 times 100 ms itself, holding
 *   the process-wide apr_dbd mutex except while it sleeps.
 * - transactions. pgsql's start_transaction dereferences *trans even when BEGIN failed and
 *   *trans is still NULL (a crash when the server is gone), and sqlite3's takes "BEGIN
 *   IMMEDIATE" failures silently. Transactions therefore go through plain queries
 *   (sa_db_begin/sa_db_commit/sa_db_rollback), never apr_dbd_transaction_start. On pgsql a
 *   COMMIT after a failed statement answers success and rolls back: callers stop and roll back
 *   at the first failure, never go on to commit. */
#include <string.h>
#include <apr_strings.h>

#include "store/db.h"

const char *sa_db_one_line(apr_pool_t *p, const char *text)
{
    char *out = apr_palloc(p, strlen(text ? text : "") + 1), *o = out;
    for (const char *c = text ? text : ""; *c; c++) {
        int space = *c == ' ' || *c == '\n' || *c == '\t' || *c == '\r';
        if (!space) {
            *o++ = *c;
        } else if (o > out && o[-1] != ' ') {
            *o++ = ' ';
        }
    }
    while (o > out && o[-1] == ' ') {
        o--;
    }
    *o = '\0';
    return *out ? out : "unknown database error";
}

static void remember_error(sa_db *db, apr_pool_t *p, const char *label, int rv)
{
    /* copied at once: the text belongs to the connection; and made one line, as libpq's
     * messages end with a newline and often carry a hint on the next lines */
    db->error = apr_pstrcat(p, label, ": ",
                            sa_db_one_line(p, apr_dbd_error(db->driver, db->handle, rv)), NULL);
    db->failed_code = rv;
    if (db->on_failure) {
        db->on_failure(db, db->on_failure_ctx);
    }
}

/* Whether a failed statement may run once more: outside a transaction, on a connection that
 * its owner could heal (it re-prepares what it must, so the statement is looked up again). */
static int healed(sa_db *db)
{
    return !db->in_transaction && db->heal && db->heal(db, db->heal_ctx);
}

static const char *sql_of(const sa_statement *const *sets, const char *label)
{
    for (; sets && *sets; sets++) {
        for (const sa_statement *s = *sets; s->label; s++) {
            if (strcmp(s->label, label) == 0) {
                return s->sql;
            }
        }
    }
    return NULL;
}

/* A statement missing from db->prepared is prepared now when the connection prepares lazily
 * (db->lazy_pool): its first use comes after the connection's own set-up (a busy handler on
 * sqlite), which mod_dbd's preparation at connection time would come before. Each statement
 * gets a sub-pool of its own, destroyed when the preparation fails: a connection lives for
 * days, and a failure that comes back on every request must not grow its pool. */
static apr_dbd_prepared_t *prepare_lazily(sa_db *db, apr_pool_t *p, const char *label)
{
    apr_dbd_prepared_t *st = NULL;
    apr_pool_t *pool = NULL;
    const char *sql = sql_of(db->lazy_sets, label);
    if (!sql) {
        db->error = apr_psprintf(p, "%s: no such statement", label);
        return NULL;
    }
    if (apr_pool_create(&pool, db->lazy_pool) != APR_SUCCESS) {
        db->error = apr_psprintf(p, "%s: out of memory", label);
        return NULL;
    }
    int rv = apr_dbd_prepare(db->driver, pool, db->handle, sql, label, &st);
    if (rv != 0) {
        remember_error(db, p, label, rv);
        apr_pool_destroy(pool);
        return NULL;
    }
    apr_hash_set(db->prepared, apr_pstrdup(pool, label), APR_HASH_KEY_STRING, st);
    return st;
}

static apr_dbd_prepared_t *statement(sa_db *db, apr_pool_t *p, const char *label)
{
    apr_dbd_prepared_t *st =
        db->prepared ? apr_hash_get(db->prepared, label, APR_HASH_KEY_STRING) : NULL;
    if (!st && db->lazy_pool && db->prepared) {
        return prepare_lazily(db, p, label);
    }
    if (!st) {
        db->error = "a statement is not prepared (was the schema created?)";
    }
    return st;
}

apr_status_t sa_db_prepare_all(sa_db *db, apr_pool_t *p, const sa_statement *const *sets)
{
    if (!db->prepared) {
        db->prepared = apr_hash_make(p);
    }
    for (; *sets; sets++) {
        for (const sa_statement *s = *sets; s->label; s++) {
            apr_dbd_prepared_t *st = NULL;
            int rv = apr_dbd_prepare(db->driver, p, db->handle, s->sql, s->label, &st);
            if (rv != 0) {
                remember_error(db, p, s->label, rv);
                return APR_EGENERAL;
            }
            apr_hash_set(db->prepared, s->label, APR_HASH_KEY_STRING, st);
        }
    }
    return APR_SUCCESS;
}

apr_status_t sa_db_exec(sa_db *db, apr_pool_t *p, const char *label, int *affected, int nargs,
                        const char *const *args)
{
    int nrows = 0;
    for (int attempt = 0;; attempt++) {
        apr_dbd_prepared_t *st = statement(db, p, label);
        if (!st) {
            return APR_EGENERAL;
        }
        int rv = apr_dbd_pquery(db->driver, p, db->handle, &nrows, st, nargs, (const char **)args);
        if (rv == 0) {
            break;
        }
        remember_error(db, p, label, rv);
        if (attempt > 0 || !healed(db)) {
            return APR_EGENERAL;
        }
    }
    if (affected) {
        *affected = nrows;
    }
    return APR_SUCCESS;
}

static const char **copy_row(const sa_db *db, apr_pool_t *p, apr_dbd_row_t *row, int ncols)
{
    const char **cols = apr_pcalloc(p, sizeof(char *) * (apr_size_t)ncols);
    for (int i = 0; i < ncols; i++) {
        /* copied: pgsql frees the value when the next get_row steps past the last row */
        const char *v = apr_dbd_get_entry(db->driver, row, i);
        cols[i] = v ? apr_pstrdup(p, v) : "";
    }
    return cols;
}

apr_status_t sa_db_select(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                          const char *const *args, int ncols, apr_array_header_t **rows)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    for (int attempt = 0;; attempt++) {
        apr_dbd_prepared_t *st = statement(db, p, label);
        if (!st) {
            return APR_EGENERAL;
        }
        /* random access makes both drivers read every row at once, so no statement or read
         * transaction stays open after we return */
        int rv =
            apr_dbd_pselect(db->driver, p, db->handle, &res, st, 1, nargs, (const char **)args);
        if (rv == 0) {
            break;
        }
        remember_error(db, p, label, rv);
        if (attempt > 0 || !healed(db)) {
            return APR_EGENERAL;
        }
    }
    *rows = apr_array_make(p, 4, sizeof(const char **));
    while (apr_dbd_get_row(db->driver, p, res, &row, -1) == 0) {
        *(const char ***)apr_array_push(*rows) = copy_row(db, p, row, ncols);
    }
    return APR_SUCCESS;
}

apr_status_t sa_db_select_one(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                              const char *const *args, int ncols, const char ***row)
{
    apr_array_header_t *rows;
    apr_status_t rv = sa_db_select(db, p, label, nargs, args, ncols, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts == 0) {
        return APR_NOTFOUND;
    }
    *row = ((const char ***)rows->elts)[0];
    return APR_SUCCESS;
}

apr_status_t sa_db_exec_expect_row(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                                   const char *const *args)
{
    int n = 0;
    apr_status_t rv = sa_db_exec(db, p, label, &n, nargs, args);
    if (rv == APR_SUCCESS && n == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}

const char *sa_db_i64(apr_pool_t *p, apr_int64_t v)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

apr_int64_t sa_db_to_i64(const char *s)
{
    return s && *s ? apr_atoi64(s) : 0;
}

apr_status_t sa_db_run_script(sa_db *db, apr_pool_t *p, const char *script)
{
    char *copy = apr_pstrdup(p, script);
    char *state = NULL;
    for (char *stmt = apr_strtok(copy, ";", &state); stmt; stmt = apr_strtok(NULL, ";", &state)) {
        const char *s = stmt;
        while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
            s++;
        }
        /* a piece that is only comments or blanks is not a statement */
        int has_sql = 0;
        for (const char *line = s; line && *line;) {
            const char *eol = strchr(line, '\n');
            const char *q = line;
            while (*q == ' ' || *q == '\t') {
                q++;
            }
            if (*q && *q != '\n' && strncmp(q, "--", 2) != 0) {
                has_sql = 1;
                break;
            }
            line = eol ? eol + 1 : NULL;
        }
        if (!has_sql) {
            continue;
        }
        int nrows = 0;
        int rv = apr_dbd_query(db->driver, db->handle, &nrows, s);
        if (rv != 0) {
            remember_error(db, p, "schema", rv);
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

int sa_db_is_pgsql(const sa_db *db)
{
    return strcmp(apr_dbd_name(db->driver), "pgsql") == 0;
}

static apr_status_t run_plain(sa_db *db, apr_pool_t *p, const char *what, const char *sql)
{
    int nrows = 0;
    int rv = apr_dbd_query(db->driver, db->handle, &nrows, sql);
    if (rv != 0) {
        remember_error(db, p, what, rv);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t sa_db_begin(sa_db *db, apr_pool_t *p)
{
    /* sqlite: take the write lock now, so the transaction never fails half-way on a lock
     * upgrade that busy_timeout cannot wait for */
    const char *sql = sa_db_is_pgsql(db) ? "BEGIN" : "BEGIN IMMEDIATE";
    apr_status_t rv = run_plain(db, p, "begin", sql);
    if (rv != APR_SUCCESS && healed(db)) {
        rv = run_plain(db, p, "begin", sql);
    }
    db->in_transaction = rv == APR_SUCCESS;
    return rv;
}

apr_status_t sa_db_commit(sa_db *db, apr_pool_t *p)
{
    apr_status_t rv = run_plain(db, p, "commit", "COMMIT");
    db->in_transaction = 0;
    if (rv != APR_SUCCESS) {
        sa_db_rollback(db, p);
    }
    return rv;
}

void sa_db_rollback(sa_db *db, apr_pool_t *p)
{
    /* keeps the first error: the rollback's own failure says less */
    const char *first = db->error;
    db->in_transaction = 0;
    if (run_plain(db, p, "rollback", "ROLLBACK") != APR_SUCCESS && first) {
        db->error = first;
    }
}
