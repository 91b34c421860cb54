/* Password reset tokens: only the SHA-256 of each token (and of its short code) is kept. A
 * user has at most one live token: a new request deletes the older ones. */
#ifndef STORE_RESET_H
#define STORE_RESET_H

#include <apr_pools.h>
#include "store/db.h"

typedef struct {
    const char *token_hash;
    apr_int64_t user_id;
    apr_int64_t created;
    apr_int64_t expires;
    apr_int64_t used; /* 0, or when it was used */
    int tries;        /* wrong codes typed against it */
    const char *code_hash;
} sa_reset_row;

apr_status_t sa_store_reset_insert(sa_db *db, apr_pool_t *p, const sa_reset_row *row);
apr_status_t sa_store_reset_get(sa_db *db, apr_pool_t *p, const char *token_hash,
                                sa_reset_row **out);
/* The newest token of the user not used yet (APR_NOTFOUND when none). */
apr_status_t sa_store_reset_newest(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                   sa_reset_row **out);
/* Counts a wrong code against a live token; APR_NOTFOUND when it is no longer live (used,
 * expired, or out of tries). */
apr_status_t sa_store_reset_try(sa_db *db, apr_pool_t *p, const char *token_hash, int max_tries,
                                apr_int64_t now);
/* Marks a live token used; APR_NOTFOUND when it was used, expired or ran out of tries. */
apr_status_t sa_store_reset_use(sa_db *db, apr_pool_t *p, const char *token_hash, int max_tries,
                                apr_int64_t now);
apr_status_t sa_store_reset_delete_user(sa_db *db, apr_pool_t *p, apr_int64_t user_id);
/* Removes tokens that expired before now (housekeeping and the dummy write of an unknown
 * account's request). */
apr_status_t sa_store_reset_purge(sa_db *db, apr_pool_t *p, apr_int64_t now);

#endif
