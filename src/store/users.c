/* Accounts: look-up by the case-insensitive name key, creation, password, e-mail,
 * disabling, deletion with everything that belongs to the account, and 2FA reset. */
#include <stdlib.h>
#include <apr_strings.h>

#include "store/store.h"
#include "store/users.h"

#define USER_COLS                                                                                  \
    "id, name, email, password_hash, disabled, totp_secret, totp_last_step, "                      \
    "totp_enabled, created, lang"

const sa_statement sa_store_users_sql[] = {
    {"sa_user_by_key", "SELECT " USER_COLS " FROM users WHERE name_key = %s"},
    {"sa_user_insert", "INSERT INTO users (name, name_key, email, password_hash, created, "
                       "password_changed) VALUES (%s, %s, %s, %s, %lld, %lld)"},
    {"sa_user_set_password",
     "UPDATE users SET password_hash = %s, password_changed = %lld WHERE id = %lld"},
    {"sa_user_set_disabled", "UPDATE users SET disabled = %lld WHERE id = %lld"},
    {"sa_user_set_email", "UPDATE users SET email = %s WHERE id = %lld"},
    {"sa_user_reset_totp",
     "UPDATE users SET totp_secret = '', totp_enabled = 0, totp_last_step = 0, totp_pending = '', "
     "totp_pending_created = 0 WHERE id = %lld"},
    {"sa_user_delete", "DELETE FROM users WHERE id = %lld"},
    {"sa_user_by_id", "SELECT " USER_COLS " FROM users WHERE id = %lld"},
    /* an e-mail address may belong to more than one account: the caller sees how many */
    {"sa_user_by_email", "SELECT " USER_COLS " FROM users WHERE lower(email) = %s LIMIT 2"},
    {"sa_user_set_lang", "UPDATE users SET lang = %s WHERE id = %lld AND lang <> %s"},
    {"sa_user_list", "SELECT " USER_COLS " FROM users ORDER BY name_key"},
    {"sa_codes_delete_user", "DELETE FROM recovery_codes WHERE user_id = %lld"},
    {"sa_resets_delete_user", "DELETE FROM reset_tokens WHERE user_id = %lld"},
    {"sa_user_password_changed", "SELECT password_changed FROM users WHERE id = %lld"},
    {NULL, NULL}};

static sa_user *user_from_row(apr_pool_t *p, const char **c)
{
    sa_user *u = apr_pcalloc(p, sizeof(*u));
    u->id = sa_db_to_i64(c[0]);
    u->name = c[1];
    u->email = c[2];
    u->password_hash = c[3];
    u->disabled = atoi(c[4]) != 0;
    u->totp_secret = c[5];
    u->totp_last_step = sa_db_to_i64(c[6]);
    u->totp_enabled = atoi(c[7]) != 0;
    u->created = sa_db_to_i64(c[8]);
    u->lang = c[9];
    return u;
}

apr_status_t sa_store_user_by_name(sa_db *db, apr_pool_t *p, const char *name, sa_user **out)
{
    const char *args[] = {sa_store_name_key(p, name)};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_user_by_key", 1, args, 10, &row);
    if (rv == APR_SUCCESS) {
        *out = user_from_row(p, row);
    }
    return rv;
}

apr_status_t sa_store_user_insert(sa_db *db, apr_pool_t *p, const char *name, const char *email,
                                  const char *hash, apr_int64_t now)
{
    const char *args[] = {name, sa_store_name_key(p, name), email ? email : "",
                          hash, sa_db_i64(p, now),          sa_db_i64(p, now)};
    return sa_db_exec(db, p, "sa_user_insert", NULL, 6, args);
}

apr_status_t sa_store_user_set_password(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                        const char *hash, apr_int64_t now)
{
    const char *args[] = {hash, sa_db_i64(p, now), sa_db_i64(p, user_id)};
    return sa_db_exec_expect_row(db, p, "sa_user_set_password", 3, args);
}

apr_status_t sa_store_user_set_disabled(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int disabled)
{
    const char *args[] = {disabled ? "1" : "0", sa_db_i64(p, user_id)};
    return sa_db_exec_expect_row(db, p, "sa_user_set_disabled", 2, args);
}

apr_status_t sa_store_user_set_email(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                     const char *email)
{
    const char *args[] = {email, sa_db_i64(p, user_id)};
    return sa_db_exec_expect_row(db, p, "sa_user_set_email", 2, args);
}

apr_status_t sa_store_user_delete(sa_db *db, apr_pool_t *p, apr_int64_t user_id)
{
    /* dependents first: if we stop half-way, the user has lost access, never gained it */
    static const char *const labels[] = {"sa_sessions_delete_user", "sa_grants_delete_user",
                                         "sa_codes_delete_user",    "sa_resets_delete_user",
                                         "sa_pending_delete_user",  "sa_outbox_delete_user"};
    const char *args[] = {sa_db_i64(p, user_id)};
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        apr_status_t rv = sa_db_exec(db, p, labels[i], NULL, 1, args);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    return sa_db_exec_expect_row(db, p, "sa_user_delete", 1, args);
}

apr_status_t sa_store_user_reset_totp(sa_db *db, apr_pool_t *p, apr_int64_t user_id)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    apr_status_t rv = sa_db_exec_expect_row(db, p, "sa_user_reset_totp", 1, args);
    if (rv == APR_SUCCESS) {
        rv = sa_db_exec(db, p, "sa_codes_delete_user", NULL, 1, args);
    }
    if (rv == APR_SUCCESS) {
        /* a login waiting for a code of the forgotten secret cannot finish either */
        rv = sa_db_exec(db, p, "sa_pending_delete_user", NULL, 1, args);
    }
    return rv;
}

apr_status_t sa_store_user_list(sa_db *db, apr_pool_t *p, apr_array_header_t **users)
{
    apr_array_header_t *rows;
    apr_status_t rv = sa_db_select(db, p, "sa_user_list", 0, NULL, 10, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *users = apr_array_make(p, rows->nelts, sizeof(sa_user *));
    for (int i = 0; i < rows->nelts; i++) {
        *(sa_user **)apr_array_push(*users) = user_from_row(p, ((const char ***)rows->elts)[i]);
    }
    return APR_SUCCESS;
}

apr_status_t sa_store_user_password_changed(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                            apr_int64_t *when)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_user_password_changed", 1, args, 1, &row);
    if (rv == APR_SUCCESS) {
        *when = sa_db_to_i64(row[0]);
    }
    return rv;
}

apr_status_t sa_store_user_by_id(sa_db *db, apr_pool_t *p, apr_int64_t user_id, sa_user **out)
{
    const char *args[] = {sa_db_i64(p, user_id)};
    const char **row;
    apr_status_t rv = sa_db_select_one(db, p, "sa_user_by_id", 1, args, 10, &row);
    if (rv == APR_SUCCESS) {
        *out = user_from_row(p, row);
    }
    return rv;
}

apr_status_t sa_store_user_by_email(sa_db *db, apr_pool_t *p, const char *email, sa_user **out)
{
    const char *args[] = {sa_store_name_key(p, email)};
    apr_array_header_t *rows;
    apr_status_t rv = sa_db_select(db, p, "sa_user_by_email", 1, args, 10, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts != 1) {
        return rows->nelts ? APR_EEXIST : APR_NOTFOUND;
    }
    *out = user_from_row(p, ((const char ***)rows->elts)[0]);
    return APR_SUCCESS;
}

apr_status_t sa_store_user_set_lang(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *lang)
{
    const char *args[] = {lang, sa_db_i64(p, user_id), lang};
    return sa_db_exec(db, p, "sa_user_set_lang", NULL, 3, args);
}
