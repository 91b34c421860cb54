/* seances-admin's shared helpers (cli/common.c) and the context every command gets. */
#ifndef CLI_COMMON_H
#define CLI_COMMON_H

#include <apr_pools.h>
#include "core/notice.h"
#include "core/password.h"
#include "store/db.h"
#include "store/users.h"

typedef struct {
    apr_pool_t *pool;
    sa_db db;
    int argc; /* the command's own arguments, after global options and the command words */
    const char *const *argv;
    sa_argon2_params argon2;
    int min_length;
    const char *dbd;    /* sqlite3 or pgsql */
    const char *params; /* the sqlite file, or PostgreSQL's connection string */
} cli_ctx;

/* Prints "seances-admin: <message>" on stderr and returns 1 (the exit code). The message is
 * escaped as a whole (sa_text_escape): names and database errors in it cannot forge lines. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens c->params with c->dbd. An sqlite file must exist unless "creating" (apr_dbd would
 * create an empty one). Prints the error and returns 1 on failure. */
int cli_open_database(cli_ctx *c, int creating);

/* Looks the user up; prints the error and returns 1 when it does not exist or the db fails. */
int cli_find_user(cli_ctx *c, const char *name, sa_user **user);

/* Reads one line from standard input as a password (the line break is dropped). */
int cli_read_password(cli_ctx *c, char **password);

/* Finds "--name value" among the arguments; NULL when absent. *bad set when the value is
 * missing. */
const char *cli_option(const cli_ctx *c, const char *name, int *bad);
int cli_flag(const cli_ctx *c, const char *name);

const char *cli_time(apr_pool_t *p, apr_int64_t t);

/* The security notice (core/notice.h, e.g. SA_NOTICE_TOTP_RESET) owed to the user for a change
 * just made, left in the notice outbox for a server with mail to send, and said so on stdout;
 * nothing with --no-notice or without an address. A failure is a warning: the change stays. */
void cli_leave_notice(cli_ctx *c, const sa_user *u, sa_notice_kind kind);

/* Every text from the database or the command line that a command prints goes through this:
 * sa_text_escape (core/escape.h), so that tabs make no fake columns and control characters
 * reach no terminal (issue 13, finding 7). */
const char *cli_text(const cli_ctx *c, const char *s);

#endif
