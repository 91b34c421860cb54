/* The typed store on a real sqlite3 database: users (case-insensitive names), grants,
 * sessions, the login history and the throttle counters. */
/* Checklist (test/SECURITY.md): SEC-15 per-account throttling. */
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "store/store.h"
#include "store/users.h"
#include "store/grants.h"
#include "store/sessions.h"
#include "store/events.h"
#include "store/throttle.h"

#define T0 1700000000

static sa_session_row session_row(const char *id_hash, apr_int64_t user_id, apr_int64_t created,
                                  apr_int64_t last_seen, apr_int64_t expires)
{
    sa_session_row row = {.id_hash = id_hash,
                          .user_id = user_id,
                          .created = created,
                          .last_seen = last_seen,
                          .expires = expires,
                          .remember = 0,
                          .level = 1,
                          .ip = "192.0.2.1",
                          .user_agent = "UnitAgent/1.0"};
    return row;
}

static const char *count(sa_db *db, apr_pool_t *p, const char *table, const char *where)
{
    return unit_db_value(db, p, apr_psprintf(p, "SELECT count(*) FROM %s WHERE %s", table, where));
}

/* ---- users ---- */

static void store_schema_version(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    int version = 0;
    if (!db) {
        return;
    }
    CHECK(sa_store_schema_version(db, p, &version) == APR_SUCCESS);
    CHECK(version == SA_SCHEMA_VERSION);
    CHECK(version == 6);
}

static void store_name_key(apr_pool_t *p)
{
    CHECK_STR(sa_store_name_key(p, "Alice"), "alice");
    CHECK_STR(sa_store_name_key(p, "ALICE.Dupont-2"), "alice.dupont-2");
    CHECK_STR(sa_store_name_key(p, "alice"), "alice");
    CHECK_STR(sa_store_name_key(p, "Zo\xc3\xab"), "zo\xc3\xab");
    CHECK_STR(sa_store_name_key(p, ""), "");
    /* issue 13, finding 9: RFC 8265 UsernameCaseMapped (width, case folding, NFC) */
    CHECK_STR(sa_store_name_key(p, "\xc3\x89mile"), "\xc3\xa9mile");  /* Émile */
    CHECK_STR(sa_store_name_key(p, "E\xcc\x81MILE"), "\xc3\xa9mile"); /* E + U+0301 */
    CHECK_STR(sa_store_name_key(p, "e\xcc\x81mile"), "\xc3\xa9mile");
    CHECK_STR(sa_store_name_key(p, "Stra\xc3\x9f"
                                   "e"),
              "strasse");                                         /* Straße */
    CHECK_STR(sa_store_name_key(p, "\xef\xbc\xa1lice"), "alice"); /* fullwidth A */
    CHECK_STR(sa_store_name_key(p, "\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91"),
              "\xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1"); /* ΣΟΦΙΑ -> σοφια */
    /* not UTF-8 (never a new name): the old ASCII lower case */
    CHECK_STR(sa_store_name_key(p, "AB\xff"), "ab\xff");
}

static void store_user_insert_and_lookup(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    if (!db) {
        return;
    }
    CHECK(sa_store_user_insert(db, p, "Alice", "alice@example.ch", "$argon2id$fake", T0) ==
          APR_SUCCESS);
    static const char *const spellings[] = {"Alice", "alice", "ALICE", "aLiCe"};
    for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
        u = NULL;
        CHECK(sa_store_user_by_name(db, p, spellings[i], &u) == APR_SUCCESS);
        if (!u) {
            continue;
        }
        CHECK(u->id > 0);
        CHECK_STR(u->name, "Alice"); /* the spelling of the insert is kept */
        CHECK_STR(u->email, "alice@example.ch");
        CHECK_STR(u->password_hash, "$argon2id$fake");
        CHECK(u->disabled == 0);
        CHECK(u->totp_enabled == 0);
        CHECK_STR(u->totp_secret, "");
        CHECK(u->created == T0);
    }
    CHECK_STR(unit_db_value(db, p, "SELECT name_key FROM users"), "alice");
    CHECK_STR(unit_db_value(db, p, "SELECT password_changed FROM users"), "1700000000");
    u = NULL;
    CHECK(sa_store_user_by_name(db, p, "bob", &u) == APR_NOTFOUND);
    CHECK(u == NULL);
    CHECK(sa_store_user_by_name(db, p, "Alice ", &u) == APR_NOTFOUND);
    /* a NULL e-mail is stored as "" */
    CHECK(sa_store_user_insert(db, p, "bob", NULL, "", T0) == APR_SUCCESS);
    REQUIRE(sa_store_user_by_name(db, p, "bob", &u) == APR_SUCCESS);
    CHECK(u && strcmp(u->email, "") == 0);
}

static void store_user_duplicate_refused(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    if (!db) {
        return;
    }
    CHECK(sa_store_user_insert(db, p, "alice", "", "h1", T0) == APR_SUCCESS);
    db->error = NULL;
    CHECK(sa_store_user_insert(db, p, "alice", "", "h2", T0) == APR_EGENERAL);
    CHECK(db->error != NULL);
    CHECK(sa_store_user_insert(db, p, "Alice", "", "h3", T0) == APR_EGENERAL);
    CHECK(sa_store_user_insert(db, p, "ALICE", "", "h4", T0) == APR_EGENERAL);
    CHECK_STR(count(db, p, "users", "1 = 1"), "1");
    CHECK_STR(unit_db_value(db, p, "SELECT password_hash FROM users"), "h1");
    /* the store still works after a refused insert */
    CHECK(sa_store_user_insert(db, p, "alice2", "", "h5", T0) == APR_SUCCESS);
    CHECK_STR(count(db, p, "users", "1 = 1"), "2");
}

static void store_user_set_password_disabled_email(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL, *again = NULL;
    if (!db || !(u = unit_db_add_user(db, p, "alice", "a@example.ch", "old-hash"))) {
        return;
    }
    CHECK(sa_store_user_set_password(db, p, u->id, "new-hash", T0 + 50) == APR_SUCCESS);
    REQUIRE(sa_store_user_by_name(db, p, "alice", &again) == APR_SUCCESS);
    CHECK(again && strcmp(again->password_hash, "new-hash") == 0);
    CHECK_STR(unit_db_value(db, p, "SELECT password_changed FROM users"), "1700000050");

    CHECK(sa_store_user_set_disabled(db, p, u->id, 1) == APR_SUCCESS);
    REQUIRE(sa_store_user_by_name(db, p, "alice", &again) == APR_SUCCESS);
    CHECK(again && again->disabled == 1);
    CHECK_STR(unit_db_value(db, p, "SELECT disabled FROM users"), "1");
    CHECK(sa_store_user_set_disabled(db, p, u->id, 0) == APR_SUCCESS);
    REQUIRE(sa_store_user_by_name(db, p, "alice", &again) == APR_SUCCESS);
    CHECK(again && again->disabled == 0);

    CHECK(sa_store_user_set_email(db, p, u->id, "new@example.ch") == APR_SUCCESS);
    REQUIRE(sa_store_user_by_name(db, p, "alice", &again) == APR_SUCCESS);
    CHECK(again && strcmp(again->email, "new@example.ch") == 0);

    /* an id that does not exist */
    CHECK(sa_store_user_set_password(db, p, u->id + 100, "x", T0) == APR_NOTFOUND);
    CHECK(sa_store_user_set_disabled(db, p, u->id + 100, 1) == APR_NOTFOUND);
    CHECK(sa_store_user_set_email(db, p, u->id + 100, "x@y.ch") == APR_NOTFOUND);
    CHECK_STR(unit_db_value(db, p, "SELECT password_hash FROM users"), "new-hash");
}

static void store_user_reset_totp(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL, *bob = NULL, *again = NULL;
    if (!db || !(u = unit_db_add_user(db, p, "alice", "", "h")) ||
        !(bob = unit_db_add_user(db, p, "bob", "", "h"))) {
        return;
    }
    CHECK(unit_db_sql(db, "UPDATE users SET totp_secret = 'sealed', totp_enabled = 1, "
                          "totp_last_step = 99") == 0);
    CHECK(unit_db_sql(db, apr_psprintf(p,
                                       "INSERT INTO recovery_codes (user_id, code_hash) VALUES "
                                       "(%" APR_INT64_T_FMT ", 'c1'), (%" APR_INT64_T_FMT
                                       ", 'c2'), (%" APR_INT64_T_FMT ", 'c3')",
                                       u->id, u->id, bob->id)) == 0);
    REQUIRE(sa_store_user_by_name(db, p, "alice", &again) == APR_SUCCESS);
    CHECK(again && again->totp_enabled == 1 && again->totp_last_step == 99);
    CHECK(again && strcmp(again->totp_secret, "sealed") == 0);

    CHECK(sa_store_user_reset_totp(db, p, u->id) == APR_SUCCESS);
    REQUIRE(sa_store_user_by_name(db, p, "alice", &again) == APR_SUCCESS);
    CHECK(again && again->totp_enabled == 0 && again->totp_last_step == 0);
    CHECK(again && strcmp(again->totp_secret, "") == 0);
    CHECK_STR(count(db, p, "recovery_codes", apr_psprintf(p, "user_id = %" APR_INT64_T_FMT, u->id)),
              "0");
    CHECK_STR(count(db, p, "recovery_codes", "1 = 1"), "1"); /* bob's */
    REQUIRE(sa_store_user_by_name(db, p, "bob", &again) == APR_SUCCESS);
    CHECK(again && again->totp_enabled == 1);
    CHECK(sa_store_user_reset_totp(db, p, u->id + 100) == APR_NOTFOUND);
}

static void store_user_delete_cascades(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = NULL, *b = NULL, *gone = NULL;
    if (!db || !(a = unit_db_add_user(db, p, "alice", "", "h")) ||
        !(b = unit_db_add_user(db, p, "bob", "", "h"))) {
        return;
    }
    const apr_int64_t ids[] = {a->id, b->id};
    for (int i = 0; i < 2; i++) {
        const char *id = apr_psprintf(p, "%" APR_INT64_T_FMT, ids[i]);
        sa_session_row s1 = session_row(apr_pstrcat(p, "s1-", id, NULL), ids[i], T0, T0, T0 + 99);
        sa_session_row s2 = session_row(apr_pstrcat(p, "s2-", id, NULL), ids[i], T0, T0, T0 + 99);
        CHECK(sa_store_session_insert(db, p, &s1) == APR_SUCCESS);
        CHECK(sa_store_session_insert(db, p, &s2) == APR_SUCCESS);
        CHECK(sa_store_grant(db, p, ids[i], "seances") == APR_SUCCESS);
        CHECK(sa_store_grant(db, p, ids[i], "wiki") == APR_SUCCESS);
        CHECK(unit_db_sql(db, apr_pstrcat(p,
                                          "INSERT INTO recovery_codes (user_id, code_hash) "
                                          "VALUES (",
                                          id, ", 'c')", NULL)) == 0);
        CHECK(unit_db_sql(db, apr_pstrcat(p,
                                          "INSERT INTO reset_tokens (token_hash, user_id, "
                                          "created, expires) VALUES ('t",
                                          id, "', ", id, ", 1, 2)", NULL)) == 0);
    }
    const char *where_a = apr_psprintf(p, "user_id = %" APR_INT64_T_FMT, a->id);
    const char *where_b = apr_psprintf(p, "user_id = %" APR_INT64_T_FMT, b->id);
    CHECK_STR(count(db, p, "sessions", where_a), "2");

    CHECK(sa_store_user_delete(db, p, a->id) == APR_SUCCESS);
    CHECK(sa_store_user_by_name(db, p, "alice", &gone) == APR_NOTFOUND);
    static const char *const tables[] = {"sessions", "grants", "recovery_codes", "reset_tokens"};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        CHECK_STR(count(db, p, tables[i], where_a), "0");
    }
    CHECK_STR(count(db, p, "sessions", where_b), "2");
    CHECK_STR(count(db, p, "grants", where_b), "2");
    CHECK_STR(count(db, p, "recovery_codes", where_b), "1");
    CHECK_STR(count(db, p, "reset_tokens", where_b), "1");
    CHECK(sa_store_user_by_name(db, p, "bob", &gone) == APR_SUCCESS);
    /* twice: nothing left to delete */
    CHECK(sa_store_user_delete(db, p, a->id) == APR_NOTFOUND);
}

static void store_user_list_sorted(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    apr_array_header_t *users = NULL;
    if (!db) {
        return;
    }
    REQUIRE(sa_store_user_list(db, p, &users) == APR_SUCCESS);
    CHECK(users && users->nelts == 0);
    CHECK(sa_store_user_insert(db, p, "carol", "", "", T0) == APR_SUCCESS);
    CHECK(sa_store_user_insert(db, p, "Bob", "", "", T0) == APR_SUCCESS);
    CHECK(sa_store_user_insert(db, p, "alice", "a@x.ch", "", T0) == APR_SUCCESS);
    CHECK(sa_store_user_list(db, p, &users) == APR_SUCCESS);
    CHECK(users && users->nelts == 3);
    if (users && users->nelts == 3) {
        sa_user **u = (sa_user **)users->elts;
        CHECK_STR(u[0]->name, "alice");
        CHECK_STR(u[0]->email, "a@x.ch");
        CHECK_STR(u[1]->name, "Bob");
        CHECK_STR(u[2]->name, "carol");
    }
}

/* ---- grants ---- */

static void store_grants(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = NULL, *b = NULL;
    apr_array_header_t *apps = NULL;
    if (!db || !(a = unit_db_add_user(db, p, "alice", "", "h")) ||
        !(b = unit_db_add_user(db, p, "bob", "", "h"))) {
        return;
    }
    REQUIRE(sa_store_grants_of(db, p, a->id, &apps) == APR_SUCCESS);
    CHECK(apps && apps->nelts == 0);
    CHECK(sa_store_grant(db, p, a->id, "wiki") == APR_SUCCESS);
    CHECK(sa_store_grant(db, p, a->id, "seances") == APR_SUCCESS);
    CHECK(sa_store_grant(db, p, a->id, "wiki") == APR_SUCCESS); /* again: no error, no copy */
    CHECK(sa_store_grant(db, p, b->id, "other") == APR_SUCCESS);
    CHECK(sa_store_grants_of(db, p, a->id, &apps) == APR_SUCCESS);
    CHECK(apps && apps->nelts == 2);
    if (apps && apps->nelts == 2) {
        CHECK_STR(APR_ARRAY_IDX(apps, 0, const char *), "seances");
        CHECK_STR(APR_ARRAY_IDX(apps, 1, const char *), "wiki");
    }
    CHECK(sa_store_revoke(db, p, a->id, "wiki") == APR_SUCCESS);
    CHECK(sa_store_revoke(db, p, a->id, "wiki") == APR_NOTFOUND);
    CHECK(sa_store_revoke(db, p, a->id, "other") == APR_NOTFOUND); /* bob's app */
    REQUIRE(sa_store_grants_of(db, p, a->id, &apps) == APR_SUCCESS);
    CHECK(apps && apps->nelts == 1 && strcmp(APR_ARRAY_IDX(apps, 0, const char *), "seances") == 0);
    REQUIRE(sa_store_grants_of(db, p, b->id, &apps) == APR_SUCCESS);
    CHECK(apps && apps->nelts == 1 && strcmp(APR_ARRAY_IDX(apps, 0, const char *), "other") == 0);
}

/* ---- sessions ---- */

static void store_session_insert_get(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = NULL;
    sa_session_row *got = NULL;
    if (!db || !(a = unit_db_add_user(db, p, "Alice", "alice@example.ch", "h"))) {
        return;
    }
    sa_session_row row = session_row("hash-1", a->id, T0, T0 + 5, T0 + 3600);
    row.remember = 1;
    row.level = 2;
    CHECK(sa_store_session_insert(db, p, &row) == APR_SUCCESS);
    CHECK(sa_store_session_get(db, p, "hash-1", &got) == APR_SUCCESS);
    CHECK(got != NULL);
    if (got) {
        CHECK_STR(got->id_hash, "hash-1");
        CHECK(got->user_id == a->id);
        CHECK(got->created == T0);
        CHECK(got->last_seen == T0 + 5);
        CHECK(got->expires == T0 + 3600);
        CHECK(got->remember == 1);
        CHECK(got->level == 2);
        CHECK_STR(got->ip, "192.0.2.1");
        CHECK_STR(got->user_agent, "UnitAgent/1.0");
        CHECK_STR(got->user_name, "Alice");
        CHECK_STR(got->user_email, "alice@example.ch");
        CHECK(got->user_disabled == 0);
    }
    CHECK(sa_store_session_get(db, p, "hash-2", &got) == APR_NOTFOUND);
    /* the same id twice is refused */
    CHECK(sa_store_session_insert(db, p, &row) == APR_EGENERAL);
    /* the user's state comes with the session */
    CHECK(sa_store_user_set_disabled(db, p, a->id, 1) == APR_SUCCESS);
    REQUIRE(sa_store_session_get(db, p, "hash-1", &got) == APR_SUCCESS);
    CHECK(got && got->user_disabled == 1);
    /* NULL ip and agent are stored as "" */
    sa_session_row bare = session_row("hash-3", a->id, T0, T0, T0 + 1);
    bare.ip = NULL;
    bare.user_agent = NULL;
    CHECK(sa_store_session_insert(db, p, &bare) == APR_SUCCESS);
    REQUIRE(sa_store_session_get(db, p, "hash-3", &got) == APR_SUCCESS);
    CHECK(got && strcmp(got->ip, "") == 0 && strcmp(got->user_agent, "") == 0);
}

static void store_session_touch_delete(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = NULL;
    sa_session_row *got = NULL;
    if (!db || !(a = unit_db_add_user(db, p, "alice", "", "h"))) {
        return;
    }
    sa_session_row r1 = session_row("h1", a->id, T0, T0, T0 + 3600);
    sa_session_row r2 = session_row("h2", a->id, T0, T0, T0 + 3600);
    CHECK(sa_store_session_insert(db, p, &r1) == APR_SUCCESS);
    CHECK(sa_store_session_insert(db, p, &r2) == APR_SUCCESS);
    CHECK(sa_store_session_touch(db, p, "h1", T0 + 77) == APR_SUCCESS);
    REQUIRE(sa_store_session_get(db, p, "h1", &got) == APR_SUCCESS);
    CHECK(got && got->last_seen == T0 + 77);
    CHECK(got && got->created == T0 && got->expires == T0 + 3600);
    REQUIRE(sa_store_session_get(db, p, "h2", &got) == APR_SUCCESS);
    CHECK(got && got->last_seen == T0);

    CHECK(sa_store_session_delete(db, p, "h1") == APR_SUCCESS);
    CHECK(sa_store_session_get(db, p, "h1", &got) == APR_NOTFOUND);
    CHECK(sa_store_session_get(db, p, "h2", &got) == APR_SUCCESS);
    CHECK(sa_store_session_delete(db, p, "h1") == APR_SUCCESS); /* already gone: fine */
}

static void store_sessions_of_and_delete_user(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = NULL, *b = NULL;
    apr_array_header_t *rows = NULL;
    int n = -1;
    if (!db || !(a = unit_db_add_user(db, p, "alice", "", "h")) ||
        !(b = unit_db_add_user(db, p, "bob", "", "h"))) {
        return;
    }
    sa_session_row r[] = {session_row("old", a->id, T0, T0 + 10, T0 + 999),
                          session_row("new", a->id, T0, T0 + 30, T0 + 999),
                          session_row("mid", a->id, T0, T0 + 20, T0 + 999),
                          session_row("bob", b->id, T0, T0 + 40, T0 + 999)};
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        CHECK(sa_store_session_insert(db, p, &r[i]) == APR_SUCCESS);
    }
    CHECK(sa_store_sessions_of(db, p, a->id, &rows) == APR_SUCCESS);
    CHECK(rows && rows->nelts == 3);
    if (rows && rows->nelts == 3) {
        sa_session_row **s = (sa_session_row **)rows->elts;
        CHECK_STR(s[0]->id_hash, "new"); /* most recently seen first */
        CHECK_STR(s[1]->id_hash, "mid");
        CHECK_STR(s[2]->id_hash, "old");
        CHECK(s[0]->last_seen == T0 + 30 && s[0]->user_id == a->id);
    }
    CHECK(sa_store_sessions_delete_user(db, p, a->id, &n) == APR_SUCCESS);
    CHECK(n == 3);
    REQUIRE(sa_store_sessions_of(db, p, a->id, &rows) == APR_SUCCESS);
    CHECK(rows && rows->nelts == 0);
    REQUIRE(sa_store_sessions_of(db, p, b->id, &rows) == APR_SUCCESS);
    CHECK(rows && rows->nelts == 1);
    CHECK(sa_store_sessions_delete_user(db, p, a->id, &n) == APR_SUCCESS);
    CHECK(n == 0);
    CHECK(sa_store_sessions_delete_user(db, p, b->id, NULL) == APR_SUCCESS);
    CHECK_STR(count(db, p, "sessions", "1 = 1"), "0");
}

static void store_sessions_purge(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = NULL;
    sa_session_row *got = NULL;
    if (!db || !(a = unit_db_add_user(db, p, "alice", "", "h"))) {
        return;
    }
    sa_session_row r[] = {session_row("ended", a->id, T0, T0, T0 + 99),
                          session_row("ends-now", a->id, T0, T0, T0 + 100),
                          session_row("later", a->id, T0, T0, T0 + 101)};
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        CHECK(sa_store_session_insert(db, p, &r[i]) == APR_SUCCESS);
    }
    int removed = -1;
    CHECK(sa_store_sessions_purge(db, p, T0 + 100, 10, &removed) == APR_SUCCESS);
    CHECK(removed == 1);
    CHECK(sa_store_session_get(db, p, "ended", &got) == APR_NOTFOUND);
    CHECK(sa_store_session_get(db, p, "ends-now", &got) == APR_SUCCESS);
    CHECK(sa_store_session_get(db, p, "later", &got) == APR_SUCCESS);
    /* at most "limit" rows a call */
    CHECK(sa_store_sessions_purge(db, p, T0 + 1000, 1, &removed) == APR_SUCCESS);
    CHECK(removed == 1);
    CHECK_STR(count(db, p, "sessions", "1 = 1"), "1");
    CHECK(sa_store_sessions_purge(db, p, T0 + 1000, 10, &removed) == APR_SUCCESS);
    CHECK(removed == 1);
    CHECK_STR(count(db, p, "sessions", "1 = 1"), "0");
}

/* ---- login history ---- */

static void store_events_add_and_of(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *a = NULL, *b = NULL;
    apr_array_header_t *ev = NULL;
    if (!db || !(a = unit_db_add_user(db, p, "alice", "", "h")) ||
        !(b = unit_db_add_user(db, p, "bob", "", "h"))) {
        return;
    }
    static const char *const results[] = {"bad_password", "ok", "bad_code", "ok", "throttled"};
    for (int i = 0; i < 5; i++) {
        sa_event e = {.time = T0 + i * 10,
                      .username = "alice",
                      .ip = apr_psprintf(p, "192.0.2.%d", i),
                      .user_agent = "UA",
                      .result = results[i],
                      .factor = i == 2 ? "totp" : NULL};
        CHECK(sa_store_event_add(db, p, a->id, &e) == APR_SUCCESS);
    }
    /* same second as the newest: the later insert comes first */
    sa_event tie = {.time = T0 + 40, .username = "Alice", .result = "disabled"};
    CHECK(sa_store_event_add(db, p, a->id, &tie) == APR_SUCCESS);
    sa_event other = {.time = T0 + 99, .username = "bob", .result = "ok"};
    CHECK(sa_store_event_add(db, p, b->id, &other) == APR_SUCCESS);
    sa_event anon = {
        .time = T0 + 98, .username = "ghost", .ip = "198.51.100.1", .result = "unknown_user"};
    CHECK(sa_store_event_add(db, p, 0, &anon) == APR_SUCCESS);
    CHECK_STR(count(db, p, "login_events",
                    "user_id IS NULL AND username = 'ghost' AND "
                    "result = 'unknown_user'"),
              "1");

    CHECK(sa_store_events_of(db, p, a->id, 3, &ev) == APR_SUCCESS);
    CHECK(ev && ev->nelts == 3);
    if (ev && ev->nelts == 3) {
        sa_event *e = (sa_event *)ev->elts;
        CHECK(e[0].time == T0 + 40);
        CHECK_STR(e[0].result, "disabled");
        CHECK_STR(e[0].username, "Alice");
        CHECK_STR(e[0].ip, "");
        CHECK_STR(e[0].factor, "password"); /* the default */
        CHECK(e[1].time == T0 + 40);
        CHECK_STR(e[1].result, "throttled");
        CHECK_STR(e[1].ip, "192.0.2.4");
        CHECK_STR(e[1].user_agent, "UA");
        CHECK(e[2].time == T0 + 30);
        CHECK_STR(e[2].result, "ok");
    }
    CHECK(sa_store_events_of(db, p, a->id, 100, &ev) == APR_SUCCESS);
    CHECK(ev && ev->nelts == 6);
    if (ev && ev->nelts == 6) {
        sa_event *e = (sa_event *)ev->elts;
        CHECK_STR(e[3].result, "bad_code");
        CHECK_STR(e[3].factor, "totp");
        CHECK(e[5].time == T0);
        CHECK_STR(e[5].result, "bad_password");
    }
    REQUIRE(sa_store_events_of(db, p, b->id, 100, &ev) == APR_SUCCESS);
    CHECK(ev && ev->nelts == 1);
    REQUIRE(sa_store_events_of(db, p, a->id + b->id + 100, 100, &ev) == APR_SUCCESS);
    CHECK(ev && ev->nelts == 0);
}

/* ---- throttle ---- */

static void store_throttle_counts_in_window(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_throttle_row row = {0, 0, 0};
    if (!db) {
        return;
    }
    CHECK(sa_store_throttle_get(db, p, "user:alice", &row) == APR_NOTFOUND);
    CHECK(sa_store_throttle_fail(db, p, "user:alice", T0, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "user:alice", &row) == APR_SUCCESS);
    CHECK(row.failures == 1 && row.window_start == T0 && row.banned_until == 0);
    CHECK(sa_store_throttle_fail(db, p, "user:alice", T0 + 10, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_fail(db, p, "user:alice", T0 + 599, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "user:alice", &row) == APR_SUCCESS);
    CHECK(row.failures == 3);
    CHECK(row.window_start == T0); /* the window does not slide */
    CHECK(row.banned_until == 0);
    /* keys are independent */
    CHECK(sa_store_throttle_fail(db, p, "ip:192.0.2.1", T0, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "ip:192.0.2.1", &row) == APR_SUCCESS);
    CHECK(row.failures == 1);
    CHECK(sa_store_throttle_get(db, p, "user:alice", &row) == APR_SUCCESS);
    CHECK(row.failures == 3);
}

/* Issue 13, finding 2: each reservation gets its own count back from one statement. */
static void store_throttle_reserve_counts(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_throttle_row row = {0, 0, 0};
    if (!db) {
        return;
    }
    for (int i = 1; i <= 7; i++) {
        CHECK(sa_store_throttle_reserve(db, p, "user:race", T0 + i, 600, &row) == APR_SUCCESS);
        CHECK(row.failures == i && row.banned_until == 0);
    }
    CHECK(sa_store_throttle_release(db, p, "user:race") == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "user:race", &row) == APR_SUCCESS);
    CHECK(row.failures == 6 && row.window_start == T0 + 1);
    /* the ban at the limit; a banned key keeps its counter */
    CHECK(sa_store_throttle_ban(db, p, "user:race", T0 + 8, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_reserve(db, p, "user:race", T0 + 9, 600, &row) == APR_SUCCESS);
    CHECK(row.failures == 0 && row.banned_until == T0 + 908);
    /* after the ban and the window, counting starts again */
    CHECK(sa_store_throttle_reserve(db, p, "user:race", T0 + 2000, 600, &row) == APR_SUCCESS);
    CHECK(row.failures == 1 && row.banned_until == T0 + 908);
    /* releasing never goes below zero */
    CHECK(sa_store_throttle_release(db, p, "user:race") == APR_SUCCESS);
    CHECK(sa_store_throttle_release(db, p, "user:race") == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "user:race", &row) == APR_SUCCESS);
    CHECK(row.failures == 0);
}

static void store_throttle_window_resets(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_throttle_row row = {0, 0, 0};
    if (!db) {
        return;
    }
    CHECK(sa_store_throttle_fail(db, p, "k", T0, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_fail(db, p, "k", T0 + 1, 600, 5, 900) == APR_SUCCESS);
    /* the window [T0, T0 + 600) is over: counting starts again */
    CHECK(sa_store_throttle_fail(db, p, "k", T0 + 600, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_SUCCESS);
    CHECK(row.failures == 1);
    CHECK(row.window_start == T0 + 600);
    CHECK(sa_store_throttle_fail(db, p, "k", T0 + 700, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_SUCCESS);
    CHECK(row.failures == 2 && row.window_start == T0 + 600);
    CHECK(sa_store_throttle_fail(db, p, "k", T0 + 5000, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_SUCCESS);
    CHECK(row.failures == 1 && row.window_start == T0 + 5000 && row.banned_until == 0);
}

static void store_throttle_ban_at_limit(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_throttle_row row = {0, 0, 0};
    if (!db) {
        return;
    }
    CHECK(sa_store_throttle_fail(db, p, "k", T0, 600, 3, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_fail(db, p, "k", T0 + 1, 600, 3, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_SUCCESS);
    CHECK(row.failures == 2 && row.banned_until == 0);
    /* the third failure reaches the limit: banned until now + ban, the count starts over */
    CHECK(sa_store_throttle_fail(db, p, "k", T0 + 2, 600, 3, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_SUCCESS);
    CHECK(row.banned_until == T0 + 2 + 900);
    CHECK(row.failures == 0);
    CHECK(row.window_start == T0 + 2);
    /* a failure during the ban counts, but does not extend the ban below the limit */
    CHECK(sa_store_throttle_fail(db, p, "k", T0 + 3, 600, 3, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_SUCCESS);
    CHECK(row.failures == 1 && row.banned_until == T0 + 902);
    /* limit 1: every failure bans */
    CHECK(sa_store_throttle_fail(db, p, "one", T0, 600, 1, 60) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "one", &row) == APR_SUCCESS);
    CHECK(row.banned_until == T0 + 60 && row.failures == 0);
}

static void store_throttle_clear(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_throttle_row row = {0, 0, 0};
    if (!db) {
        return;
    }
    CHECK(sa_store_throttle_fail(db, p, "user:alice", T0, 600, 1, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_fail(db, p, "user:bob", T0, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_clear(db, p, "user:alice") == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "user:alice", &row) == APR_NOTFOUND);
    CHECK(sa_store_throttle_get(db, p, "user:bob", &row) == APR_SUCCESS);
    CHECK(sa_store_throttle_clear(db, p, "user:nobody") == APR_SUCCESS);
    /* after a clear, counting starts from one */
    CHECK(sa_store_throttle_fail(db, p, "user:alice", T0 + 1, 600, 5, 900) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "user:alice", &row) == APR_SUCCESS);
    CHECK(row.failures == 1 && row.banned_until == 0 && row.window_start == T0 + 1);
}

static void store_db_errors(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    apr_array_header_t *rows = NULL;
    if (!db) {
        return;
    }
    CHECK(unit_db_drop_table(db, p, "users") == 0);
    db->error = NULL;
    CHECK(sa_store_user_by_name(db, p, "alice", &u) == APR_EGENERAL);
    CHECK(db->error != NULL && strstr(db->error, "sa_user_by_key") != NULL);
    CHECK(sa_store_user_insert(db, p, "alice", "", "h", T0) == APR_EGENERAL);
    CHECK(sa_store_user_list(db, p, &rows) == APR_EGENERAL);
    /* a statement that was never prepared */
    sa_db empty = {.driver = db->driver, .handle = db->handle};
    CHECK(sa_store_throttle_clear(&empty, p, "k") == APR_EGENERAL);
    CHECK(empty.error != NULL);
}

static void count_failure(sa_db *db, void *ctx)
{
    (void)db;
    (*(int *)ctx)++;
}

/* A connection that prepares on first use (as the module's do): each statement once, the SQL
 * found by its label, and a failure to prepare reported like any other. */
static void store_lazy_preparation(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    int failures = 0;
    if (!db) {
        return;
    }
    sa_user *alice = unit_db_add_user(db, p, "alice", "", "");
    REQUIRE(alice != NULL);
    /* pgsql: the statements unit_db_open prepared are in the server's session, under the same
     * labels: the lazy connection starts from none */
    if (sa_db_is_pgsql(db)) {
        CHECK(unit_db_sql(db, "DEALLOCATE ALL") == 0);
    }
    sa_db lazy = {.driver = db->driver,
                  .handle = db->handle,
                  .prepared = apr_hash_make(p),
                  .lazy_pool = p,
                  .lazy_sets = sa_store_statements(),
                  .on_failure = count_failure,
                  .on_failure_ctx = &failures};
    CHECK(sa_store_user_by_name(&lazy, p, "nobody", &u) == APR_NOTFOUND);
    CHECK(apr_hash_count(lazy.prepared) == 1);
    CHECK(sa_store_user_by_name(&lazy, p, "nobody", &u) == APR_NOTFOUND);
    CHECK(apr_hash_count(lazy.prepared) == 1);
    CHECK(sa_store_grant(&lazy, p, alice->id, "app") == APR_SUCCESS);
    CHECK(apr_hash_count(lazy.prepared) == 2);
    CHECK(failures == 0);
    /* a table that is gone: the statement cannot be prepared */
    CHECK(unit_db_drop_table(db, p, "throttle") == 0);
    CHECK(sa_store_throttle_clear(&lazy, p, "k") == APR_EGENERAL);
    CHECK(failures == 1);
    CHECK(lazy.failed_code != 0);
    CHECK(lazy.error && strstr(lazy.error, "sa_throttle_clear") && strstr(lazy.error, "throttle"));
    CHECK(apr_hash_count(lazy.prepared) == 2);
}

/* The connection's owner heals it (here: the dropped table made again, the statements
 * prepared again), as web/db.c does for a reset PostgreSQL connection or a replaced sqlite
 * file. */
typedef struct {
    int calls;
    int can_heal;
    apr_pool_t *pool;
} healer;

static int heal_by_recreating_throttle(sa_db *db, void *ctx)
{
    healer *h = ctx;
    h->calls++;
    if (!h->can_heal) {
        return 0;
    }
    const char *type = sa_db_is_pgsql(db) ? "BIGINT" : "INTEGER";
    if (unit_db_sql(db, apr_pstrcat(h->pool,
                                    "CREATE TABLE throttle (key TEXT PRIMARY KEY, "
                                    "failures ",
                                    type, " NOT NULL DEFAULT 0, window_start ", type,
                                    " NOT NULL, banned_until ", type, " NOT NULL DEFAULT 0)",
                                    NULL)) != 0) {
        return 0;
    }
    if (sa_db_is_pgsql(db)) {
        unit_db_sql(db, "DEALLOCATE ALL");
    }
    return sa_db_prepare_all(db, h->pool, sa_store_statements()) == APR_SUCCESS;
}

/* A statement that fails outside a transaction runs once more after the owner healed the
 * connection; inside a transaction it does not (the caller retries the whole transaction);
 * and an owner that cannot heal leaves the failure as it was, after one call. */
static void store_heal_retries_once(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_throttle_row row = {0, 0, 0};
    healer h = {0, 1, p};
    if (!db) {
        return;
    }
    db->heal = heal_by_recreating_throttle;
    db->heal_ctx = &h;
    CHECK(unit_db_drop_table(db, p, "throttle") == 0);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_NOTFOUND);
    CHECK(h.calls == 1);
    CHECK(sa_store_throttle_clear(db, p, "k") == APR_SUCCESS);
    CHECK(h.calls == 1);

    CHECK(unit_db_drop_table(db, p, "throttle") == 0);
    CHECK(sa_db_begin(db, p) == APR_SUCCESS);
    CHECK(sa_store_throttle_get(db, p, "k", &row) == APR_EGENERAL);
    CHECK(h.calls == 1);
    sa_db_rollback(db, p);
    CHECK(db->in_transaction == 0);

    h.can_heal = 0; /* the table is still gone */
    CHECK(sa_store_throttle_clear(db, p, "k") == APR_EGENERAL);
    CHECK(h.calls == 2);
}

const unit_test store_tests[] = {
    {"store_heal_retries_once", store_heal_retries_once},
    {"store_lazy_preparation", store_lazy_preparation},
    {"store_schema_version", store_schema_version},
    {"store_name_key", store_name_key},
    {"store_user_insert_and_lookup", store_user_insert_and_lookup},
    {"store_user_duplicate_refused", store_user_duplicate_refused},
    {"store_user_set_password_disabled_email", store_user_set_password_disabled_email},
    {"store_user_reset_totp", store_user_reset_totp},
    {"store_user_delete_cascades", store_user_delete_cascades},
    {"store_user_list_sorted", store_user_list_sorted},
    {"store_grants", store_grants},
    {"store_session_insert_get", store_session_insert_get},
    {"store_session_touch_delete", store_session_touch_delete},
    {"store_sessions_of_and_delete_user", store_sessions_of_and_delete_user},
    {"store_sessions_purge", store_sessions_purge},
    {"store_events_add_and_of", store_events_add_and_of},
    {"store_throttle_counts_in_window", store_throttle_counts_in_window},
    {"store_throttle_window_resets", store_throttle_window_resets},
    {"store_throttle_reserve_counts", store_throttle_reserve_counts},
    {"store_throttle_ban_at_limit", store_throttle_ban_at_limit},
    {"store_throttle_clear", store_throttle_clear},
    {"store_db_errors", store_db_errors},
    {NULL, NULL}};
