/* What the portal changes and lists, on a real sqlite3 database: the password change (form
 * checks, the current password through the login's throttle, other sessions ended, the
 * history), the user's sessions (listing, ending one, ending the others) and the paged
 * history. Argon2 runs with m=1024, t=1. */
/* Checklist (test/SECURITY.md): SEC-07 change password needs the current password. */
#include <stdlib.h>
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "core/account.h"
#include "core/session.h"
#include "store/totp.h"

#define T0 1700000000
#define PW "correct horse battery"
#define NEW_PW "a brand new passphrase 2026"

static const sa_argon2_params small = {1024, 1, 1};
static const sa_lockout lockout = {
    .account_limit = 3, .address_limit = 20, .window = 600, .ban = 900};

static sa_user *add_alice(sa_db *db, apr_pool_t *p)
{
    const char *hash = NULL;
    CHECK(sa_password_hash(p, PW, &small, &hash) == APR_SUCCESS);
    return hash ? unit_db_add_user(db, p, "alice", "alice.martin@example.ch", hash) : NULL;
}

static void add_session(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *id_hash,
                        apr_int64_t last_seen, int remember)
{
    sa_session_row s = {.id_hash = id_hash,
                        .user_id = user_id,
                        .created = T0,
                        .last_seen = last_seen,
                        .expires = T0 + 86400,
                        .remember = remember,
                        .level = 1,
                        .ip = "192.0.2.9",
                        .user_agent = "UA"};
    CHECK(sa_store_session_insert(db, p, &s) == APR_SUCCESS);
}

static sa_password_change change(const sa_user *u, const char *current, const char *new_pw,
                                 const char *confirm, apr_int64_t at)
{
    sa_password_change c = {.username = u->name,
                            .user_id = u->id,
                            .keep_session = "mine",
                            .current = current,
                            .new_password = new_pw,
                            .confirm = confirm,
                            .ip = "192.0.2.7",
                            .user_agent = "UnitAgent/1.0",
                            .now = apr_time_from_sec(at),
                            .lockout = &lockout,
                            .argon2 = &small,
                            .min_length = 12};
    return c;
}

static const char *try_change(sa_db *db, apr_pool_t *p, const sa_password_change *c,
                              sa_change_result *result, apr_array_header_t **ended)
{
    const char *key = NULL;
    *result = sa_account_change_password(db, p, c, &key, ended);
    return key ? key : "(none)";
}

static void account_form_problems_cost_nothing(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = db ? add_alice(db, p) : NULL;
    sa_change_result r;
    apr_array_header_t *ended = NULL;
    if (!a) {
        return;
    }
    sa_password_change c = change(a, PW, NEW_PW, "a brand new passphrase 2025", T0);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_mismatch");
    CHECK(r == SA_CHANGE_REFUSED);
    c = change(a, PW, "too short", "too short", T0);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_too_short");
    c = change(a, PW, "alice-is-my-name-2026", "alice-is-my-name-2026", T0);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_contains_name");
    c = change(a, PW, "ALICE.MARTIN forever!", "ALICE.MARTIN forever!", T0);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_contains_name");
    c = change(a, "", NEW_PW, NEW_PW, T0);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_fields_missing");
    c = change(a, PW, NEW_PW, NULL, T0);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_fields_missing");
    /* none of these counted as a wrong password or reached the history */
    CHECK_STR(unit_db_value(db, p, "SELECT count(*) FROM throttle"), "0");
    CHECK_STR(unit_db_value(db, p, "SELECT count(*) FROM login_events"), "0");
}

static void account_wrong_current_counts_and_locks(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = db ? add_alice(db, p) : NULL;
    sa_change_result r;
    apr_array_header_t *ended = NULL;
    if (!a) {
        return;
    }
    sa_password_change c = change(a, "not my password", NEW_PW, NEW_PW, T0);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_current_wrong");
    CHECK(r == SA_CHANGE_REFUSED);
    CHECK_STR(unit_db_value(db, p,
                            "SELECT result || ' ' || user_id || ' ' || ip || ' ' || user_agent "
                            "FROM login_events ORDER BY id DESC LIMIT 1"),
              apr_psprintf(p, "bad_current_password %" APR_INT64_T_FMT " 192.0.2.7 UnitAgent/1.0",
                           a->id));
    CHECK_STR(unit_db_value(db, p, "SELECT failures FROM throttle WHERE key = 'user:alice'"), "1");
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_current_wrong");
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_current_wrong");
    /* the account is now banned, for the portal and for the login: even the right password */
    c = change(a, PW, NEW_PW, NEW_PW, T0 + 1);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_throttled");
    sa_login_outcome out;
    sa_login_attempt login = {.username = "alice",
                              .password = PW,
                              .ip = "198.51.100.1",
                              .now = apr_time_from_sec(T0 + 2),
                              .lockout = &lockout,
                              .argon2 = &small};
    CHECK(sa_login_password(db, p, &login, &out) == SA_LOGIN_THROTTLED);
    /* after the ban, the right current password works and clears the account's counter */
    c = change(a, PW, NEW_PW, NEW_PW, T0 + 1000);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_changed");
    CHECK(r == SA_CHANGE_DONE);
    CHECK_STR(unit_db_value(db, p, "SELECT count(*) FROM throttle WHERE key = 'user:alice'"), "0");
}

static void account_change_ends_other_sessions(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = db ? add_alice(db, p) : NULL;
    sa_user *b = db ? unit_db_add_user(db, p, "bob", "", "h") : NULL;
    sa_change_result r;
    apr_array_header_t *ended = NULL;
    if (!a || !b) {
        return;
    }
    add_session(db, p, a->id, "mine", T0, 0);
    add_session(db, p, a->id, "phone", T0, 1);
    add_session(db, p, a->id, "laptop", T0, 0);
    add_session(db, p, b->id, "bobs", T0, 0);
    sa_password_change c = change(a, PW, NEW_PW, NEW_PW, T0 + 5);
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_changed");
    CHECK(ended && ended->nelts == 2);
    if (ended && ended->nelts == 2) {
        /* the ids ended, for the session cache to forget */
        const char *e0 = ((const char **)ended->elts)[0], *e1 = ((const char **)ended->elts)[1];
        CHECK((!strcmp(e0, "phone") && !strcmp(e1, "laptop")) ||
              (!strcmp(e0, "laptop") && !strcmp(e1, "phone")));
    }
    /* the sessions left, in SQL that sqlite3 and PostgreSQL read alike */
    CHECK_STR(unit_db_value(db, p,
                            "SELECT count(*) || ' ' || min(id_hash) || ' ' || max(id_hash) "
                            "FROM sessions"),
              "2 bobs mine");
    sa_user *after = NULL;
    CHECK(sa_store_user_by_name(db, p, "alice", &after) == APR_SUCCESS);
    CHECK(after && sa_password_verify(p, NEW_PW, after->password_hash) == SA_PW_MATCH);
    CHECK(after && sa_password_verify(p, PW, after->password_hash) == SA_PW_MISMATCH);
    apr_int64_t when = 0;
    CHECK(sa_store_user_password_changed(db, p, a->id, &when) == APR_SUCCESS);
    CHECK(when == T0 + 5);
    CHECK_STR(unit_db_value(db, p, "SELECT result FROM login_events ORDER BY id DESC LIMIT 1"),
              "password_changed");
    /* a session whose user is another account changes nothing of alice's */
    c = change(a, NEW_PW, "yet another passphrase!", "yet another passphrase!", T0 + 6);
    c.user_id = b->id;
    CHECK_STR(try_change(db, p, &c, &r, &ended), "pw_account_gone");
}

static void account_sessions_list_and_end(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = db ? unit_db_add_user(db, p, "alice", "", "h") : NULL;
    sa_user *b = db ? unit_db_add_user(db, p, "bob", "", "h") : NULL;
    apr_array_header_t *rows = NULL;
    sa_session_policy policy = {.idle = 1800, .max = 43200, .remember = 86400 * 30};
    apr_array_header_t *gone = NULL;
    if (!a || !b) {
        return;
    }
    add_session(db, p, a->id, "fresh", T0 + 100, 0);
    add_session(db, p, a->id, "idle", T0, 0);       /* idle since T0 */
    add_session(db, p, a->id, "remembered", T0, 1); /* no idle limit */
    add_session(db, p, b->id, "bobs", T0 + 100, 0);
    /* the CLI (no policy) lists every session before its absolute end */
    CHECK(sa_session_list(db, p, a->id, NULL, apr_time_from_sec(T0 + 2000), &rows) == APR_SUCCESS);
    CHECK(rows && rows->nelts == 3);
    /* the portal's policy ends "idle"; the list deletes it on the way */
    CHECK(sa_session_list(db, p, a->id, &policy, apr_time_from_sec(T0 + 1850), &rows) ==
          APR_SUCCESS);
    CHECK(rows && rows->nelts == 2);
    if (rows && rows->nelts == 2) {
        CHECK_STR(((sa_session_row **)rows->elts)[0]->id_hash, "fresh");
        CHECK_STR(((sa_session_row **)rows->elts)[1]->id_hash, "remembered");
    }
    CHECK_STR(unit_db_value(db, p, "SELECT count(*) FROM sessions WHERE id_hash = 'idle'"), "0");
    /* ending one: only one's own */
    CHECK(sa_session_end_of_user(db, p, a->id, "bobs") == APR_NOTFOUND);
    CHECK(sa_session_end_of_user(db, p, a->id, "remembered") == APR_SUCCESS);
    CHECK(sa_session_end_of_user(db, p, a->id, "remembered") == APR_NOTFOUND);
    add_session(db, p, a->id, "tablet", T0 + 100, 1);
    CHECK(sa_session_end_others(db, p, a->id, "fresh", &gone) == APR_SUCCESS);
    CHECK(gone && gone->nelts == 1 && !strcmp(((const char **)gone->elts)[0], "tablet"));
    /* the sessions left, in SQL that sqlite3 and PostgreSQL read alike */
    CHECK_STR(unit_db_value(db, p,
                            "SELECT count(*) || ' ' || min(id_hash) || ' ' || max(id_hash) "
                            "FROM sessions"),
              "2 bobs fresh");
    /* a database that fails answers with an error, never with an empty list */
    CHECK(unit_db_sql(db, "DROP TABLE sessions") == 0);
    CHECK(sa_session_list(db, p, a->id, &policy, apr_time_from_sec(T0), &rows) != APR_SUCCESS);
}

static void account_history_pages(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = db ? unit_db_add_user(db, p, "alice", "", "h") : NULL;
    apr_array_header_t *ev = NULL;
    if (!a) {
        return;
    }
    /* 25 events, several in the same second: the id breaks the ties */
    for (int i = 0; i < 25; i++) {
        sa_event e = {.time = T0 + i / 3,
                      .username = "alice",
                      .result = i % 4 ? "ok" : "bad_password",
                      .user_agent = apr_itoa(p, i)};
        CHECK(sa_store_event_add(db, p, a->id, &e) == APR_SUCCESS);
    }
    sa_event_cursor cur = {0, 0};
    int seen = 0, pages = 0, last_ua = 25;
    const sa_event_cursor *before = NULL;
    do {
        CHECK(sa_store_events_page(db, p, a->id, before, 10, &ev) == APR_SUCCESS);
        if (!ev) {
            return;
        }
        for (int i = 0; i < ev->nelts; i++) {
            const sa_event *e = &((sa_event *)ev->elts)[i];
            int ua = atoi(e->user_agent);
            CHECK(ua == last_ua - 1); /* every event once, newest first */
            last_ua = ua;
            cur.time = e->time;
            cur.id = e->id;
        }
        seen += ev->nelts;
        pages++;
        before = &cur;
        /* a new login while paging shifts nothing: it is newer than every cursor */
        if (pages == 1) {
            sa_event late = {.time = T0 + 500, .username = "alice", .result = "ok"};
            CHECK(sa_store_event_add(db, p, a->id, &late) == APR_SUCCESS);
        }
    } while (ev->nelts == 10 && pages < 10);
    CHECK(seen == 25);
    CHECK(pages == 3);
    CHECK(sa_store_events_page(db, p, a->id, NULL, 10, &ev) == APR_SUCCESS);
    CHECK(ev && ev->nelts == 10 && ((sa_event *)ev->elts)[0].time == T0 + 500);
}

static void account_counts(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = db ? unit_db_add_user(db, p, "alice", "", "h") : NULL;
    int n = -1;
    if (!a) {
        return;
    }
    CHECK(sa_store_codes_left(db, p, a->id, &n) == APR_SUCCESS && n == 0);
    CHECK(unit_db_sql(db, apr_psprintf(p,
                                       "INSERT INTO recovery_codes (user_id, code_hash, used) "
                                       "VALUES (%" APR_INT64_T_FMT ", 'a', 0), (%" APR_INT64_T_FMT
                                       ", 'b', 1), (%" APR_INT64_T_FMT ", 'c', 0)",
                                       a->id, a->id, a->id)) == 0);
    CHECK(sa_store_codes_left(db, p, a->id, &n) == APR_SUCCESS && n == 2);
    apr_int64_t when = -1;
    CHECK(sa_store_user_password_changed(db, p, a->id + 100, &when) == APR_NOTFOUND);
}

UNIT_SUITE(account_tests) = {
    {"account_form_problems_cost_nothing", account_form_problems_cost_nothing},
    {"account_wrong_current_counts_and_locks", account_wrong_current_counts_and_locks},
    {"account_change_ends_other_sessions", account_change_ends_other_sessions},
    {"account_sessions_list_and_end", account_sessions_list_and_end},
    {"account_history_pages", account_history_pages},
    {"account_counts", account_counts},
    {NULL, NULL}};
