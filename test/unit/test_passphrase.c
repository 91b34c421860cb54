/* sa_passphrase_weakness (issue 13, finding 5; SEC-42). */
#include "unit.h"
#include "core/passphrase.h"

static void passphrase_weak(apr_pool_t *p)
{
    (void)p;
    CHECK(sa_passphrase_weakness(NULL) != NULL);
    CHECK(sa_passphrase_weakness("0123456789abcde") != NULL);      /* 15 */
    CHECK(sa_passphrase_weakness("aaaaaaaaaaaaaaaa") != NULL);     /* the review's */
    CHECK(sa_passphrase_weakness("passwordpassword") != NULL);     /* 7 different */
    CHECK(sa_passphrase_weakness("Secret123Secret123Se") != NULL); /* repeated */
    CHECK(sa_passphrase_weakness("abcdefghijklmnopq") != NULL);    /* a run */
    CHECK(sa_passphrase_weakness("zyxwvutsrqponmlk") != NULL);     /* backwards */
}

static void passphrase_accepted(apr_pool_t *p)
{
    (void)p;
    CHECK(sa_passphrase_weakness("0123456789abcdef") == NULL);
    CHECK(sa_passphrase_weakness("test-passphrase-0123456789abcdef") == NULL);
    CHECK(sa_passphrase_weakness("k3T9qZ+u1mW/8rLx0aYbVc2dHe4fJg5h6i7=") == NULL);
    CHECK(sa_passphrase_weakness("correct horse battery staple") == NULL);
}

UNIT_SUITE(passphrase_tests) = {
    {"passphrase_weak", passphrase_weak},
    {"passphrase_accepted", passphrase_accepted},
    {NULL, NULL},
};
