/* Logins half done (login_pending): the password was right, a second step is owed (the TOTP
 * code, or the enrolment that SeancesTwoFactor required asks for). A row is not a session:
 * nothing but the login and the 2FA setup page ever reads it. Only the SHA-256 of the id in
 * the browser's cookie is stored; the tries are counted here, where replaying a cookie
 * cannot reset them. */
#ifndef STORE_PENDING_H
#define STORE_PENDING_H

#include <apr_pools.h>
#include "store/db.h"

typedef struct {
    const char *id_hash;
    apr_int64_t user_id;
    const char *step; /* "code" or "enrol" */
    apr_int64_t created;
    apr_int64_t expires;
    int tries;
    int remember; /* "Rester connecté" was ticked on the password form */
} sa_pending_row;

apr_status_t sa_store_pending_insert(sa_db *db, apr_pool_t *p, const sa_pending_row *row);
apr_status_t sa_store_pending_get(sa_db *db, apr_pool_t *p, const char *id_hash,
                                  sa_pending_row **out);
/* Spends one try, atomically: APR_NOTFOUND when the row is gone, over (expires <= now) or out
 * of tries (max_tries spent). */
apr_status_t sa_store_pending_try(sa_db *db, apr_pool_t *p, const char *id_hash, int max_tries,
                                  apr_int64_t now);
/* APR_NOTFOUND when the row was gone already: of two requests finishing one pending login,
 * only the one that deleted it goes on. */
apr_status_t sa_store_pending_delete(sa_db *db, apr_pool_t *p, const char *id_hash);
apr_status_t sa_store_pending_delete_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id);
apr_status_t sa_store_pending_purge(sa_db *db, apr_pool_t *p, apr_int64_t now);

#endif
