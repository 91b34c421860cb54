/* seances-admin check: the owner and mode of the sqlite database and of its directory, the
 * schema version and the passphrase file, one line each; a FAIL line says how to fix it.
 * Admins run it; so does the Debian package's postinst, which only warns. Meant for root:
 * another user may be refused a look at files that are fine. */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <apr_strings.h>

#include "cli/check.h"
#include "core/escape.h"
#include "core/passphrase.h"
#include "core/schema.h"
#include "core/token.h"
#include "store/store.h"

typedef enum { CHECK_OK, CHECK_FAIL, CHECK_SKIP } check_result;

typedef struct {
    apr_pool_t *pool;
    int failures;
} check_report;

/* What a file or a directory must look like. */
typedef struct {
    const char *what; /* "database file" */
    const char *path;
    int directory;
    const char *owner; /* a user name */
    mode_t forbidden;  /* permission bits that must be clear... */
    const char *forbidden_fix;
    mode_t required; /* ...and those that must be set */
    const char *required_fix;
} check_path;

static void report(check_report *r, check_result result, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(check_report *r, check_result result, const char *what, const char *fmt, ...)
{
    static const char *const label[] = {"ok", "FAIL", "skip"};
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    apr_vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    printf("%-4s  %s: %s\n", label[result], sa_text_escape(r->pool, what),
           sa_text_escape(r->pool, detail));
    r->failures += result == CHECK_FAIL;
}

static const char *user_name(apr_pool_t *p, uid_t uid)
{
    const struct passwd *pw = getpwuid(uid);
    return pw ? apr_pstrdup(p, pw->pw_name) : apr_psprintf(p, "%ld", (long)uid);
}

static void check_one_path(check_report *r, const check_path *w)
{
    struct stat st;
    const char *what = apr_pstrcat(r->pool, w->what, " ", w->path, NULL);
    if (stat(w->path, &st) != 0) {
        report(r, CHECK_FAIL, what, "%s", strerror(errno));
        return;
    }
    const struct passwd *pw = getpwnam(w->owner);
    unsigned mode = st.st_mode & 07777;
    if (w->directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        report(r, CHECK_FAIL, what, "not a %s", w->directory ? "directory" : "regular file");
    } else if (!pw) {
        report(r, CHECK_FAIL, what, "no user %s on this system (give Apache's user with --owner)",
               w->owner);
    } else if (st.st_uid != pw->pw_uid) {
        report(r, CHECK_FAIL, what, "owner %s, should be %s (chown %s %s)",
               user_name(r->pool, st.st_uid), w->owner, w->owner, w->path);
    } else if (mode & w->forbidden) {
        report(r, CHECK_FAIL, what, "mode %04o, too open (chmod %s %s)", mode, w->forbidden_fix,
               w->path);
    } else if ((mode & w->required) != w->required) {
        report(r, CHECK_FAIL, what, "mode %04o, its owner needs more (chmod %s %s)", mode,
               w->required_fix, w->path);
    } else {
        report(r, CHECK_OK, what, "owner %s, mode %04o", w->owner, mode);
    }
}

static const char *directory_of(apr_pool_t *p, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return ".";
    }
    return slash == path ? "/" : apr_pstrndup(p, path, (apr_size_t)(slash - path));
}

/* Apache's user must read and write the file and, for sqlite's journal, the directory; nobody
 * else may read the hashes and sessions in them. */
static void check_sqlite_files(check_report *r, cli_ctx *c, const char *owner)
{
    const check_path dir = {
        .what = "database directory",
        .path = directory_of(c->pool, c->params),
        .directory = 1,
        .owner = owner,
        .forbidden = S_IRWXO,
        .forbidden_fix = "o-rwx",
        .required = S_IRWXU,
        .required_fix = "u+rwx",
    };
    const check_path file = {
        .what = "database file",
        .path = c->params,
        .owner = owner,
        .forbidden = S_IRWXO,
        .forbidden_fix = "o-rwx",
        .required = S_IRUSR | S_IWUSR,
        .required_fix = "u+rw",
    };
    check_one_path(r, &dir);
    check_one_path(r, &file);
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++) {
        n += *text == '\n';
    }
    return n;
}

static void check_schema(check_report *r, cli_ctx *c)
{
    int version = 0;
    if (cli_open_database(c, 0) != 0) {
        report(r, CHECK_FAIL, "database schema", "the database cannot be opened (see above)");
        return;
    }
    sa_schema_current(&c->db, c->pool, &version);
    apr_dbd_close(c->db.driver, c->db.handle);
    if (version == 0) {
        report(r, CHECK_FAIL, "database schema", "none found (run: seances-admin init)");
    } else if (version < SA_SCHEMA_VERSION) {
        int pending = count_lines(sa_schema_pending(c->pool, version));
        report(r, CHECK_FAIL, "database schema",
               "version %d, this build has %d: %d migration%s pending (run: seances-admin migrate)",
               version, SA_SCHEMA_VERSION, pending, pending == 1 ? "" : "s");
    } else if (version > SA_SCHEMA_VERSION) {
        report(r, CHECK_FAIL, "database schema",
               "version %d, newer than this build (%d): upgrade seances-admin", version,
               SA_SCHEMA_VERSION);
    } else {
        report(r, CHECK_OK, "database schema", "version %d, up to date", version);
    }
}

/* The passphrases in the file, read as the module reads them (words; '#' starts a comment;
 * double quotes around a word go), judged by the module's rules: a weak one fails here as it
 * fails apachectl -t (one FAIL line each; nothing when all are fine). */
static void check_passphrase_strength(check_report *r, const char *path)
{
    char line[4096];
    int n = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        return; /* check_one_path said why */
    }
    while (fgets(line, sizeof(line), f)) {
        for (char *save = NULL, *w = strtok_r(line, " \t\r\n", &save); w && *w != '#';
             w = strtok_r(NULL, " \t\r\n", &save)) {
            size_t len = strlen(w);
            if (len >= 2 && w[0] == '"' && w[len - 1] == '"') {
                w[len - 1] = '\0';
                w++;
            }
            const char *why = sa_passphrase_weakness(w);
            n++;
            if (why) {
                report(r, CHECK_FAIL, apr_psprintf(r->pool, "passphrase %d of %s", n, path),
                       "the passphrase %s (make one with openssl rand -base64 32)", why);
            }
        }
    }
    sa_wipe(line, sizeof(line));
    fclose(f);
}

/* Apache reads the passphrase as root at start-up; its children, running as the Apache user,
 * must not be able to (whoever holds it can mint cookies). */
static void check_passphrase(check_report *r, const char *given)
{
    const check_path w = {
        .what = "passphrase file",
        .path = given ? given : CLI_PASSPHRASE_FILE,
        .owner = "root",
        .forbidden = S_IRWXG | S_IRWXO,
        .forbidden_fix = "go-rwx",
        .required = S_IRUSR,
        .required_fix = "u+r",
    };
    struct stat st;
    if (!given && stat(w.path, &st) != 0 && errno == ENOENT) {
        report(r, CHECK_SKIP, "passphrase file " CLI_PASSPHRASE_FILE,
               "absent (give --passphrase-file FILE if SeancesCryptoPassphraseFile names another)");
        return;
    }
    check_one_path(r, &w);
    check_passphrase_strength(r, w.path);
}

int cli_check(cli_ctx *c)
{
    check_report r = {c->pool, 0};
    int bad = 0;
    const char *owner = cli_option(c, "--owner", &bad);
    const char *passphrase = cli_option(c, "--passphrase-file", &bad);
    if (bad) {
        return cli_fail("--owner and --passphrase-file take a value");
    }
    if (strcmp(c->dbd, "sqlite3") != 0) {
        report(&r, CHECK_SKIP, "database file", "%s keeps no file here", c->dbd);
        check_schema(&r, c);
    } else {
        struct stat st;
        check_sqlite_files(&r, c, owner ? owner : "www-data");
        if (stat(c->params, &st) == 0) {
            check_schema(&r, c);
        } else {
            report(&r, CHECK_SKIP, "database schema", "no database file");
        }
    }
    check_passphrase(&r, passphrase);
    if (r.failures) {
        return cli_fail("%d problem%s found", r.failures, r.failures == 1 ? "" : "s");
    }
    return 0;
}
