/* Applies the schema carried in the binary (conf/schema-*.sql, embedded at build time). */
#include <apr_strings.h>

#include "core/embedded.h"
#include "core/schema.h"
#include "store/store.h"

apr_status_t sa_schema_install(sa_db *db, apr_pool_t *p)
{
    const char *name = sa_db_is_pgsql(db) ? "schema-pgsql.sql" : "schema-sqlite3.sql";
    const char *script = sa_embedded(name);
    int nrows = 0;
    if (!script) {
        db->error = apr_pstrcat(p, "the schema ", name, " is missing from this build", NULL);
        return APR_EGENERAL;
    }
    apr_status_t rv = sa_db_run_script(db, p, script);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    const char *mark = apr_psprintf(p,
                                    "INSERT INTO schema_version (version) SELECT %d WHERE NOT "
                                    "EXISTS (SELECT 1 FROM schema_version)",
                                    SA_SCHEMA_VERSION);
    int err = apr_dbd_query(db->driver, db->handle, &nrows, mark);
    if (err != 0) {
        const char *text = apr_dbd_error(db->driver, db->handle, err);
        db->error = apr_pstrcat(p, "schema version: ", text ? text : "unknown error", NULL);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}
