/* The password step of a login. Every failure looks the same from outside; only the history
 * and the error log tell an administrator which failure it was. */
#include <string.h>
#include <apr_strings.h>

#include "core/login.h"

const char *sa_login_account_key(apr_pool_t *p, const char *username)
{
    return apr_pstrcat(p, "user:", sa_store_name_key(p, username), NULL);
}

const char *sa_login_address_key(apr_pool_t *p, const char *ip)
{
    return apr_pstrcat(p, "ip:", ip ? ip : "", NULL);
}

static apr_status_t record(sa_db *db, apr_pool_t *p, const sa_login_attempt *a, apr_int64_t user_id,
                           const char *result)
{
    sa_event ev = {.time = apr_time_sec(a->now),
                   .username = a->username,
                   .ip = a->ip,
                   .user_agent = a->user_agent,
                   .result = result,
                   .factor = "password"};
    return sa_store_event_add(db, p, user_id, &ev);
}

/* 1 banned, 0 free, -1 database error */
static int is_banned(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now_s)
{
    sa_throttle_row row;
    apr_status_t rv = sa_store_throttle_get(db, p, key, &row);
    if (rv == APR_NOTFOUND) {
        return 0;
    }
    if (rv != APR_SUCCESS) {
        return -1;
    }
    return row.banned_until > now_s;
}

static apr_status_t count_failure(sa_db *db, apr_pool_t *p, const sa_login_attempt *a)
{
    apr_int64_t now_s = apr_time_sec(a->now);
    const sa_lockout *l = a->lockout;
    apr_status_t rv = sa_store_throttle_fail(db, p, sa_login_account_key(p, a->username), now_s,
                                             l->window, l->account_limit, l->ban);
    if (rv == APR_SUCCESS) {
        rv = sa_store_throttle_fail(db, p, sa_login_address_key(p, a->ip), now_s, l->window,
                                    l->address_limit, l->ban);
    }
    return rv;
}

static sa_login_result fail(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                            apr_int64_t user_id, const char *why, const char **detail)
{
    *detail = why;
    if (count_failure(db, p, a) != APR_SUCCESS || record(db, p, a, user_id, why) != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    return SA_LOGIN_FAILED;
}

static sa_login_result check_throttle(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                      const char **detail)
{
    apr_int64_t now_s = apr_time_sec(a->now);
    int account = is_banned(db, p, sa_login_account_key(p, a->username), now_s);
    int address = account ? account : is_banned(db, p, sa_login_address_key(p, a->ip), now_s);
    if (account < 0 || address < 0) {
        return SA_LOGIN_DB_ERROR;
    }
    if (account || address) {
        *detail = account ? "throttled_account" : "throttled_address";
        return record(db, p, a, 0, "throttled") == APR_SUCCESS ? SA_LOGIN_THROTTLED
                                                               : SA_LOGIN_DB_ERROR;
    }
    return SA_LOGIN_OK;
}

/* A legacy or weaker hash is replaced now that we hold the right password; a failure here
 * must not cost the user the login, the next login tries again. */
static void upgrade_hash(sa_db *db, apr_pool_t *p, const sa_login_attempt *a, sa_user *user)
{
    const char *hash;
    if (!sa_password_needs_rehash(user->password_hash, a->argon2)) {
        return;
    }
    if (sa_password_hash(p, a->password, a->argon2, &hash) == APR_SUCCESS) {
        if (sa_store_user_set_password(db, p, user->id, hash, apr_time_sec(a->now)) ==
            APR_SUCCESS) {
            user->password_hash = hash;
        }
    }
}

sa_login_result sa_login_password(sa_db *db, apr_pool_t *p, const sa_login_attempt *a,
                                  sa_user **user, const char **detail)
{
    sa_user *u = NULL;
    *detail = "ok";
    sa_login_result tr = check_throttle(db, p, a, detail);
    if (tr != SA_LOGIN_OK) {
        return tr;
    }
    apr_status_t rv = sa_store_user_by_name(db, p, a->username, &u);
    if (rv == APR_NOTFOUND) {
        sa_password_burn(p, a->password, a->argon2);
        return fail(db, p, a, 0, "unknown_user", detail);
    }
    if (rv != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    sa_pw_result pw = sa_password_verify(p, a->password, u->password_hash);
    if (pw == SA_PW_ERROR) {
        sa_password_burn(p, a->password, a->argon2); /* an unusable hash costs the same */
    }
    if (u->disabled) {
        return fail(db, p, a, u->id, "disabled", detail);
    }
    if (pw != SA_PW_MATCH) {
        return fail(db, p, a, u->id, pw == SA_PW_ERROR ? "bad_hash" : "bad_password", detail);
    }
    if (sa_store_throttle_clear(db, p, sa_login_account_key(p, a->username)) != APR_SUCCESS ||
        record(db, p, a, u->id, "ok") != APR_SUCCESS) {
        return SA_LOGIN_DB_ERROR;
    }
    upgrade_hash(db, p, a, u);
    *user = u;
    return SA_LOGIN_OK;
}
