/* The small helpers every seances-admin command uses: errors, options, times, users. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <apr_file_info.h>

#include "cli/common.h"
#include "core/escape.h"
#include "core/token.h"
#include "store/outbox.h"

int cli_fail(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    apr_vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    apr_pool_t *p = NULL;
    if (apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return 1;
    }
    fprintf(stderr, "seances-admin: %s\n", sa_text_escape(p, line));
    apr_pool_destroy(p);
    return 1;
}

const char *cli_text(const cli_ctx *c, const char *s)
{
    return sa_text_escape(c->pool, s);
}

/* A "-wal" or "-shm" beside a database file that is missing or empty belongs to a file that
 * was deleted while connections (Apache's) still had it open. sqlite would take that WAL index
 * for the new file's while those connections live, and fail with "disk I/O error": they go,
 * which the old connections do not notice (they keep their open copies). */
static void forget_stale_wal(cli_ctx *c, const char *path)
{
    apr_finfo_t fi;
    if (apr_stat(&fi, path, APR_FINFO_SIZE, c->pool) == APR_SUCCESS && fi.size > 0) {
        return;
    }
    apr_file_remove(apr_pstrcat(c->pool, path, "-wal", NULL), c->pool);
    apr_file_remove(apr_pstrcat(c->pool, path, "-shm", NULL), c->pool);
}

int cli_open_database(cli_ctx *c, int creating)
{
    const char *err = NULL;
    if (apr_dbd_get_driver(c->pool, c->dbd, &c->db.driver) != APR_SUCCESS) {
        return cli_fail("no apr_dbd driver '%s' (install libaprutil1-dbd-%s)", c->dbd, c->dbd);
    }
    if (strcmp(c->dbd, "sqlite3") == 0 && !creating) {
        apr_finfo_t fi;
        if (apr_stat(&fi, c->params, APR_FINFO_TYPE, c->pool) != APR_SUCCESS) {
            return cli_fail("database '%s' not found (create it with: seances-admin --db %s init)",
                            c->params, c->params);
        }
    }
    if (strcmp(c->dbd, "sqlite3") == 0 && creating) {
        forget_stale_wal(c, c->params);
    }
    if (apr_dbd_open_ex(c->db.driver, c->pool, c->params, &c->db.handle, &err) != APR_SUCCESS) {
        /* one line (libpq's messages run over several), and no pgsql conninfo, which may
         * hold a password: libpq's message names the server and the database */
        if (strcmp(c->dbd, "pgsql") == 0) {
            return cli_fail("cannot open the pgsql database: %s", sa_db_one_line(c->pool, err));
        }
        return cli_fail("cannot open the %s database '%s': %s", c->dbd, c->params,
                        sa_db_one_line(c->pool, err));
    }
    if (strcmp(c->dbd, "sqlite3") == 0) {
        int n;
        /* wait for Apache's writers instead of failing at once */
        apr_dbd_query(c->db.driver, c->db.handle, &n, "PRAGMA busy_timeout = 5000");
    }
    return 0;
}

const char *cli_option(const cli_ctx *c, const char *name, int *bad)
{
    for (int i = 0; i < c->argc; i++) {
        if (strcmp(c->argv[i], name) == 0) {
            if (i + 1 >= c->argc) {
                *bad = 1;
                return NULL;
            }
            return c->argv[i + 1];
        }
    }
    return NULL;
}

int cli_flag(const cli_ctx *c, const char *name)
{
    for (int i = 0; i < c->argc; i++) {
        if (strcmp(c->argv[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *cli_time(apr_pool_t *p, apr_int64_t t)
{
    char buf[APR_CTIME_LEN];
    apr_time_exp_t tm;
    apr_size_t len;
    if (t <= 0) {
        return "-";
    }
    apr_time_exp_lt(&tm, apr_time_from_sec(t));
    apr_strftime(buf, &len, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
    return apr_pstrdup(p, buf);
}

int cli_find_user(cli_ctx *c, const char *name, sa_user **user)
{
    apr_status_t rv = sa_store_user_by_name(&c->db, c->pool, name, user);
    if (rv == APR_NOTFOUND) {
        return cli_fail("no user '%s'", name);
    }
    if (rv != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    return 0;
}

int cli_read_password(cli_ctx *c, char **password)
{
    char *buf = apr_palloc(c->pool, SA_PASSWORD_MAX_BYTES + 2);
    if (!fgets(buf, SA_PASSWORD_MAX_BYTES + 2, stdin)) {
        return cli_fail("no password on standard input");
    }
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '\n') {
        buf[--n] = '\0';
    } else if (n > SA_PASSWORD_MAX_BYTES) {
        sa_wipe(buf, n);
        return cli_fail("the password is longer than %d bytes", SA_PASSWORD_MAX_BYTES);
    }
    if (n > 0 && buf[n - 1] == '\r') {
        buf[--n] = '\0';
    }
    *password = buf;
    return 0;
}

void cli_leave_notice(cli_ctx *c, const sa_user *u, sa_notice_kind kind)
{
    if (cli_flag(c, "--no-notice") || !u->email || !*u->email) {
        return;
    }
    if (sa_store_outbox_add(&c->db, c->pool, u->id, sa_notice_name(kind),
                            apr_time_sec(apr_time_now())) != APR_SUCCESS) {
        fprintf(stderr,
                "seances-admin: the change is done, but the notice to %s cannot be left: %s\n",
                cli_text(c, u->name), cli_text(c, c->db.error));
        return;
    }
    printf("a notice to %s follows by mail (sent by a server with SeancesSMTPServer)\n",
           cli_text(c, u->name));
}
