/* Every query of the product, typed. Functions return APR_SUCCESS, APR_NOTFOUND when the row
 * does not exist, or APR_EGENERAL when the database failed (db->error says why). Times are
 * seconds since the epoch. */
#ifndef SA_STORE_H
#define SA_STORE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "sa_db.h"

#define SA_SCHEMA_VERSION 1

typedef struct {
    apr_int64_t id;
    const char *name;
    const char *email;
    const char *password_hash;
    int disabled;
    const char *totp_secret;
    apr_int64_t totp_last_step;
    int totp_enabled;
    apr_int64_t created;
} sa_user;

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

typedef struct {
    apr_int64_t time;
    const char *username;
    const char *ip;
    const char *user_agent;
    const char *result;
    const char *factor;
} sa_event;

typedef struct {
    apr_int64_t failures;
    apr_int64_t window_start;
    apr_int64_t banned_until;
} sa_throttle_row;

/* The lower-case key under which a user name is unique ("Alice" and "alice" are one). */
const char *sa_store_name_key(apr_pool_t *p, const char *name);

/* schema */
apr_status_t sa_store_schema_version(sa_db *db, apr_pool_t *p, int *version);

/* users */
apr_status_t sa_store_user_by_name(sa_db *db, apr_pool_t *p, const char *name, sa_user **out);
apr_status_t sa_store_user_insert(sa_db *db, apr_pool_t *p, const char *name, const char *email,
                                  const char *hash, apr_int64_t now);
apr_status_t sa_store_user_set_password(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                        const char *hash, apr_int64_t now);
apr_status_t sa_store_user_set_disabled(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                        int disabled);
apr_status_t sa_store_user_set_email(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                     const char *email);
/* Deletes the user and everything that belongs to it (sessions, grants, codes, tokens). */
apr_status_t sa_store_user_delete(sa_db *db, apr_pool_t *p, apr_int64_t user_id);
/* Turns 2FA off: forgets the TOTP secret and the recovery codes. */
apr_status_t sa_store_user_reset_totp(sa_db *db, apr_pool_t *p, apr_int64_t user_id);
apr_status_t sa_store_user_list(sa_db *db, apr_pool_t *p, apr_array_header_t **users);

/* grants: apps a user may use */
apr_status_t sa_store_grant(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app);
apr_status_t sa_store_revoke(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const char *app);
apr_status_t sa_store_grants_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                apr_array_header_t **apps);

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
/* Removes sessions that ended before now (housekeeping). */
apr_status_t sa_store_sessions_purge(sa_db *db, apr_pool_t *p, apr_int64_t now);

/* login history */
apr_status_t sa_store_event_add(sa_db *db, apr_pool_t *p, apr_int64_t user_id, const sa_event *ev);
apr_status_t sa_store_events_of(sa_db *db, apr_pool_t *p, apr_int64_t user_id, int limit,
                                apr_array_header_t **events);

/* throttling */
apr_status_t sa_store_throttle_get(sa_db *db, apr_pool_t *p, const char *key, sa_throttle_row *out);
/* Counts one failure atomically (a new window starts when the old one is over) and bans the
 * key until now + ban once it reaches limit failures in the window. */
apr_status_t sa_store_throttle_fail(sa_db *db, apr_pool_t *p, const char *key, apr_int64_t now,
                                    apr_int64_t window, int limit, apr_int64_t ban);
apr_status_t sa_store_throttle_clear(sa_db *db, apr_pool_t *p, const char *key);

#endif
