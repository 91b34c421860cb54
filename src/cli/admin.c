/* seances-admin: grants, 2FA reset, bans, sessions, history and htpasswd import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_file_io.h>

#include "cli/admin.h"
#include "core/defaults.h"
#include "core/retention.h"
#include "core/session.h"
#include "core/validate.h"
#include "cli/common.h"
#include "store/store.h"
#include "store/users.h"
#include "store/grants.h"
#include "store/sessions.h"
#include "store/events.h"
#include "store/throttle.h"
#include "core/login.h"

#define SESSION_PREFIX_MIN 8

int cli_grant(cli_ctx *c)
{
    sa_user *u;
    const char *why = sa_validate_app_name(c->argv[1]);
    if (why) {
        return cli_fail("application name refused: %s", why);
    }
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    if (sa_store_grant(&c->db, c->pool, u->id, c->argv[1]) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    printf("%s may use %s\n", cli_text(c, u->name), cli_text(c, c->argv[1]));
    return 0;
}

int cli_revoke(cli_ctx *c)
{
    sa_user *u;
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    apr_status_t rv = sa_store_revoke(&c->db, c->pool, u->id, c->argv[1]);
    if (rv == APR_NOTFOUND) {
        return cli_fail("%s had no grant for %s", u->name, c->argv[1]);
    }
    if (rv != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    printf("%s may no longer use %s\n", cli_text(c, u->name), cli_text(c, c->argv[1]));
    return 0;
}

int cli_twofactor_reset(cli_ctx *c)
{
    sa_user *u;
    int ended = 0;
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    if (sa_store_user_reset_totp(&c->db, c->pool, u->id) != APR_SUCCESS ||
        sa_store_sessions_delete_user(&c->db, c->pool, u->id, &ended) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    /* the user's history says who turned it off; a failure here undoes nothing */
    if (sa_login_record(&c->db, c->pool, u, "totp_reset", "admin", "", "seances-admin",
                        apr_time_now()) != APR_SUCCESS) {
        fprintf(stderr, "seances-admin: the reset is done but not in the history: %s\n",
                cli_text(c, c->db.error));
    }
    printf("2FA of %s turned off; %d session%s ended\n", cli_text(c, u->name), ended,
           ended == 1 ? "" : "s");
    cli_leave_notice(c, u, SA_NOTICE_TOTP_RESET);
    return 0;
}

int cli_unlock(cli_ctx *c)
{
    /* an unknown name can be banned too (attackers guess names), so no lookup here */
    const char *key = sa_login_account_key(c->pool, c->argv[0]);
    if (sa_store_throttle_clear(&c->db, c->pool, key) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    printf("login ban on %s lifted\n", cli_text(c, c->argv[0]));
    return 0;
}

static int revoke_all(cli_ctx *c, const sa_user *u)
{
    int ended = 0;
    if (sa_store_sessions_delete_user(&c->db, c->pool, u->id, &ended) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    printf("%d session%s of %s ended\n", ended, ended == 1 ? "" : "s", cli_text(c, u->name));
    return 0;
}

/* --revoke ID: the id prefix that "sessions NAME" shows (the portal's "Déconnecter"). */
static int revoke_one(cli_ctx *c, const sa_user *u, const apr_array_header_t *rows,
                      const char *prefix)
{
    const sa_session_row *found = NULL;
    size_t n = strlen(prefix);
    if (n < SESSION_PREFIX_MIN || strspn(prefix, "0123456789abcdef") != n) {
        return cli_fail("--revoke takes the session id shown by 'sessions %s' (at least %d "
                        "hexadecimal digits)",
                        u->name, SESSION_PREFIX_MIN);
    }
    for (int i = 0; i < rows->nelts; i++) {
        const sa_session_row *s = ((sa_session_row **)rows->elts)[i];
        if (strncmp(s->id_hash, prefix, n) == 0) {
            if (found) {
                return cli_fail("several sessions of %s start with %s: give more digits", u->name,
                                prefix);
            }
            found = s;
        }
    }
    if (!found) {
        return cli_fail("%s has no open session %s", u->name, prefix);
    }
    if (sa_session_end_of_user(&c->db, c->pool, u->id, found->id_hash) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    printf("session %.12s of %s ended\n", cli_text(c, found->id_hash), cli_text(c, u->name));
    return 0;
}

/* The same rows as the portal's "Sessions ouvertes" (the CLI knows no idle limit, so only
 * sessions past their absolute end are left out, and removed). */
int cli_sessions(cli_ctx *c)
{
    sa_user *u;
    apr_array_header_t *rows;
    int bad = 0;
    const char *revoke = cli_option(c, "--revoke", &bad);
    if (bad) {
        return cli_fail("--revoke needs a session id");
    }
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    if (cli_flag(c, "--revoke-all")) {
        return revoke_all(c, u);
    }
    if (sa_session_list(&c->db, c->pool, u->id, NULL, apr_time_now(), &rows) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    if (revoke) {
        return revoke_one(c, u, rows, revoke);
    }
    for (int i = 0; i < rows->nelts; i++) {
        const sa_session_row *s = ((sa_session_row **)rows->elts)[i];
        printf("%.12s\t%s\t%s\t%s\t%s\t%s\n", cli_text(c, s->id_hash),
               cli_time(c->pool, s->created), cli_time(c->pool, s->last_seen),
               s->remember ? "remembered" : "browser", *s->ip ? cli_text(c, s->ip) : "-",
               *s->user_agent ? cli_text(c, s->user_agent) : "-");
    }
    return 0;
}

int cli_history(cli_ctx *c)
{
    sa_user *u;
    apr_array_header_t *events;
    int bad = 0;
    const char *limit_arg = cli_option(c, "--limit", &bad);
    int limit = limit_arg ? atoi(limit_arg) : 20;
    if (bad || limit < 1 || limit > 10000) {
        return cli_fail("--limit takes a number from 1 to 10000");
    }
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    if (sa_store_events_of(&c->db, c->pool, u->id, limit, &events) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    for (int i = 0; i < events->nelts; i++) {
        const sa_event *e = &((sa_event *)events->elts)[i];
        printf("%s\t%s\t%s\t%s\t%s\n", cli_time(c->pool, e->time), cli_text(c, e->result),
               cli_text(c, e->factor), *e->ip ? cli_text(c, e->ip) : "-",
               *e->user_agent ? cli_text(c, e->user_agent) : "-");
    }
    return 0;
}

static int supported_hash(const char *hash)
{
    return sa_password_scheme(hash) != NULL;
}

/* Checks one "name:hash" line; returns NULL when it can be imported, else why not. */
static const char *parse_htpasswd_line(apr_pool_t *p, char *line, const char **name,
                                       const char **hash)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *colon = strchr(line, ':');
    if (!colon) {
        return "no ':' between name and hash";
    }
    *colon = '\0';
    *name = line;
    *hash = apr_pstrdup(p, colon + 1);
    const char *why = sa_validate_username(*name);
    if (why) {
        return why;
    }
    return supported_hash(*hash) ? NULL
                                 : "unsupported hash (use bcrypt, apr1 MD5 or SHA1: htpasswd -B)";
}

static int import_line(cli_ctx *c, char *line, int lineno, int update, int *added, int *updated)
{
    const char *name, *hash;
    sa_user *u;
    const char *why = parse_htpasswd_line(c->pool, line, &name, &hash);
    if (why) {
        fprintf(stderr, "seances-admin: line %d skipped: %s\n", lineno, why);
        return 0;
    }
    apr_int64_t now = apr_time_sec(apr_time_now());
    apr_status_t rv = sa_store_user_by_name(&c->db, c->pool, name, &u);
    if (rv == APR_NOTFOUND) {
        rv = sa_store_user_insert(&c->db, c->pool, name, "", hash, now);
        *added += rv == APR_SUCCESS;
    } else if (rv == APR_SUCCESS && update) {
        rv = sa_store_user_set_password(&c->db, c->pool, u->id, hash, now);
        *updated += rv == APR_SUCCESS;
    } else if (rv == APR_SUCCESS) {
        fprintf(stderr, "seances-admin: line %d skipped: user %s exists (use --update)\n", lineno,
                cli_text(c, name));
    }
    return rv == APR_SUCCESS ? 0 : cli_fail("database error: %s", c->db.error);
}

int cli_import_htpasswd(cli_ctx *c)
{
    apr_file_t *f;
    char line[4096];
    int lineno = 0, added = 0, updated = 0;
    int update = cli_flag(c, "--update");
    if (apr_file_open(&f, c->argv[0], APR_READ, 0, c->pool) != APR_SUCCESS) {
        return cli_fail("cannot read '%s'", c->argv[0]);
    }
    while (apr_file_gets(line, sizeof(line), f) == APR_SUCCESS) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\0') {
            continue;
        }
        if (import_line(c, line, lineno, update, &added, &updated) != 0) {
            apr_file_close(f);
            return 1;
        }
    }
    apr_file_close(f);
    printf("%d user%s added, %d updated; they log in with their htpasswd passwords, which are "
           "rehashed with argon2id at their first login\n",
           added, added == 1 ? "" : "s", updated);
    return 0;
}

int cli_purge(cli_ctx *c)
{
    int bad = 0;
    const char *keep_arg = cli_option(c, "--retention", &bad);
    apr_interval_time_t keep = apr_time_from_sec(sa_defaults.retention);
    const char *why = keep_arg ? sa_parse_duration(keep_arg, &keep) : NULL;
    if (bad || why || keep < apr_time_from_sec(86400)) {
        return cli_fail("--retention takes a duration of at least 1d, e.g. 365d");
    }
    /* the servers' lockout window is not known here: a day is longer than any sane one */
    sa_retention plan = {.now = apr_time_sec(apr_time_now()),
                         .keep = apr_time_sec(keep),
                         .window = 86400,
                         .notice_keep = sa_defaults.outbox_keep,
                         .batch = sa_defaults.housekeeping_batch};
    sa_retention_removed round, total = {0, 0, 0, 0};
    do {
        if (sa_retention_round(&c->db, c->pool, &plan, &round) != APR_SUCCESS) {
            return cli_fail("purge failed: %s", c->db.error);
        }
        total.sessions += round.sessions;
        total.events += round.events;
        total.throttle += round.throttle;
        total.notices += round.notices;
    } while (round.sessions || round.events || round.throttle || round.notices);
    printf("removed %d ended sessions, %d login events older than %s, %d spent throttle "
           "counters, %d unsent notices\n",
           total.sessions, total.events, keep_arg ? keep_arg : "365d", total.throttle,
           total.notices);
    return 0;
}
