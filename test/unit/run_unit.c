/* Runs every suite listed in unit_suites.h and prints "N passed, N failed".
 *
 *   run-unit                      every test
 *   run-unit crypto ^store_       the tests whose name contains "crypto" or starts with
 *                                 "store_"
 * With SEANCES_UNIT_PGSQL set (unit_db.h), the tests that open a database use PostgreSQL and the
 * closing lines say "unit-pgsql:". */
#include <stdlib.h>
#include <apr_general.h>
#include <apr_dbd.h>
#include "unit.h"
#include "unit_db.h"
#include "unit_suites.h"

int unit_failures_in_test;

static int selected(const char *name, int nfilters, char **filters)
{
    if (nfilters == 0) {
        return 1;
    }
    for (int i = 0; i < nfilters; i++) {
        const char *f = filters[i];
        if (f[0] == '^' ? strncmp(name, f + 1, strlen(f + 1)) == 0 : strstr(name, f) != NULL) {
            return 1;
        }
    }
    return 0;
}

static int run_suite(const unit_test *suite, int nfilters, char **filters, apr_pool_t *root,
                     int *passed)
{
    int failed = 0;
    for (const unit_test *t = suite; t->name; t++) {
        if (!selected(t->name, nfilters, filters)) {
            continue;
        }
        apr_pool_t *p;
        apr_pool_create(&p, root);
        unit_failures_in_test = 0;
        t->fn(p);
        apr_pool_destroy(p);
        if (unit_failures_in_test) {
            fprintf(stderr, "FAIL %s\n", t->name);
            failed++;
        } else {
            (*passed)++;
        }
    }
    return failed;
}

int main(int argc, char **argv)
{
    apr_pool_t *root;
    int passed = 0, failed = 0;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&root, NULL);
    apr_dbd_init(root);
    for (const unit_test *const *s = unit_all_suites; *s; s++) {
        failed += run_suite(*s, argc - 1, argv + 1, root, &passed);
    }
    const char *label = unit_db_pgsql_params() ? "unit-pgsql" : "unit";
    printf("%s: %d databases opened (%s)\n", label, unit_db_opened,
           unit_db_pgsql_params() ? "PostgreSQL schemas" : "sqlite3 files");
    printf("%s: %d passed, %d failed\n", label, passed, failed);
    return failed ? 1 : 0;
}
