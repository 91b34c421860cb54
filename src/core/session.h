/* Sessions: a random id in the cookie, only its SHA-256 in the database, so that a session can
 * be listed and ended from the server, and a stolen copy of a cookie dies with it. */
#ifndef SA_SESSION_H
#define SA_SESSION_H

#include <apr_pools.h>
#include <apr_time.h>
#include "core/claims_cache.h"
#include "core/crypto.h"
#include "store/db.h"
#include "store/users.h"
#include "store/sessions.h"

#define SA_KEY_SID "seances-sid"
#define SA_KEY_USER "seances-user"
#define SA_KEY_LEVEL "seances-level"
#define SA_KEY_ISSUED "seances-iat"

#define SA_LEVEL_PASSWORD 1
#define SA_LEVEL_TOTP 2

typedef struct {
    apr_int64_t idle;     /* seconds without a request before an ordinary session ends */
    apr_int64_t max;      /* absolute lifetime of an ordinary session */
    apr_int64_t remember; /* lifetime of a "Rester connecté" session; 0 when off */
} sa_session_policy;

/* What a cookie says: sid, user, expiry (microseconds, 0: none) and the hash of the sid. */
typedef sa_cached_claims sa_cookie_claims;

typedef struct {
    const char *id_hash;
    const char *user;
    const char *email;
    apr_int64_t user_id;
    int level;
    int remember;
    apr_int64_t created;
    apr_int64_t last_seen;
    apr_int64_t expires;
    int needs_touch; /* last_seen is old enough to be written again */
} sa_session_info;

typedef enum {
    SA_SESSION_VALID = 0,
    SA_SESSION_NONE,    /* absent, foreign, forged, expired or revoked: not logged in */
    SA_SESSION_DB_ERROR /* the database could not answer: fail closed */
} sa_session_status;

/* Decrypts and decodes a cookie value; SA_SESSION_NONE for anything unusable (including an
 * expiry in the past). No database access. cache (may be NULL) remembers cookies that
 * decrypted well, so that the next request with the same cookie skips the crypto. */
sa_session_status sa_session_open_cookie(sa_crypto *crypto, sa_claims_cache *cache, apr_pool_t *p,
                                         const char *value, apr_time_t now,
                                         sa_cookie_claims *claims);

/* Checks the claims against the session registry and the timeouts; ends dead sessions. */
sa_session_status sa_session_lookup(sa_db *db, apr_pool_t *p, const sa_session_policy *policy,
                                    const sa_cookie_claims *claims, apr_time_t now,
                                    sa_session_info *info);

/* Starts a new session for the user (a new id every time) and returns the cookie value and
 * the session's absolute end. */
apr_status_t sa_session_start(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                              const sa_session_policy *policy, const sa_user *user, int remember,
                              int level, const char *ip, const char *user_agent, apr_time_t now,
                              const char **cookie_value, sa_session_info *info);

/* Replaces a live session with one at another level: a new id (the privilege changed), the
 * same start, end and "Rester connecté" (no extension); the old session ends. */
apr_status_t sa_session_elevate(sa_db *db, sa_crypto *crypto, apr_pool_t *p,
                                const sa_session_policy *policy, const sa_session_info *old,
                                const sa_user *user, int level, const char *ip,
                                const char *user_agent, apr_time_t now, const char **cookie_value,
                                sa_session_info *info);

apr_status_t sa_session_touch(sa_db *db, apr_pool_t *p, const sa_session_info *info,
                              apr_time_t now);

apr_status_t sa_session_end(sa_db *db, apr_pool_t *p, const char *id_hash);

/* A live session as a session cache keeps it (text; the user name and e-mail last, so that
 * they may hold any byte but a line break, which user names cannot). */
const char *sa_session_cache_encode(apr_pool_t *p, const sa_session_info *info);

/* Decodes what sa_session_cache_encode wrote (0), or -1 for anything else. */
int sa_session_cache_decode(apr_pool_t *p, const char *text, apr_size_t len, sa_session_info *info);

/* Whether a cached session may still be trusted for these claims at now, without asking the
 * database: it belongs to the cookie's user, no limit is reached (the same rules as
 * sa_session_lookup), and last_seen is not due to be written. SA_SESSION_VALID (with
 * needs_touch 0) or SA_SESSION_NONE: then ask the database. */
sa_session_status sa_session_check_cached(const sa_session_info *cached,
                                          const sa_session_policy *policy,
                                          const sa_cookie_claims *claims, apr_time_t now);

/* The user's live sessions (sa_session_row *), latest activity first; those already over are
 * deleted on the way, so the portal and the CLI list the same rows. policy NULL: only the
 * absolute end counts (the CLI, which knows no idle limit). */
apr_status_t sa_session_list(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                             const sa_session_policy *policy, apr_time_t now,
                             apr_array_header_t **live);

/* Ends one session of the user ("Déconnecter"); APR_NOTFOUND when the user has no such
 * session, so a session id of someone else ends nothing. */
apr_status_t sa_session_end_of_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    const char *id_hash);

/* Ends every session of the user but keep_hash; *ended gets the id hashes (const char *) of
 * the sessions it ended, for the session cache to forget. */
apr_status_t sa_session_end_others(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                   const char *keep_hash, apr_array_header_t **ended);

/* The SHA-256 (hex) of a session id: what the database stores. */
const char *sa_session_id_hash(apr_pool_t *p, const char *sid);

#endif
