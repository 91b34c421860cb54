/* Runs every suite listed in unit_suites.h and prints "N passed, N failed". */
#include <stdlib.h>
#include <apr_general.h>
#include <apr_dbd.h>
#include "unit.h"
#include "unit_suites.h"

int unit_failures_in_test;

static int run_suite(const unit_test *suite, const char *filter, apr_pool_t *root, int *passed)
{
    int failed = 0;
    for (const unit_test *t = suite; t->name; t++) {
        if (filter && !strstr(t->name, filter)) {
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
    const char *filter = argc > 1 ? argv[1] : NULL;
    apr_pool_t *root;
    int passed = 0, failed = 0;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&root, NULL);
    apr_dbd_init(root);
    for (const unit_test *const *s = unit_all_suites; *s; s++) {
        failed += run_suite(*s, filter, root, &passed);
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
