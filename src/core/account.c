/* The password change of the portal. The cheap checks come first, so that a form the user
 * must fix anyway neither costs a hash nor counts as a wrong password; the new hash is made
 * before the transaction, so the write lock is held for three short statements only. */
#include <string.h>

#include <apr_strings.h>

#include "core/account.h"
#include "core/session.h"

static const char *form_problem(apr_pool_t *p, const sa_password_change *c, const sa_user *u)
{
    if (!c->current || !*c->current || !c->new_password || !*c->new_password || !c->confirm) {
        return "pw_fields_missing";
    }
    if (strlen(c->current) > SA_PASSWORD_MAX_BYTES ||
        strlen(c->new_password) > SA_PASSWORD_MAX_BYTES) {
        return "pw_too_long";
    }
    return sa_account_new_password_problem(p, c->new_password, c->confirm, c->min_length, u,
                                           c->blocklist);
}

const char *sa_account_new_password_problem(apr_pool_t *p, const char *new_password,
                                            const char *confirm, int min_length, const sa_user *u,
                                            apr_hash_t *blocklist)
{
    if (!new_password || !*new_password || !confirm) {
        return "pw_fields_missing";
    }
    if (strlen(new_password) > SA_PASSWORD_MAX_BYTES) {
        return "pw_too_long";
    }
    if (strcmp(new_password, confirm) != 0) {
        return "pw_mismatch";
    }
    return sa_password_policy(p, new_password, min_length, u->name, u->email, blocklist);
}

static sa_change_result check_current(sa_db *db, apr_pool_t *p, const sa_password_change *c,
                                      const sa_user *u, const char **key)
{
    const char *detail = NULL;
    sa_login_attempt a = {.username = u->name,
                          .password = c->current,
                          .ip = c->ip,
                          .user_agent = c->user_agent,
                          .now = c->now,
                          .lockout = c->lockout,
                          .argon2 = c->argon2};
    switch (sa_login_recheck(db, p, &a, u, &detail)) {
    case SA_LOGIN_OK:
        return SA_CHANGE_DONE;
    case SA_LOGIN_THROTTLED:
        *key = "pw_throttled";
        return SA_CHANGE_REFUSED;
    case SA_LOGIN_FAILED:
        *key = "pw_current_wrong";
        return SA_CHANGE_REFUSED;
    default:
        return SA_CHANGE_DB_ERROR;
    }
}

static apr_status_t store_change(sa_db *db, apr_pool_t *p, const sa_password_change *c,
                                 const sa_user *u, const char *hash, apr_array_header_t **ended)
{
    apr_int64_t now_s = apr_time_sec(c->now);
    sa_event ev = {.time = now_s,
                   .username = u->name,
                   .ip = c->ip,
                   .user_agent = c->user_agent,
                   .result = "password_changed",
                   .factor = "password"};
    apr_status_t rv = sa_db_begin(db, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if ((rv = sa_store_user_set_password(db, p, u->id, hash, now_s)) != APR_SUCCESS ||
        (rv = sa_session_end_others(db, p, u->id, c->keep_session, ended)) != APR_SUCCESS ||
        (rv = sa_store_event_add(db, p, u->id, &ev)) != APR_SUCCESS) {
        sa_db_rollback(db, p);
        return rv;
    }
    return sa_db_commit(db, p);
}

sa_change_result sa_account_change_password(sa_db *db, apr_pool_t *p, const sa_password_change *c,
                                            const char **key, apr_array_header_t **ended)
{
    sa_user *u = NULL;
    const char *hash = NULL;
    *ended = apr_array_make(p, 1, sizeof(const char *));
    *key = NULL;
    apr_status_t rv = sa_store_user_by_name(db, p, c->username, &u);
    if (rv == APR_NOTFOUND || (rv == APR_SUCCESS && u->id != c->user_id)) {
        /* deleted (or deleted and made again) since the session was checked */
        *key = "pw_account_gone";
        return SA_CHANGE_REFUSED;
    }
    if (rv != APR_SUCCESS) {
        return SA_CHANGE_DB_ERROR;
    }
    if ((*key = form_problem(p, c, u)) != NULL) {
        return SA_CHANGE_REFUSED;
    }
    sa_change_result cur = check_current(db, p, c, u, key);
    if (cur != SA_CHANGE_DONE) {
        return cur;
    }
    if (sa_password_hash(p, c->new_password, c->argon2, &hash) != APR_SUCCESS ||
        store_change(db, p, c, u, hash, ended) != APR_SUCCESS) {
        return SA_CHANGE_DB_ERROR;
    }
    *key = "pw_changed";
    return SA_CHANGE_DONE;
}
