/* Retention rounds on a real database: what is old goes, in batches; what counts stays. */
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "core/retention.h"

#define NOW 1800000000
#define DAY 86400

static const char *count(sa_db *db, apr_pool_t *p, const char *table)
{
    return unit_db_value(db, p, apr_psprintf(p, "SELECT count(*) FROM %s", table));
}

static void seed(sa_db *db, apr_pool_t *p, apr_int64_t uid)
{
    for (int i = 0; i < 5; i++) {
        /* five events older than the kept year, two within it */
        CHECK(unit_db_sql(db, apr_psprintf(p,
                                           "INSERT INTO login_events (time, user_id, username, "
                                           "result) VALUES (%d, %" APR_INT64_T_FMT ", 'a', 'ok')",
                                           NOW - 400 * DAY - i, uid)) == 0);
    }
    CHECK(unit_db_sql(db, apr_psprintf(p,
                                       "INSERT INTO login_events (time, user_id, username, "
                                       "result) VALUES (%d, NULL, 'x', 'unknown_user'), (%d, "
                                       "NULL, 'x', 'unknown_user')",
                                       NOW - 300 * DAY, NOW - 10)) == 0);
    CHECK(unit_db_sql(db, apr_psprintf(p,
                                       "INSERT INTO sessions (id_hash, user_id, created, "
                                       "last_seen, expires) VALUES ('old', %" APR_INT64_T_FMT
                                       ", 1, 1, %d), ('live', %" APR_INT64_T_FMT ", 1, 1, %d)",
                                       uid, NOW - 1, uid, NOW + 100)) == 0);
    /* a spent counter, one still in its window, one whose window is over but still banned */
    CHECK(unit_db_sql(db, apr_psprintf(p,
                                       "INSERT INTO throttle (key, failures, window_start, "
                                       "banned_until) VALUES ('ip:spent', 2, %d, 0), "
                                       "('ip:counting', 2, %d, 0), ('user:banned', 0, %d, %d)",
                                       NOW - 3600, NOW - 60, NOW - 3600, NOW + 600)) == 0);
    /* a notice that no server with mail took in two days, and one just left */
    CHECK(
        unit_db_sql(db, apr_psprintf(p,
                                     "INSERT INTO notice_outbox (user_id, kind, created) VALUES "
                                     "(%" APR_INT64_T_FMT ", 'totp_reset', %d), (%" APR_INT64_T_FMT
                                     ", 'password_changed', %d)",
                                     uid, NOW - 3 * DAY, uid, NOW - 60)) == 0);
}

static void retention_removes_in_rounds(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    if (!db || !(u = unit_db_add_user(db, p, "anne", "", "h"))) {
        return;
    }
    seed(db, p, u->id);
    sa_retention r = {
        .now = NOW, .keep = 365 * DAY, .window = 900, .notice_keep = 2 * DAY, .batch = 3};
    sa_retention_removed got;
    CHECK(sa_retention_round(db, p, &r, &got) == APR_SUCCESS);
    CHECK(got.events == 3);
    CHECK(got.sessions == 1);
    CHECK(got.throttle == 1);
    CHECK(got.notices == 1);
    CHECK(sa_retention_round(db, p, &r, &got) == APR_SUCCESS);
    CHECK(got.events == 2);
    CHECK(got.sessions == 0);
    CHECK(sa_retention_round(db, p, &r, &got) == APR_SUCCESS);
    CHECK(got.events == 0 && got.sessions == 0 && got.throttle == 0 && got.notices == 0);
    CHECK_STR(unit_db_value(db, p, "SELECT kind FROM notice_outbox"), "password_changed");
    CHECK_STR(count(db, p, "login_events"), "2");
    CHECK_STR(unit_db_value(db, p, "SELECT id_hash FROM sessions"), "live");
    /* the two keys left, in SQL that sqlite3 and PostgreSQL read alike */
    CHECK_STR(
        unit_db_value(db, p, "SELECT count(*) || ' ' || min(key) || ' ' || max(key) FROM throttle"),
        "2 ip:counting user:banned");
}

const unit_test retention_tests[] = {{"retention_removes_in_rounds", retention_removes_in_rounds},
                                     {NULL, NULL}};
