/* Creating and migrating the schema. conf/schema-*.sql always describe the newest version;
 * every change to them comes with a migration here that does the same to an older database. */
#include <stdlib.h>
#include <apr_strings.h>

#include "core/embedded.h"
#include "core/schema.h"
#include "store/store.h"

typedef struct {
    int version;
    const char *what;
    const char *sql; /* the same text for sqlite3 and PostgreSQL, or NULL: see sql_pgsql */
    const char *sql_pgsql;
} migration;

static const migration migrations[] = {
    {2, "indexes for retention (expired sessions, old login events, old throttle rows)",
     "CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires);"
     "CREATE INDEX IF NOT EXISTS login_events_time ON login_events(time);"
     "CREATE INDEX IF NOT EXISTS throttle_window ON throttle(window_start)",
     NULL},
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
     "remember BIGINT NOT NULL DEFAULT 0)"},
    {5, "password reset by e-mail (short codes, tries) and the language of each user's mails",
     "ALTER TABLE reset_tokens ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE reset_tokens ADD COLUMN code_hash TEXT NOT NULL DEFAULT '';"
     "CREATE INDEX IF NOT EXISTS reset_tokens_user ON reset_tokens(user_id);"
     "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT ''",
     "ALTER TABLE reset_tokens ADD COLUMN tries BIGINT NOT NULL DEFAULT 0;"
     "ALTER TABLE reset_tokens ADD COLUMN code_hash TEXT NOT NULL DEFAULT '';"
     "CREATE INDEX IF NOT EXISTS reset_tokens_user ON reset_tokens(user_id);"
     "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT ''"},
    {0, NULL, NULL, NULL}};

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
