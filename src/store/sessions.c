/* The session registry: only the SHA-256 of a session id is stored. */
#include <stdlib.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "store/store.h"
#include "store/sessions.h"

#define SESSION_COLS                                                                               \
    "s.id_hash, s.user_id, s.created, s.last_seen, s.expires, s.remember, "                        \
    "s.level, s.ip, s.user_agent"

const sa_statement sa_store_sessions_sql[] = {
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
    {"sa_sessions_purge", "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions "
                          "WHERE expires < %lld LIMIT %lld)"},
    /* the user's own sessions only: a session id of another user changes nothing */
    {"sa_session_delete_of_user", "DELETE FROM sessions WHERE id_hash = %s AND user_id = %lld"},
    {"sa_sessions_delete_others", "DELETE FROM sessions WHERE user_id = %lld AND id_hash <> %s"},
    {NULL, NULL}};

apr_status_t sa_store_session_insert(sa_db *db, apr_pool_t *p, const sa_session_row *s)
{
    const char *args[] = {s->id_hash,
                          sa_db_i64(p, s->user_id),
                          sa_db_i64(p, s->created),
                          sa_db_i64(p, s->last_seen),
                          sa_db_i64(p, s->expires),
                          s->remember ? "1" : "0",
                          sa_db_i64(p, s->level),
                          s->ip ? s->ip : "",
                          s->user_agent ? s->user_agent : ""};
    return sa_db_exec(db, p, "sa_session_insert", NULL, 9, args);
}

static sa_session_row *session_from_row(apr_pool_t *p, const char **c)
{
    sa_session_row *s = apr_pcalloc(p, sizeof(*s));
    s->id_hash = c[0];
    s->user_id = sa_db_to_i64(c[1]);
    s->created = sa_db_to_i64(c[2]);
    s->last_seen = sa_db_to_i64(c[3]);
    s->expires = sa_db_to_i64(c[4]);
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
    apr_status_t rv = sa_db_select_one(db, p, "sa_session_get", 1, args, 12, &row);
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
    const char *args[] = {sa_db_i64(p, now), id_hash};
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
    const char *args[] = {sa_db_i64(p, user_id)};
    return sa_db_exec(db, p, "sa_sessions_delete_user", count, 1, args);
}

apr_status_t sa_store_sessions_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                  apr_array_header_t **out)
{
    apr_array_header_t *rows;
    const char *args[] = {sa_db_i64(p, user_id)};
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

apr_status_t sa_store_sessions_purge(sa_db *db, apr_pool_t *p, apr_int64_t now, int limit,
                                     int *removed)
{
    const char *args[] = {sa_db_i64(p, now), sa_db_i64(p, limit)};
    return sa_db_exec(db, p, "sa_sessions_purge", removed, 2, args);
}

apr_status_t sa_store_session_delete_of_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                             const char *id_hash)
{
    const char *args[] = {id_hash, sa_db_i64(p, user_id)};
    return sa_db_exec_expect_row(db, p, "sa_session_delete_of_user", 2, args);
}

apr_status_t sa_store_sessions_delete_others(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                             const char *keep_hash, int *count)
{
    const char *args[] = {sa_db_i64(p, user_id), keep_hash};
    return sa_db_exec(db, p, "sa_sessions_delete_others", count, 2, args);
}
