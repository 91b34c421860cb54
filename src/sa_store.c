/* The SQL of the product and typed wrappers around it. Each statement is portable between
 * sqlite3 and PostgreSQL; parameters are always bound, never spliced into the text. */
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "sa_store.h"

#define USER_COLS                                                                                  \
    "id, name, email, password_hash, disabled, totp_secret, totp_last_step, "                      \
    "totp_enabled, created"
#define SESSION_COLS                                                                               \
    "s.id_hash, s.user_id, s.created, s.last_seen, s.expires, s.remember, "                        \
    "s.level, s.ip, s.user_agent"

/* Text parameters are %s, whole numbers %lld: PostgreSQL types the placeholders from these. */
static const sa_statement statements[] = {
    {"sa_schema_version", "SELECT version FROM schema_version"},
    {"sa_user_by_key", "SELECT " USER_COLS " FROM users WHERE name_key = %s"},
    {"sa_user_insert", "INSERT INTO users (name, name_key, email, password_hash, created, "
                       "password_changed) VALUES (%s, %s, %s, %s, %lld, %lld)"},
    {"sa_user_set_password",
     "UPDATE users SET password_hash = %s, password_changed = %lld WHERE id = %lld"},
    {"sa_user_set_disabled", "UPDATE users SET disabled = %lld WHERE id = %lld"},
    {"sa_user_set_email", "UPDATE users SET email = %s WHERE id = %lld"},
    {"sa_user_reset_totp",
     "UPDATE users SET totp_secret = '', totp_enabled = 0, totp_last_step = 0 WHERE id = %lld"},
    {"sa_user_delete", "DELETE FROM users WHERE id = %lld"},
    {"sa_user_list", "SELECT " USER_COLS " FROM users ORDER BY name_key"},
    {"sa_grants_delete_user", "DELETE FROM grants WHERE user_id = %lld"},
    {"sa_codes_delete_user", "DELETE FROM recovery_codes WHERE user_id = %lld"},
    {"sa_resets_delete_user", "DELETE FROM reset_tokens WHERE user_id = %lld"},
    {"sa_grant", "INSERT INTO grants (user_id, app) VALUES (%lld, %s) ON CONFLICT DO NOTHING"},
    {"sa_revoke", "DELETE FROM grants WHERE user_id = %lld AND app = %s"},
    {"sa_grants_of", "SELECT app FROM grants WHERE user_id = %lld ORDER BY app"},
    {"sa_session_insert",
     "INSERT INTO sessions (id_hash, user_id, created, last_seen, expires, remember, level, ip, "
     "user_agent) VALUES (%s, %lld, %lld, %lld, %lld, %lld, %lld, %s, %s)"},
    {"sa_session_get", "SELECT " SESSION_COLS ", u.name, u.email, u.disabled FROM sessions s "
                       "JOIN users u ON u.id = s.user_id WHERE s.id_hash = %s"},
    {"sa_session_touch", "UPDATE sessions SET last_seen = %lld WHERE id_hash = %s"},
    {"sa_session_delete", "DELETE FROM sessions WHERE id_hash = %s"},
    {"sa_sessions_delete_user", "DELETE FROM sessions WHERE user_id = %lld"},
    {"sa_sessions_of", "SELECT " SESSION_COLS " FROM sessions s WHERE s.user_id = %lld "
                       "ORDER BY s.last_seen DESC"},
    {"sa_sessions_purge", "DELETE FROM sessions WHERE expires < %lld"},
    {"sa_event_add_user",
     "INSERT INTO login_events (time, user_id, username, ip, user_agent, result, factor) "
     "VALUES (%lld, %lld, %s, %s, %s, %s, %s)"},
    {"sa_event_add_anon",
     "INSERT INTO login_events (time, user_id, username, ip, user_agent, result, factor) "
     "VALUES (%lld, NULL, %s, %s, %s, %s, %s)"},
    {"sa_events_of", "SELECT time, username, ip, user_agent, result, factor FROM login_events "
                     "WHERE user_id = %lld ORDER BY time DESC, id DESC LIMIT %lld"},
    {"sa_throttle_get", "SELECT failures, window_start, banned_until FROM throttle WHERE key = %s"},
    {"sa_throttle_fail",
     "INSERT INTO throttle (key, failures, window_start, banned_until) VALUES (%s, 1, %lld, 0) "
     "ON CONFLICT (key) DO UPDATE SET "
     "failures = CASE WHEN throttle.window_start <= %lld THEN 1 ELSE throttle.failures + 1 END, "
     "window_start = CASE WHEN throttle.window_start <= %lld THEN %lld "
     "ELSE throttle.window_start END"},
    {"sa_throttle_ban", "UPDATE throttle SET banned_until = %lld, failures = 0, window_start = "
                        "%lld WHERE key = %s AND failures >= %lld"},
    {"sa_throttle_clear", "DELETE FROM throttle WHERE key = %s"},
    {NULL, NULL}};

const sa_statement *sa_db_statements(void)
{
    return statements;
}

static const char *i64(apr_pool_t *p, apr_int64_t v)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

static apr_int64_t to_i64(const char *s)
{
    return s && *s ? apr_atoi64(s) : 0;
}

const char *sa_store_name_key(apr_pool_t *p, const char *name)
{
    char *key = apr_pstrdup(p, name);
    for (char *c = key; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return key;
}

static apr_status_t select_one(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                               const char *const *args, int ncols, const char ***row)
{
    apr_array_header_t *rows;
    apr_status_t rv = sa_db_select(db, p, label, nargs, args, ncols, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (rows->nelts == 0) {
        return APR_NOTFOUND;
    }
    *row = ((const char ***)rows->elts)[0];
    return APR_SUCCESS;
}

apr_status_t sa_store_schema_version(sa_db *db, apr_pool_t *p, int *version)
{
    const char **row;
    apr_status_t rv = select_one(db, p, "sa_schema_version", 0, NULL, 1, &row);
    if (rv == APR_SUCCESS) {
        *version = atoi(row[0]);
    }
    return rv;
}

static sa_user *user_from_row(apr_pool_t *p, const char **c)
{
    sa_user *u = apr_pcalloc(p, sizeof(*u));
    u->id = to_i64(c[0]);
    u->name = c[1];
    u->email = c[2];
    u->password_hash = c[3];
    u->disabled = atoi(c[4]) != 0;
    u->totp_secret = c[5];
    u->totp_last_step = to_i64(c[6]);
    u->totp_enabled = atoi(c[7]) != 0;
    u->created = to_i64(c[8]);
    return u;
}

apr_status_t sa_store_user_by_name(sa_db *db, apr_pool_t *p, const char *name, sa_user **out)
{
    const char *args[] = {sa_store_name_key(p, name)};
    const char **row;
    apr_status_t rv = select_one(db, p, "sa_user_by_key", 1, args, 9, &row);
    if (rv == APR_SUCCESS) {
        *out = user_from_row(p, row);
    }
    return rv;
}

apr_status_t sa_store_user_insert(sa_db *db, apr_pool_t *p, const char *name, const char *email,
                                  const char *hash, apr_int64_t now)
{
    const char *args[] = {
        name, sa_store_name_key(p, name), email ? email : "", hash, i64(p, now), i64(p, now)};
    return sa_db_exec(db, p, "sa_user_insert", NULL, 6, args);
}

static apr_status_t exec_expect_row(sa_db *db, apr_pool_t *p, const char *label, int nargs,
                                    const char *const *args)
{
    int n = 0;
    apr_status_t rv = sa_db_exec(db, p, label, &n, nargs, args);
    if (rv == APR_SUCCESS && n == 0) {
        return APR_NOTFOUND;
    }
    return rv;
}

apr_status_t sa_store_user_set_password(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                        const char *hash, apr_int64_t now)
{
    const char *args[] = {hash, i64(p, now), i64(p, user_id)};
    return exec_expect_row(db, p, "sa_user_set_password", 3, args);
}

apr_status_t sa_store_user_set_disabled(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int disabled)
{
    const char *args[] = {disabled ? "1" : "0", i64(p, user_id)};
    return exec_expect_row(db, p, "sa_user_set_disabled", 2, args);
}

apr_status_t sa_store_user_set_email(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                     const char *email)
{
    const char *args[] = {email, i64(p, user_id)};
    return exec_expect_row(db, p, "sa_user_set_email", 2, args);
}

apr_status_t sa_store_user_delete(sa_db *db, apr_pool_t *p, apr_int64_t user_id)
{
    /* dependents first: if we stop half-way, the user has lost access, never gained it */
    static const char *const labels[] = {"sa_sessions_delete_user", "sa_grants_delete_user",
                                         "sa_codes_delete_user", "sa_resets_delete_user"};
    const char *args[] = {i64(p, user_id)};
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        apr_status_t rv = sa_db_exec(db, p, labels[i], NULL, 1, args);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    return exec_expect_row(db, p, "sa_user_delete", 1, args);
}

apr_status_t sa_store_user_reset_totp(sa_db *db, apr_pool_t *p, apr_int64_t user_id)
{
    const char *args[] = {i64(p, user_id)};
    apr_status_t rv = exec_expect_row(db, p, "sa_user_reset_totp", 1, args);
    if (rv == APR_SUCCESS) {
        rv = sa_db_exec(db, p, "sa_codes_delete_user", NULL, 1, args);
    }
    return rv;
}

apr_status_t sa_store_user_list(sa_db *db, apr_pool_t *p, apr_array_header_t **users)
{
    apr_array_header_t *rows;
    apr_status_t rv = sa_db_select(db, p, "sa_user_list", 0, NULL, 9, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *users = apr_array_make(p, rows->nelts, sizeof(sa_user *));
    for (int i = 0; i < rows->nelts; i++) {
        *(sa_user **)apr_array_push(*users) = user_from_row(p, ((const char ***)rows->elts)[i]);
    }
    return APR_SUCCESS;
}

apr_status_t sa_store_grant(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app)
{
    const char *args[] = {i64(p, user_id), app};
    return sa_db_exec(db, p, "sa_grant", NULL, 2, args);
}

apr_status_t sa_store_revoke(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app)
{
    const char *args[] = {i64(p, user_id), app};
    return exec_expect_row(db, p, "sa_revoke", 2, args);
}

apr_status_t sa_store_grants_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                apr_array_header_t **apps)
{
    apr_array_header_t *rows;
    const char *args[] = {i64(p, user_id)};
    apr_status_t rv = sa_db_select(db, p, "sa_grants_of", 1, args, 1, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *apps = apr_array_make(p, rows->nelts, sizeof(const char *));
    for (int i = 0; i < rows->nelts; i++) {
        *(const char **)apr_array_push(*apps) = ((const char ***)rows->elts)[i][0];
    }
    return APR_SUCCESS;
}

apr_status_t sa_store_session_insert(sa_db *db, apr_pool_t *p, const sa_session_row *s)
{
    const char *args[] = {
        s->id_hash,           i64(p, s->user_id), i64(p, s->created),
        i64(p, s->last_seen), i64(p, s->expires), s->remember ? "1" : "0",
        i64(p, s->level),     s->ip ? s->ip : "", s->user_agent ? s->user_agent : ""};
    return sa_db_exec(db, p, "sa_session_insert", NULL, 9, args);
}

static sa_session_row *session_from_row(apr_pool_t *p, const char **c)
{
    sa_session_row *s = apr_pcalloc(p, sizeof(*s));
    s->id_hash = c[0];
    s->user_id = to_i64(c[1]);
    s->created = to_i64(c[2]);
    s->last_seen = to_i64(c[3]);
    s->expires = to_i64(c[4]);
    s->remember = atoi(c[5]) != 0;
    s->level = atoi(c[6]);
    s->ip = c[7];
    s->user_agent = c[8];
    return s;
}

apr_status_t sa_store_session_get(sa_db *db, apr_pool_t *p, const char *id_hash,
                                  sa_session_row **out)
{
    const char *args[] = {id_hash};
    const char **row;
    apr_status_t rv = select_one(db, p, "sa_session_get", 1, args, 12, &row);
    if (rv == APR_SUCCESS) {
        *out = session_from_row(p, row);
        (*out)->user_name = row[9];
        (*out)->user_email = row[10];
        (*out)->user_disabled = atoi(row[11]) != 0;
    }
    return rv;
}

apr_status_t sa_store_session_touch(sa_db *db, apr_pool_t *p, const char *id_hash, apr_int64_t now)
{
    const char *args[] = {i64(p, now), id_hash};
    return sa_db_exec(db, p, "sa_session_touch", NULL, 2, args);
}

apr_status_t sa_store_session_delete(sa_db *db, apr_pool_t *p, const char *id_hash)
{
    const char *args[] = {id_hash};
    return sa_db_exec(db, p, "sa_session_delete", NULL, 1, args);
}

apr_status_t sa_store_sessions_delete_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                           int *count)
{
    const char *args[] = {i64(p, user_id)};
    return sa_db_exec(db, p, "sa_sessions_delete_user", count, 1, args);
}

apr_status_t sa_store_sessions_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                  apr_array_header_t **out)
{
    apr_array_header_t *rows;
    const char *args[] = {i64(p, user_id)};
    apr_status_t rv = sa_db_select(db, p, "sa_sessions_of", 1, args, 9, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *out = apr_array_make(p, rows->nelts, sizeof(sa_session_row *));
    for (int i = 0; i < rows->nelts; i++) {
        *(sa_session_row **)apr_array_push(*out) =
            session_from_row(p, ((const char ***)rows->elts)[i]);
    }
    return APR_SUCCESS;
}

apr_status_t sa_store_sessions_purge(sa_db *db, apr_pool_t *p, apr_int64_t now)
{
    const char *args[] = {i64(p, now)};
    return sa_db_exec(db, p, "sa_sessions_purge", NULL, 1, args);
}

apr_status_t sa_store_event_add(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const sa_event *ev)
{
    const char *t = i64(p, ev->time), *name = ev->username ? ev->username : "";
    const char *ip = ev->ip ? ev->ip : "", *ua = ev->user_agent ? ev->user_agent : "";
    const char *factor = ev->factor ? ev->factor : "password";
    if (user_id > 0) {
        const char *args[] = {t, i64(p, user_id), name, ip, ua, ev->result, factor};
        return sa_db_exec(db, p, "sa_event_add_user", NULL, 7, args);
    }
    const char *args[] = {t, name, ip, ua, ev->result, factor};
    return sa_db_exec(db, p, "sa_event_add_anon", NULL, 6, args);
}

apr_status_t sa_store_events_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int limit,
                                apr_array_header_t **events)
{
    apr_array_header_t *rows;
    const char *args[] = {i64(p, user_id), i64(p, limit)};
    apr_status_t rv = sa_db_select(db, p, "sa_events_of", 2, args, 6, &rows);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    *events = apr_array_make(p, rows->nelts, sizeof(sa_event));
    for (int i = 0; i < rows->nelts; i++) {
        const char **c = ((const char ***)rows->elts)[i];
        sa_event *ev = apr_array_push(*events);
        ev->time = to_i64(c[0]);
        ev->username = c[1];
        ev->ip = c[2];
        ev->user_agent = c[3];
        ev->result = c[4];
        ev->factor = c[5];
    }
    return APR_SUCCESS;
}

apr_status_t sa_store_throttle_get(sa_db *db, apr_pool_t *p, const char *key, sa_throttle_row *out)
{
    const char *args[] = {key};
    const char **row;
    apr_status_t rv = select_one(db, p, "sa_throttle_get", 1, args, 3, &row);
    if (rv == APR_SUCCESS) {
        out->failures = to_i64(row[0]);
        out->window_start = to_i64(row[1]);
        out->banned_until = to_i64(row[2]);
    }
    return rv;
}

apr_status_t sa_store_throttle_fail(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                    apr_int64_t window, int limit, apr_int64_t ban)
{
    const char *t = i64(p, now), *old = i64(p, now - window);
    const char *fail_args[] = {key, t, old, old, t};
    apr_status_t rv = sa_db_exec(db, p, "sa_throttle_fail", NULL, 5, fail_args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *ban_args[] = {i64(p, now + ban), t, key, i64(p, limit)};
    return sa_db_exec(db, p, "sa_throttle_ban", NULL, 4, ban_args);
}

apr_status_t sa_store_throttle_clear(sa_db *db, apr_pool_t *p, const char *key)
{
    const char *args[] = {key};
    return sa_db_exec(db, p, "sa_throttle_clear", NULL, 1, args);
}
