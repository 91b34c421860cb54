/* The notice outbox on a real database (sqlite3, and PostgreSQL in unit-pgsql): rows come out
 * oldest first, each can be taken once, old ones go in batches, and a deleted account takes
 * its rows with it. */
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "store/outbox.h"
#include "store/users.h"

#define NOW 1800000000

static const char *outbox_count(sa_db *db, apr_pool_t *p)
{
    return unit_db_value(db, p, "SELECT count(*) FROM notice_outbox");
}

static void outbox_rows_come_out_oldest_first(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    apr_array_header_t *rows = NULL;
    if (!db || !(u = unit_db_add_user(db, p, "olga", "olga@example.ch", "h"))) {
        return;
    }
    CHECK(sa_store_outbox_add(db, p, u->id, "password_changed", NOW - 10) == APR_SUCCESS);
    CHECK(sa_store_outbox_add(db, p, u->id, "totp_reset", NOW) == APR_SUCCESS);
    REQUIRE(sa_store_outbox_due(db, p, 20, &rows) == APR_SUCCESS);
    REQUIRE(rows->nelts == 2);
    const sa_outbox_row *first = &APR_ARRAY_IDX(rows, 0, sa_outbox_row);
    const sa_outbox_row *second = &APR_ARRAY_IDX(rows, 1, sa_outbox_row);
    CHECK_STR(first->kind, "password_changed");
    CHECK(first->user_id == u->id);
    CHECK(first->created == NOW - 10);
    CHECK_STR(second->kind, "totp_reset");
    CHECK(first->id < second->id);
    /* the limit holds */
    REQUIRE(sa_store_outbox_due(db, p, 1, &rows) == APR_SUCCESS);
    CHECK(rows->nelts == 1);
}

static void outbox_row_is_taken_once(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    apr_array_header_t *rows = NULL;
    if (!db || !(u = unit_db_add_user(db, p, "theo", "theo@example.ch", "h"))) {
        return;
    }
    CHECK(sa_store_outbox_add(db, p, u->id, "totp_reset", NOW) == APR_SUCCESS);
    REQUIRE(sa_store_outbox_due(db, p, 20, &rows) == APR_SUCCESS && rows->nelts == 1);
    apr_int64_t id = APR_ARRAY_IDX(rows, 0, sa_outbox_row).id;
    /* two servers read the same row; only the first to take it mails it */
    CHECK(sa_store_outbox_take(db, p, id) == APR_SUCCESS);
    CHECK(sa_store_outbox_take(db, p, id) == APR_NOTFOUND);
    CHECK_STR(outbox_count(db, p), "0");
}

static void outbox_purge_removes_old_rows_in_batches(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    int removed = -1;
    if (!db || !(u = unit_db_add_user(db, p, "pia", "pia@example.ch", "h"))) {
        return;
    }
    for (int i = 0; i < 3; i++) {
        CHECK(sa_store_outbox_add(db, p, u->id, "password_changed", NOW - 1000 - i) == APR_SUCCESS);
    }
    CHECK(sa_store_outbox_add(db, p, u->id, "totp_reset", NOW) == APR_SUCCESS);
    CHECK(sa_store_outbox_purge(db, p, NOW - 500, 2, &removed) == APR_SUCCESS);
    CHECK(removed == 2);
    CHECK(sa_store_outbox_purge(db, p, NOW - 500, 2, &removed) == APR_SUCCESS);
    CHECK(removed == 1);
    CHECK(sa_store_outbox_purge(db, p, NOW - 500, 2, &removed) == APR_SUCCESS);
    CHECK(removed == 0);
    CHECK_STR(unit_db_value(db, p, "SELECT kind FROM notice_outbox"), "totp_reset");
}

static void outbox_rows_go_with_their_account(apr_pool_t *p)
{
    sa_db *db = unit_db_open(p);
    sa_user *u = NULL;
    if (!db || !(u = unit_db_add_user(db, p, "ugo", "ugo@example.ch", "h"))) {
        return;
    }
    CHECK(sa_store_outbox_add(db, p, u->id, "totp_reset", NOW) == APR_SUCCESS);
    CHECK(sa_store_user_delete(db, p, u->id) == APR_SUCCESS);
    CHECK_STR(outbox_count(db, p), "0");
}

const unit_test outbox_tests[] = {
    {"outbox_rows_come_out_oldest_first", outbox_rows_come_out_oldest_first},
    {"outbox_row_is_taken_once", outbox_row_is_taken_once},
    {"outbox_purge_removes_old_rows_in_batches", outbox_purge_removes_old_rows_in_batches},
    {"outbox_rows_go_with_their_account", outbox_rows_go_with_their_account},
    {NULL, NULL}};
