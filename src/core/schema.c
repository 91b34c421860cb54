/* Creating and migrating the schema. conf/schema-*.sql always describe the newest version;
 * every change to them comes with a migration here that does the same to an older database. */
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "core/embedded.h"
#include "core/schema.h"
#include "store/store.h"
#include "store/users.h"

typedef struct {
    int version;
    const char *what;
    const char *sql; /* the same text for sqlite3 and PostgreSQL, or NULL: see sql_pgsql */
    const char *sql_pgsql;
    /* optional: what SQL cannot do, run after the SQL in the same transaction */
    apr_status_t (*code)(sa_db *db, apr_pool_t *p);
} migration;

static apr_status_t rekey_users(sa_db *db, apr_pool_t *p);

static const migration migrations[] = {
    {2, "indexes for retention (expired sessions, old login events, old throttle rows)",
     "CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires);"
     "CREATE INDEX IF NOT EXISTS login_events_time ON login_events(time);"
     "CREATE INDEX IF NOT EXISTS throttle_window ON throttle(window_start)",
     NULL, NULL},
    {3, "two-factor authentication (pending enrolments, pending logins, recovery code index)",
     "ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE users ADD COLUMN totp_pending_created INTEGER NOT NULL DEFAULT 0;"
     "CREATE INDEX IF NOT EXISTS recovery_codes_user ON recovery_codes(user_id);"
     "CREATE TABLE IF NOT EXISTS login_pending (id_hash TEXT PRIMARY KEY, "
     "user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, step TEXT NOT NULL, "
     "created INTEGER NOT NULL, expires INTEGER NOT NULL, tries INTEGER NOT NULL DEFAULT 0, "
     "remember INTEGER NOT NULL DEFAULT 0)",
     "ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE users ADD COLUMN totp_pending_created BIGINT NOT NULL DEFAULT 0;"
     "CREATE INDEX IF NOT EXISTS recovery_codes_user ON recovery_codes(user_id);"
     "CREATE TABLE IF NOT EXISTS login_pending (id_hash TEXT PRIMARY KEY, "
     "user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, step TEXT NOT NULL, "
     "created BIGINT NOT NULL, expires BIGINT NOT NULL, tries BIGINT NOT NULL DEFAULT 0, "
     "remember BIGINT NOT NULL DEFAULT 0)",
     NULL},
    /* Issue 13, finding 9: keys that the old ASCII lower case kept apart may now be one; the
     * lockout counters of accounts were kept under the old keys and start again. */
    {4, "user name keys by RFC 8265 (UsernameCaseMapped: width, case folding, NFC)",
     "DELETE FROM throttle WHERE key LIKE 'user:%'", NULL, rekey_users},
    {5, "password reset by e-mail (short codes, tries) and the language of each user's mails",
     "ALTER TABLE reset_tokens ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE reset_tokens ADD COLUMN code_hash TEXT NOT NULL DEFAULT '';"
     "CREATE INDEX IF NOT EXISTS reset_tokens_user ON reset_tokens(user_id);"
     "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT ''",
     "ALTER TABLE reset_tokens ADD COLUMN tries BIGINT NOT NULL DEFAULT 0;"
     "ALTER TABLE reset_tokens ADD COLUMN code_hash TEXT NOT NULL DEFAULT '';"
     "CREATE INDEX IF NOT EXISTS reset_tokens_user ON reset_tokens(user_id);"
     "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT ''",
     NULL},
    {6, "security notices of seances-admin's changes, mailed by the server (notice_outbox)",
     "CREATE TABLE IF NOT EXISTS notice_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, "
     "user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, kind TEXT NOT NULL, "
     "created INTEGER NOT NULL)",
     "CREATE TABLE IF NOT EXISTS notice_outbox (id BIGSERIAL PRIMARY KEY, "
     "user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, kind TEXT NOT NULL, "
     "created BIGINT NOT NULL)",
     NULL},
    {0, NULL, NULL, NULL, NULL}};

typedef struct {
    const char *id;
    const char *name;
    const char *old_key;
    const char *key;
} user_key;

/* Every account's id, name and key (not prepared: this runs before the store's statements
 * fit the schema). Rows are fetched by number and copied (pgsql frees a result that is
 * stepped past its end). */
static apr_status_t read_user_keys(sa_db *db, apr_pool_t *p, apr_array_header_t **out)
{
    apr_dbd_results_t *res = NULL;
    if (apr_dbd_select(db->driver, p, db->handle, &res,
                       "SELECT CAST(id AS TEXT), name, name_key FROM users ORDER BY id", 1) != 0) {
        db->error = apr_dbd_error(db->driver, db->handle, 1);
        return APR_EGENERAL;
    }
    int n = apr_dbd_num_tuples(db->driver, res);
    *out = apr_array_make(p, n > 0 ? n : 1, sizeof(user_key));
    for (int i = 1; i <= n; i++) {
        apr_dbd_row_t *row = NULL;
        if (apr_dbd_get_row(db->driver, p, res, &row, i) != 0) {
            break;
        }
        user_key *u = apr_array_push(*out);
        u->id = apr_pstrdup(p, apr_dbd_get_entry(db->driver, row, 0));
        u->name = apr_pstrdup(p, apr_dbd_get_entry(db->driver, row, 1));
        u->old_key = apr_pstrdup(p, apr_dbd_get_entry(db->driver, row, 2));
        u->key = sa_store_name_key(p, u->name);
    }
    return APR_SUCCESS;
}

/* Two accounts whose names are now one key: nothing is changed, and the message names them
 * both, so that the administrator decides which one stays. */
static apr_status_t refuse_collisions(sa_db *db, apr_pool_t *p, const apr_array_header_t *users)
{
    apr_hash_t *seen = apr_hash_make(p);
    const char *clash = NULL;
    for (int i = 0; i < users->nelts; i++) {
        const user_key *u = &APR_ARRAY_IDX(users, i, user_key);
        const user_key *first = apr_hash_get(seen, u->key, APR_HASH_KEY_STRING);
        if (first) {
            clash = apr_psprintf(p, "%s%s\"%s\" (id %s) and \"%s\" (id %s)", clash ? clash : "",
                                 clash ? ", " : "", first->name, first->id, u->name, u->id);
        } else {
            apr_hash_set(seen, u->key, APR_HASH_KEY_STRING, u);
        }
    }
    if (!clash) {
        return APR_SUCCESS;
    }
    db->error = apr_psprintf(p,
                             "these accounts would be one: %s; delete or rename one of each "
                             "pair (e.g. DELETE FROM users WHERE id = N), then migrate again",
                             clash);
    return APR_EEXIST;
}

static apr_status_t set_key(sa_db *db, apr_pool_t *p, const user_key *u, const char *key)
{
    const char *sql = apr_psprintf(p, "UPDATE users SET name_key = '%s' WHERE id = %s",
                                   apr_dbd_escape(db->driver, p, key, db->handle), u->id);
    return sa_db_run_script(db, p, sql);
}

/* The new keys, through a temporary one (a control character, which no name has) so that a
 * key moving onto another's old key never meets the UNIQUE constraint half-way. */
static apr_status_t rekey_users(sa_db *db, apr_pool_t *p)
{
    apr_array_header_t *users;
    apr_status_t rv = read_user_keys(db, p, &users);
    if (rv == APR_SUCCESS) {
        rv = refuse_collisions(db, p, users);
    }
    for (int i = 0; rv == APR_SUCCESS && i < users->nelts; i++) {
        const user_key *u = &APR_ARRAY_IDX(users, i, user_key);
        if (strcmp(u->key, u->old_key) != 0) {
            rv = set_key(db, p, u, apr_pstrcat(p, "\x01", u->id, NULL));
        }
    }
    for (int i = 0; rv == APR_SUCCESS && i < users->nelts; i++) {
        const user_key *u = &APR_ARRAY_IDX(users, i, user_key);
        if (strcmp(u->key, u->old_key) != 0) {
            rv = set_key(db, p, u, u->key);
        }
    }
    return rv;
}

apr_status_t sa_schema_current(sa_db *db, apr_pool_t *p, int *version)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    *version = 0;
    /* not prepared: on a new database the table (and so the statement) does not exist */
    if (apr_dbd_select(db->driver, p, db->handle, &res, "SELECT max(version) FROM schema_version",
                       1) != 0) {
        return APR_SUCCESS;
    }
    if (apr_dbd_get_row(db->driver, p, res, &row, 1) == 0) {
        const char *v = apr_dbd_get_entry(db->driver, row, 0);
        *version = v ? atoi(v) : 0;
    }
    return APR_SUCCESS;
}

static apr_status_t set_version(sa_db *db, apr_pool_t *p, int version)
{
    const char *sql = apr_psprintf(p,
                                   "DELETE FROM schema_version; INSERT INTO schema_version "
                                   "(version) VALUES (%d)",
                                   version);
    return sa_db_run_script(db, p, sql);
}

static apr_status_t install_fresh(sa_db *db, apr_pool_t *p)
{
    const char *name = sa_db_is_pgsql(db) ? "schema-pgsql.sql" : "schema-sqlite3.sql";
    const char *script = sa_embedded(name);
    if (!script) {
        db->error = apr_pstrcat(p, "the schema ", name, " is missing from this build", NULL);
        return APR_EGENERAL;
    }
    apr_status_t rv = sa_db_begin(db, p);
    if (rv == APR_SUCCESS && (rv = sa_db_run_script(db, p, script)) == APR_SUCCESS &&
        (rv = set_version(db, p, SA_SCHEMA_VERSION)) == APR_SUCCESS) {
        return sa_db_commit(db, p);
    }
    sa_db_rollback(db, p);
    return rv;
}

static apr_status_t run_migration(sa_db *db, apr_pool_t *p, const migration *m)
{
    const char *sql = sa_db_is_pgsql(db) && m->sql_pgsql ? m->sql_pgsql : m->sql;
    apr_status_t rv = sa_db_begin(db, p);
    if (rv == APR_SUCCESS && (rv = sa_db_run_script(db, p, sql)) == APR_SUCCESS &&
        (!m->code || (rv = m->code(db, p)) == APR_SUCCESS) &&
        (rv = set_version(db, p, m->version)) == APR_SUCCESS) {
        return sa_db_commit(db, p);
    }
    sa_db_rollback(db, p);
    db->error = apr_psprintf(p, "migration to version %d (%s) failed: %s", m->version, m->what,
                             db->error ? db->error : "unknown error");
    return rv;
}

apr_status_t sa_schema_upgrade(sa_db *db, apr_pool_t *p, int *from)
{
    sa_schema_current(db, p, from);
    if (*from == 0) {
        return install_fresh(db, p);
    }
    if (*from > SA_SCHEMA_VERSION) {
        db->error =
            apr_psprintf(p, "the database has schema version %d, newer than this build (%d)", *from,
                         SA_SCHEMA_VERSION);
        return APR_EINVAL;
    }
    for (const migration *m = migrations; m->version; m++) {
        if (m->version > *from) {
            apr_status_t rv = run_migration(db, p, m);
            if (rv != APR_SUCCESS) {
                return rv;
            }
        }
    }
    return APR_SUCCESS;
}

const char *sa_schema_pending(apr_pool_t *p, int from)
{
    const char *out = "";
    if (from == 0) {
        return apr_psprintf(p, "create the schema, version %d\n", SA_SCHEMA_VERSION);
    }
    for (const migration *m = migrations; m->version; m++) {
        if (m->version > from) {
            out = apr_psprintf(p, "%sversion %d: %s\n", out, m->version, m->what);
        }
    }
    return out;
}
