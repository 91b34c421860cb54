/* seances-admin: manages the users, apps and 2FA of mod_seances_auth from the shell, through
 * the same core (and so the same SQL and password rules) as the Apache module. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_general.h>
#include <apr_file_io.h>
#include <apr_strings.h>

#include "cli/admin.h"
#include "cli/check.h"
#include "cli/user.h"
#include "cli/common.h"
#include "store/store.h"
#include "store/users.h"
#include "store/grants.h"
#include "store/sessions.h"
#include "store/events.h"
#include "store/throttle.h"
#include "core/defaults.h"
#include "core/schema.h"

/* The package version, from debian/changelog: the Makefile passes it, so there is one place. */
#ifndef SEANCES_VERSION
#error "SEANCES_VERSION is not defined: build with make -f Makefile.apxs"
#endif

typedef struct {
    const char *word1;
    const char *word2; /* NULL for one-word commands */
    int positionals;   /* how many plain arguments it takes */
    int (*run)(cli_ctx *c);
} cli_command;

static int run_init(cli_ctx *c);
static int run_migrate(cli_ctx *c);
static int run_disable(cli_ctx *c)
{
    return cli_user_set_disabled(c, 1);
}
static int run_enable(cli_ctx *c)
{
    return cli_user_set_disabled(c, 0);
}

static const cli_command commands[] = {{"init", NULL, 0, run_init},
                                       {"migrate", NULL, 0, run_migrate},
                                       {"user", "add", 1, cli_user_add},
                                       {"user", "passwd", 1, cli_user_passwd},
                                       {"user", "list", 0, cli_user_list},
                                       {"user", "show", 1, cli_user_show},
                                       {"user", "disable", 1, run_disable},
                                       {"user", "enable", 1, run_enable},
                                       {"user", "delete", 1, cli_user_delete},
                                       {"grant", NULL, 2, cli_grant},
                                       {"revoke", NULL, 2, cli_revoke},
                                       {"2fa", "reset", 1, cli_twofactor_reset},
                                       {"unlock", NULL, 1, cli_unlock},
                                       {"sessions", NULL, 1, cli_sessions},
                                       {"history", NULL, 1, cli_history},
                                       {"import-htpasswd", NULL, 1, cli_import_htpasswd},
                                       {"purge", NULL, 0, cli_purge},
                                       {"check", NULL, 0, cli_check},
                                       {NULL, NULL, 0, NULL}};

static const char usage_text[] =
    "usage: seances-admin [--dbd sqlite3|pgsql] --db PARAMS COMMAND\n"
    "commands:\n"
    "  init                                 create or migrate the database\n"
    "  migrate [--dry-run]                  migrate an existing database (--dry-run: list)\n"
    "  user add NAME [--email E] [--password-stdin]\n"
    "  user passwd NAME --password-stdin [--no-notice]\n"
    "                                       set a password read from standard input\n"
    "  user list | user show NAME\n"
    "  user disable|enable|delete NAME\n"
    "  grant NAME APP | revoke NAME APP     applications the user may use\n"
    "  2fa reset NAME [--no-notice]         turn 2FA off for the user\n"
    "  unlock NAME                          lift a login ban on the account\n"
    "  sessions NAME [--revoke-all | --revoke ID]\n"
    "                                       list the user's open sessions, end them all or one\n"
    "  history NAME [--limit N]             recent logins\n"
    "  import-htpasswd FILE [--update]      add users from an htpasswd file\n"
    "  purge [--retention 365d]             remove ended sessions, old history, spent counters\n"
    "  check [--owner USER] [--passphrase-file FILE]\n"
    "                                       database and passphrase file modes, schema version\n"
    "options: --min-length N (new passwords, default 12), --version\n";

static int prepare(cli_ctx *c)
{
    int version = 0;
    if (sa_db_prepare_all(&c->db, c->pool, sa_store_statements()) != APR_SUCCESS) {
        return cli_fail("the database has no usable schema (%s); run: seances-admin init",
                        c->db.error);
    }
    if (sa_store_schema_version(&c->db, c->pool, &version) != APR_SUCCESS ||
        version > SA_SCHEMA_VERSION) {
        return cli_fail("the database schema version %d is newer than this tool knows (%d)",
                        version, SA_SCHEMA_VERSION);
    }
    return 0;
}

/* sqlite: write-ahead logging, kept in the file. Readers never wait for a writer, and the
 * module's connections use synchronous=NORMAL with it (README, "Reliability"). */
static int use_wal(cli_ctx *c)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    if (sa_db_is_pgsql(&c->db)) {
        return 0;
    }
    /* the pragma answers with the mode now in force */
    int rv =
        apr_dbd_select(c->db.driver, c->pool, c->db.handle, &res, "PRAGMA journal_mode = WAL", 1);
    const char *mode = rv == 0 && apr_dbd_get_row(c->db.driver, c->pool, res, &row, 1) == 0
                           ? apr_dbd_get_entry(c->db.driver, row, 0)
                           : NULL;
    if (mode && strcmp(mode, "wal") == 0) {
        return 0;
    }
    return cli_fail("cannot switch the database to WAL: %s",
                    mode ? mode : apr_dbd_error(c->db.driver, c->db.handle, rv));
}

static int upgrade(cli_ctx *c, const char *what)
{
    int from = 0;
    if (sa_schema_upgrade(&c->db, c->pool, &from) != APR_SUCCESS) {
        return cli_fail("%s failed: %s", what, c->db.error);
    }
    if (use_wal(c) != 0) {
        return 1;
    }
    if (prepare(c) != 0) {
        return 1;
    }
    if (from == 0) {
        printf("database ready (schema version %d)\n", SA_SCHEMA_VERSION);
    } else if (from < SA_SCHEMA_VERSION) {
        printf("database migrated from schema version %d to %d\n", from, SA_SCHEMA_VERSION);
    } else {
        printf("database ready (schema version %d, nothing to do)\n", SA_SCHEMA_VERSION);
    }
    return 0;
}

static int run_init(cli_ctx *c)
{
    return upgrade(c, "init");
}

static int run_migrate(cli_ctx *c)
{
    int from = 0;
    sa_schema_current(&c->db, c->pool, &from);
    if (from == 0) {
        return cli_fail("the database has no schema yet: run seances-admin init");
    }
    if (from > SA_SCHEMA_VERSION) {
        return cli_fail("the database schema version %d is newer than this tool knows (%d)", from,
                        SA_SCHEMA_VERSION);
    }
    if (cli_flag(c, "--dry-run")) {
        const char *plan = sa_schema_pending(c->pool, from);
        printf("schema version %d; this build has %d\n%s", from, SA_SCHEMA_VERSION,
               *plan ? plan : "nothing to do\n");
        return 0;
    }
    return upgrade(c, "migrate");
}

static const cli_command *find_command(int argc, const char *const *argv, int *used)
{
    for (const cli_command *cmd = commands; cmd->word1; cmd++) {
        if (argc < 1 || strcmp(argv[0], cmd->word1) != 0) {
            continue;
        }
        if (!cmd->word2) {
            *used = 1;
            return cmd;
        }
        if (argc >= 2 && strcmp(argv[1], cmd->word2) == 0) {
            *used = 2;
            return cmd;
        }
    }
    return NULL;
}

static int in_list(const char *const *list, const char *word)
{
    for (; *list; list++) {
        if (strcmp(*list, word) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Counts the plain arguments: everything that is not an option or an option's value. An
 * option no command knows gives -1 and *unknown, so that a typo is not silently ignored. */
static int count_positionals(const cli_ctx *c, const char **unknown)
{
    static const char *const with_value[] = {
        "--email", "--limit", "--retention", "--revoke", "--owner", "--passphrase-file", NULL};
    static const char *const flags[] = {"--password-stdin", "--revoke-all", "--update", "--dry-run",
                                        NULL};
    int n = 0;
    for (int i = 0; i < c->argc; i++) {
        const char *arg = c->argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            n++;
        } else if (in_list(with_value, arg)) {
            i++; /* its value; the command reports a missing one */
        } else if (!in_list(flags, arg)) {
            *unknown = arg;
            return -1;
        }
    }
    return n;
}

static int parse_globals(int *argc, const char *const **argv, const char **dbd, const char **params,
                         int *min_length)
{
    while (*argc > 0 && strncmp((*argv)[0], "--", 2) == 0) {
        const char *opt = (*argv)[0];
        if (!strcmp(opt, "--help")) {
            fputs(usage_text, stdout);
            exit(0);
        }
        if (!strcmp(opt, "--version")) {
            printf("seances-admin %s\n", SEANCES_VERSION);
            exit(0);
        }
        if (*argc < 2) {
            return cli_fail("option %s needs a value", opt);
        }
        if (!strcmp(opt, "--dbd")) {
            *dbd = (*argv)[1];
        } else if (!strcmp(opt, "--db")) {
            *params = (*argv)[1];
        } else if (!strcmp(opt, "--min-length")) {
            *min_length = atoi((*argv)[1]);
            if (*min_length < SA_PASSWORD_MIN_FLOOR || *min_length > SA_PASSWORD_MAX_CHARS) {
                return cli_fail("--min-length must be from %d to %d", SA_PASSWORD_MIN_FLOOR,
                                SA_PASSWORD_MAX_CHARS);
            }
        } else {
            return cli_fail("unknown option %s (see --help)", opt);
        }
        *argc -= 2;
        *argv += 2;
    }
    return 0;
}

static int run(apr_pool_t *pool, int argc, const char *const *argv)
{
    const char *dbd = "sqlite3", *params = getenv("SEANCES_DB");
    cli_ctx c = {.pool = pool, .min_length = sa_defaults.password_min};
    int used = 0;
    sa_argon2_defaults(&c.argon2);
    argc--;
    argv++;
    if (parse_globals(&argc, &argv, &dbd, &params, &c.min_length) != 0) {
        return 1;
    }
    const cli_command *cmd = find_command(argc, argv, &used);
    if (!cmd) {
        return cli_fail(argc ? "unknown command '%s' (see --help)"
                             : "no command given%s (see --help)",
                        argc ? argv[0] : "");
    }
    if (strcmp(dbd, "sqlite3") != 0 && strcmp(dbd, "pgsql") != 0) {
        return cli_fail("--dbd must be sqlite3 or pgsql, not '%s'", dbd);
    }
    if (!params || !*params) {
        return cli_fail("no database given: use --db PARAMS (or SEANCES_DB)");
    }
    c.argc = argc - used;
    c.argv = argv + used;
    const char *unknown = NULL;
    int positionals = count_positionals(&c, &unknown);
    if (unknown) {
        return cli_fail("unknown option %s (see --help)", unknown);
    }
    if (positionals != cmd->positionals) {
        return cli_fail("'%s%s%s' takes %d argument%s (see --help)", cmd->word1,
                        cmd->word2 ? " " : "", cmd->word2 ? cmd->word2 : "", cmd->positionals,
                        cmd->positionals == 1 ? "" : "s");
    }
    c.dbd = dbd;
    c.params = params;
    if (cmd->run == cli_check) {
        return cli_check(&c); /* looks at the file before opening the database itself */
    }
    int creating = cmd->run == run_init;
    int schema_work = creating || cmd->run == run_migrate;
    if (cli_open_database(&c, creating) != 0) {
        return 1;
    }
    int rc = (schema_work || prepare(&c) == 0) ? cmd->run(&c) : 1;
    apr_dbd_close(c.db.driver, c.db.handle);
    return rc;
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *pool;
    if (apr_app_initialize(&argc, &argv, NULL) != APR_SUCCESS) {
        return cli_fail("cannot initialise APR");
    }
    atexit(apr_terminate);
    apr_pool_create(&pool, NULL);
    apr_dbd_init(pool);
    int rc = run(pool, argc, argv);
    apr_pool_destroy(pool);
    return rc;
}
