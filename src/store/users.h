/* Accounts. Functions return APR_SUCCESS, APR_NOTFOUND when the row does not exist,
 * or APR_EGENERAL when the database failed (db->error says why). Times are epoch seconds. */
#ifndef STORE_USERS_H
#define STORE_USERS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "store/db.h"
#include "store/namekey.h" /* sa_store_name_key: the key of a user name */

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
    const char *lang; /* of the user's last login ("" when never seen): for the mails */
} sa_user;

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
/* Turns 2FA off: forgets the TOTP secret (active and pending), the recovery codes and the
 * logins waiting for a code. */
apr_status_t sa_store_user_reset_totp(sa_db *db, apr_pool_t *p, apr_int64_t user_id);
apr_status_t sa_store_user_by_id(sa_db *db, apr_pool_t *p, apr_int64_t user_id, sa_user **out);
/* The one account with this address (case-insensitive); APR_EEXIST when several share it. */
apr_status_t sa_store_user_by_email(sa_db *db, apr_pool_t *p, const char *email, sa_user **out);
/* Remembers the language of the user's pages, for the mails sent to them. */
apr_status_t sa_store_user_set_lang(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                    const char *lang);
apr_status_t sa_store_user_list(sa_db *db, apr_pool_t *p, apr_array_header_t **users);
/* When the password was last set (epoch seconds; 0 when never recorded). */
apr_status_t sa_store_user_password_changed(sa_db *db, apr_pool_t *p, apr_int64_t user_id,
                                            apr_int64_t *when);

#endif
