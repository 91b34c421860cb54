/* seances-admin user ...: accounts and their passwords. */
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>

#include "cli/user.h"
#include "cli/common.h"
#include "store/store.h"
#include "store/users.h"
#include "store/grants.h"
#include "store/sessions.h"
#include "store/events.h"
#include "store/totp.h"
#include "store/throttle.h"
#include "core/i18n.h"
#include "core/token.h"
#include "core/validate.h"

/* Reads, checks and hashes a new password; the clear text is wiped before returning. */
static int new_password_hash(cli_ctx *c, const char *name, const char *email, const char **hash)
{
    char *pw = NULL;
    if (cli_read_password(c, &pw) != 0) {
        return 1;
    }
    const char *why = sa_password_policy(c->pool, pw, c->min_length, name, email, NULL);
    if (why) {
        sa_wipe_str(pw);
        return cli_fail("password refused: %s", sa_msg(SA_LANG_EN, why));
    }
    apr_status_t rv = sa_password_hash(c->pool, pw, &c->argon2, hash);
    sa_wipe_str(pw);
    return rv == APR_SUCCESS ? 0 : cli_fail("cannot hash the password");
}

int cli_user_add(cli_ctx *c)
{
    int bad = 0;
    const char *name = c->argv[0];
    const char *email = cli_option(c, "--email", &bad);
    const char *hash = "", *why;
    sa_user *existing;
    if (bad) {
        return cli_fail("--email needs a value");
    }
    if ((why = sa_validate_username(name))) {
        return cli_fail("user name refused: %s", why);
    }
    if (email && (why = sa_validate_email(email))) {
        return cli_fail("e-mail refused: %s", why);
    }
    apr_status_t rv = sa_store_user_by_name(&c->db, c->pool, name, &existing);
    if (rv == APR_SUCCESS) {
        return cli_fail("user '%s' exists already (as '%s')", name, existing->name);
    }
    if (rv != APR_NOTFOUND) {
        return cli_fail("database error: %s", c->db.error);
    }
    if (cli_flag(c, "--password-stdin") && new_password_hash(c, name, email, &hash) != 0) {
        return 1;
    }
    if (sa_store_user_insert(&c->db, c->pool, name, email, hash, apr_time_sec(apr_time_now())) !=
        APR_SUCCESS) {
        return cli_fail("cannot add '%s': %s", name, c->db.error);
    }
    printf("user %s added%s\n", cli_text(c, name),
           *hash ? "" : " (no password yet: it cannot log in)");
    return 0;
}

int cli_user_passwd(cli_ctx *c)
{
    sa_user *u = NULL;
    const char *hash = NULL;
    int ended = 0;
    if (!cli_flag(c, "--password-stdin")) {
        return cli_fail("user passwd reads the password from standard input: add --password-stdin");
    }
    if (cli_find_user(c, c->argv[0], &u) != 0 || new_password_hash(c, u->name, u->email, &hash)) {
        return 1;
    }
    apr_int64_t now = apr_time_sec(apr_time_now());
    if (sa_store_user_set_password(&c->db, c->pool, u->id, hash, now) != APR_SUCCESS ||
        sa_store_sessions_delete_user(&c->db, c->pool, u->id, &ended) != APR_SUCCESS) {
        return cli_fail("cannot set the password: %s", c->db.error);
    }
    printf("password of %s changed; %d session%s ended\n", cli_text(c, u->name), ended,
           ended == 1 ? "" : "s");
    /* a first password (user add without one) is no change the user must hear of */
    if (u->password_hash && *u->password_hash) {
        cli_leave_notice(c, u, SA_NOTICE_PASSWORD_CHANGED);
    }
    return 0;
}

static const char *hash_scheme(const char *hash)
{
    const char *scheme = sa_password_scheme(hash);
    if (!hash || !*hash) {
        return "none";
    }
    return scheme ? scheme : "unknown";
}

int cli_user_list(cli_ctx *c)
{
    apr_array_header_t *users;
    if (sa_store_user_list(&c->db, c->pool, &users) != APR_SUCCESS) {
        return cli_fail("database error: %s", c->db.error);
    }
    for (int i = 0; i < users->nelts; i++) {
        const sa_user *u = ((sa_user **)users->elts)[i];
        printf("%s\t%s\t%s\t2fa:%s\t%s\n", cli_text(c, cli_text(c, u->name)),
               *u->email ? cli_text(c, u->email) : "-", u->disabled ? "disabled" : "enabled",
               u->totp_enabled ? "on" : "off", cli_time(c->pool, u->created));
    }
    return 0;
}

/* "on (8 recovery codes left)", "off", "off (enrolment started 2026-...)" */
static const char *twofactor_state(cli_ctx *c, const sa_user *u)
{
    sa_totp_row row;
    int left = 0;
    if (sa_store_totp_get(&c->db, c->pool, u->id, &row) != APR_SUCCESS ||
        sa_store_codes_left(&c->db, c->pool, u->id, &left) != APR_SUCCESS) {
        return NULL;
    }
    if (row.enabled) {
        return apr_psprintf(c->pool, "on (%d recovery code%s left)", left, left == 1 ? "" : "s");
    }
    if (*row.pending) {
        return apr_psprintf(c->pool, "off (enrolment started %s, not confirmed)",
                            cli_time(c->pool, row.pending_created));
    }
    return "off";
}

int cli_user_show(cli_ctx *c)
{
    sa_user *u;
    apr_array_header_t *apps, *sessions;
    const char *twofactor = NULL;
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    if (sa_store_grants_of(&c->db, c->pool, u->id, &apps) != APR_SUCCESS ||
        sa_store_sessions_of(&c->db, c->pool, u->id, &sessions) != APR_SUCCESS ||
        !(twofactor = twofactor_state(c, u))) {
        return cli_fail("database error: %s", c->db.error);
    }
    printf("name: %s\nemail: %s\nstatus: %s\n2fa: %s\npassword: %s\ncreated: %s\n",
           cli_text(c, cli_text(c, u->name)), cli_text(c, u->email),
           u->disabled ? "disabled" : "enabled", twofactor, hash_scheme(u->password_hash),
           cli_time(c->pool, u->created));
    printf("apps:");
    for (int i = 0; i < apps->nelts; i++) {
        printf(" %s", cli_text(c, ((const char **)apps->elts)[i]));
    }
    printf("\nsessions: %d\n", sessions->nelts);
    return 0;
}

int cli_user_set_disabled(cli_ctx *c, int disabled)
{
    sa_user *u;
    int ended = 0;
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    if (sa_store_user_set_disabled(&c->db, c->pool, u->id, disabled) != APR_SUCCESS ||
        (disabled && sa_store_sessions_delete_user(&c->db, c->pool, u->id, &ended))) {
        return cli_fail("database error: %s", c->db.error);
    }
    if (disabled) {
        printf("user %s disabled; %d session%s ended\n", cli_text(c, u->name), ended,
               ended == 1 ? "" : "s");
    } else {
        printf("user %s enabled\n", cli_text(c, u->name));
    }
    return 0;
}

int cli_user_delete(cli_ctx *c)
{
    sa_user *u;
    if (cli_find_user(c, c->argv[0], &u) != 0) {
        return 1;
    }
    if (sa_store_user_delete(&c->db, c->pool, u->id) != APR_SUCCESS) {
        return cli_fail("cannot delete '%s': %s", u->name, c->db.error);
    }
    printf("user %s deleted\n", cli_text(c, u->name));
    return 0;
}
