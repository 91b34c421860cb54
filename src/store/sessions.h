/* The session registry (only the SHA-256 of each session id). */
#ifndef STORE_SESSIONS_H
#define STORE_SESSIONS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "store/db.h"

typedef struct {
    const char *id_hash;
    apr_int64_t user_id;
    apr_int64_t created;
    apr_int64_t last_seen;
    apr_int64_t expires;
    int remember;
    int level;
    const char *ip;
    const char *user_agent;
    /* from the users table, filled by sa_store_session_get */
    const char *user_name;
    const char *user_email;
    int user_disabled;
} sa_session_row;

/* sessions */
apr_status_t sa_store_session_insert(sa_db *db, apr_pool_t *p, const sa_session_row *row);
apr_status_t sa_store_session_get(sa_db *db, apr_pool_t *p, const char *id_hash,
                                  sa_session_row **out);
apr_status_t sa_store_session_touch(sa_db *db, apr_pool_t *p, const char *id_hash, apr_int64_t now);
apr_status_t sa_store_session_delete(sa_db *db, apr_pool_t *p, const char *id_hash);
apr_status_t sa_store_sessions_delete_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                           int *count);
apr_status_t sa_store_sessions_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                  apr_array_header_t **rows);
/* Deletes one session of the user; APR_NOTFOUND when the user has no such session. */
apr_status_t sa_store_session_delete_of_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                             const char *id_hash);
/* Deletes every session of the user but keep_hash; *count (may be NULL) gets how many. */
apr_status_t sa_store_sessions_delete_others(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                             const char *keep_hash, int *count);
/* Removes at most limit sessions that ended before now (housekeeping); *removed counts them. */
apr_status_t sa_store_sessions_purge(sa_db *db, apr_pool_t *p, apr_int64_t now, int limit,
                                     int *removed);

#endif
