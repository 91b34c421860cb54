/* Password hashing, legacy verification, rehash detection, UTF-8 length and policy. Argon2
 * is slow on purpose: only a few hashes use the real parameters, the rest use m=1024,t=1. */
/* Checklist (test/SECURITY.md): SEC-01 minimum length, SEC-02 maximum length and DoS bound,
 * SEC-04 unicode accepted, normalised consistently, SEC-06 blocklist, SEC-08 password hashing
 * (argon2id, salt, upgrade), SEC-14 no timing oracle on usernames. */
#include <string.h>

#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "unit.h"
#include "core/password.h"
#include <argon2.h>

/* libargon2's reference vector for argon2id, version 0x13: password "password", salt
 * "somesalt", m=2^16 KiB, t=2, p=1, 32-byte tag. */
#define REF_ARGON2ID                                                                               \
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

/* Made with apache2-utils 2.4.71: htpasswd -nbB / -nbm / -nbs alice 'correct horse'. */
#define HT_PASSWORD "correct horse"
#define HT_BCRYPT "$2y$05$1fSfFfOmXje1dJztK2JxtePydAizuakeQ/3ZFq/obvWipqsGn3hEC"
#define HT_APR1 "$apr1$TwHahbmk$R04b.VytaOT.gKK2zfyOK0"
#define HT_SHA "{SHA}L55TUjtiq8FBorTWAZ0jy6g129A="

static const sa_argon2_params small = {1024, 1, 1};

static void password_reference_vector(apr_pool_t *p)
{
    const sa_argon2_params ref = {65536, 2, 1};
    CHECK(sa_password_verify(p, "password", REF_ARGON2ID) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "Password", REF_ARGON2ID) == SA_PW_MISMATCH);
    CHECK(sa_password_needs_rehash(REF_ARGON2ID, &ref) == 0);
}

static void password_hash_round_trip_defaults(apr_pool_t *p)
{
    sa_argon2_params params;
    const char *hash = NULL;

    sa_argon2_defaults(&params);
    CHECK(params.m_kib == 19456 && params.t == 2 && params.p == 1);
    CHECK(sa_password_hash(p, "Velo rouge au bord du lac", &params, &hash) == APR_SUCCESS);
    CHECK(hash != NULL);
    if (!hash) {
        return;
    }
    CHECK(strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
    CHECK(sa_password_verify(p, "Velo rouge au bord du lac", hash) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "velo rouge au bord du lac", hash) == SA_PW_MISMATCH);
    CHECK(sa_password_needs_rehash(hash, &params) == 0);
}

static void password_hash_format_and_salt(apr_pool_t *p)
{
    const char *a = NULL, *b = NULL;

    CHECK(sa_password_hash(p, "same password", &small, &a) == APR_SUCCESS);
    CHECK(sa_password_hash(p, "same password", &small, &b) == APR_SUCCESS);
    if (!a || !b) {
        CHECK(0);
        return;
    }
    /* "$argon2id$v=19$m=1024,t=1,p=1$" + 22 chars of salt + "$" + 43 chars of tag */
    CHECK(strncmp(a, "$argon2id$v=19$m=1024,t=1,p=1$", 30) == 0);
    CHECK(strlen(a) == 30 + 22 + 1 + 43);
    CHECK(a[30 + 22] == '$');
    CHECK(strcmp(a, b) != 0); /* random salt */
    CHECK(sa_password_verify(p, "same password", b) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "same passwore", a) == SA_PW_MISMATCH);
    CHECK(sa_password_verify(p, "", a) == SA_PW_MISMATCH);

    const sa_argon2_params bad = {1024, 0, 1};
    const char *none = "unchanged";
    CHECK(sa_password_hash(p, "x", &bad, &none) != APR_SUCCESS);
    CHECK(none == NULL);
}

static void password_legacy_htpasswd(apr_pool_t *p)
{
    char variant[sizeof(HT_BCRYPT)];

    CHECK(sa_password_verify(p, HT_PASSWORD, HT_BCRYPT) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "correct horsE", HT_BCRYPT) == SA_PW_MISMATCH);
    /* $2a$ and $2b$ compute the same as $2y$ for an ASCII password. */
    memcpy(variant, HT_BCRYPT, sizeof(variant));
    variant[2] = 'a';
    CHECK(sa_password_verify(p, HT_PASSWORD, variant) == SA_PW_MATCH);
    variant[2] = 'b';
    CHECK(sa_password_verify(p, HT_PASSWORD, variant) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "wrong", variant) == SA_PW_MISMATCH);

    CHECK(sa_password_verify(p, HT_PASSWORD, HT_APR1) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "correct horse ", HT_APR1) == SA_PW_MISMATCH);
    CHECK(sa_password_verify(p, HT_PASSWORD, HT_SHA) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "Correct horse", HT_SHA) == SA_PW_MISMATCH);
}

static void password_unknown_formats_are_errors(apr_pool_t *p)
{
    /* apr_password_validate would compare these as plain text or pass them to crypt(3). */
    CHECK(sa_password_verify(p, "correct horse", "correct horse") == SA_PW_ERROR);
    CHECK(sa_password_verify(p, "", "") == SA_PW_ERROR);
    CHECK(sa_password_verify(p, "password", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/") == SA_PW_ERROR);
    CHECK(sa_password_verify(p, "password", "$6$salt$abc") == SA_PW_ERROR);
    CHECK(sa_password_verify(p, "password", "saXTDlnbyMrBM") == SA_PW_ERROR);
    CHECK(sa_password_verify(p, "password", "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$AAAA") ==
          SA_PW_ERROR);
    CHECK(sa_password_verify(p, "password", "$argon2id$v=19$m=1024,t=1,p=1$!!!$AAAA") ==
          SA_PW_ERROR);
    CHECK(sa_password_verify(p, NULL, HT_SHA) == SA_PW_ERROR);
    CHECK(sa_password_verify(p, "password", NULL) == SA_PW_ERROR);
}

static void password_needs_rehash(apr_pool_t *p)
{
    const char *hash = NULL;
    sa_argon2_params other;

    CHECK(sa_password_hash(p, "rehash me please", &small, &hash) == APR_SUCCESS);
    CHECK(sa_password_needs_rehash(hash, &small) == 0);
    other = small;
    other.m_kib = 2048;
    CHECK(sa_password_needs_rehash(hash, &other) == 1);
    other = small;
    other.t = 2;
    CHECK(sa_password_needs_rehash(hash, &other) == 1);
    other = small;
    other.p = 2;
    CHECK(sa_password_needs_rehash(hash, &other) == 1);

    CHECK(sa_password_needs_rehash(HT_BCRYPT, &small) == 1);
    CHECK(sa_password_needs_rehash(HT_APR1, &small) == 1);
    CHECK(sa_password_needs_rehash(HT_SHA, &small) == 1);
    CHECK(sa_password_needs_rehash("", &small) == 1);
    CHECK(sa_password_needs_rehash(NULL, &small) == 1);
    CHECK(sa_password_needs_rehash("$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$AAAA", &small) == 1);
    CHECK(sa_password_needs_rehash("$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHQ$AAAA", &small) == 1);
    CHECK(sa_password_needs_rehash("$argon2id$v=19$m=1024,t=1,p=1", &small) == 1);
    CHECK(sa_password_needs_rehash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$AAAA", &small) == 0);
    CHECK(sa_password_needs_rehash("$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHQ$AAAA",
                                   &small) == 1);
}

static apr_interval_time_t fastest_of_three(apr_pool_t *p, const char *hash, int burn)
{
    apr_interval_time_t best = -1;
    for (int i = 0; i < 3; i++) {
        apr_time_t start = apr_time_now();
        if (burn) {
            sa_password_burn(p, "guess", &small);
        } else {
            (void)sa_password_verify(p, "guess", hash);
        }
        apr_interval_time_t took = apr_time_now() - start;
        if (best < 0 || took < best) {
            best = took;
        }
    }
    return best;
}

static void password_burn_costs_a_verification(apr_pool_t *p)
{
    const char *hash = NULL;

    CHECK(sa_password_hash(p, "a real password", &small, &hash) == APR_SUCCESS);
    if (!hash) {
        return;
    }
    /* A burn that silently failed to parse its dummy hash would take microseconds. The margin
     * is wide so that a busy machine does not make the test flaky. */
    apr_interval_time_t verify = fastest_of_three(p, hash, 0);
    apr_interval_time_t burn = fastest_of_three(p, hash, 1);
    CHECK(burn * 4 >= verify);
    sa_password_burn(p, NULL, &small); /* a missing password must not crash */
}

static void password_utf8_length(apr_pool_t *p)
{
    (void)p;
    CHECK(sa_utf8_length("") == 0);
    CHECK(sa_utf8_length("abc") == 3);
    CHECK(sa_utf8_length("séance") == 6);
    CHECK(sa_utf8_length("\xe2\x82\xac") == 1);      /* euro sign */
    CHECK(sa_utf8_length("\xf0\x9f\x98\x80") == 1);  /* U+1F600 */
    CHECK(sa_utf8_length("\xf4\x8f\xbf\xbf") == 1);  /* U+10FFFF, the last code point */
    CHECK(sa_utf8_length("\xc0\xaf") == -1);         /* overlong '/' */
    CHECK(sa_utf8_length("\xc1\xbf") == -1);         /* overlong */
    CHECK(sa_utf8_length("\xe0\x80\xaf") == -1);     /* overlong, three bytes */
    CHECK(sa_utf8_length("\xf0\x80\x80\xaf") == -1); /* overlong, four bytes */
    CHECK(sa_utf8_length("\xed\xa0\x80") == -1);     /* U+D800, a surrogate */
    CHECK(sa_utf8_length("\xed\xbf\xbf") == -1);     /* U+DFFF */
    CHECK(sa_utf8_length("\xf4\x90\x80\x80") == -1); /* above U+10FFFF */
    CHECK(sa_utf8_length("\xe2\x82") == -1);         /* truncated */
    CHECK(sa_utf8_length("a\x80") == -1);            /* lone continuation */
    CHECK(sa_utf8_length("\xff") == -1);
    CHECK(sa_utf8_length("\xc3\x28") == -1); /* bad continuation */
    CHECK(sa_utf8_length(NULL) == -1);
}

static char *repeat(apr_pool_t *p, const char *unit, int times)
{
    size_t n = strlen(unit);
    char *out = apr_palloc(p, n * (size_t)times + 1);
    for (int i = 0; i < times; i++) {
        memcpy(out + n * (size_t)i, unit, n);
    }
    out[n * (size_t)times] = '\0';
    return out;
}

static void password_policy_lengths(apr_pool_t *p)
{
    CHECK_STR(sa_password_policy(p, "short", 12, NULL, NULL, NULL), "pw_too_short");
    CHECK(sa_password_policy(p, "twelve chars", 12, NULL, NULL, NULL) == NULL);
    /* Code points, not bytes: 11 e-acute are 22 bytes but still too short. */
    CHECK_STR(sa_password_policy(p, repeat(p, "é", 11), 12, NULL, NULL, NULL), "pw_too_short");
    CHECK(sa_password_policy(p, repeat(p, "é", 12), 12, NULL, NULL, NULL) == NULL);
    CHECK(sa_password_policy(p, repeat(p, "é", 128), 12, NULL, NULL, NULL) == NULL);
    CHECK_STR(sa_password_policy(p, repeat(p, "a", 129), 12, NULL, NULL, NULL), "pw_too_long");
    CHECK_STR(sa_password_policy(p, "twelve chars\xff", 12, NULL, NULL, NULL), "pw_not_utf8");
    CHECK_STR(sa_password_policy(p, "\xed\xa0\x80 twelve chars", 12, NULL, NULL, NULL),
              "pw_not_utf8");
}

static void password_policy_names_and_blocklist(apr_pool_t *p)
{
    apr_hash_t *block = apr_hash_make(p);
    apr_hash_set(block, "password1234", APR_HASH_KEY_STRING, "");

    CHECK_STR(sa_password_policy(p, "PassWord1234", 12, NULL, NULL, block), "pw_blocklisted");
    CHECK(sa_password_policy(p, "password12345", 12, NULL, NULL, block) == NULL);
    CHECK_STR(sa_password_policy(p, "my-ALICE-password!", 12, "alice", NULL, NULL),
              "pw_contains_name");
    CHECK(sa_password_policy(p, "my-ALICE-password!", 12, "bob", NULL, NULL) == NULL);
    /* Names shorter than three characters are not checked. */
    CHECK(sa_password_policy(p, "al-is-a-long-password", 12, "al", NULL, NULL) == NULL);
    CHECK_STR(sa_password_policy(p, "xxBOB.SMITHxxxxx", 12, "other", "bob.smith@example.ch", NULL),
              "pw_contains_name");
    /* Only the local part of the address counts. */
    CHECK(sa_password_policy(p, "example-is-fine-here", 12, NULL, "bob.smith@example.ch", NULL) ==
          NULL);
    CHECK(sa_password_policy(p, "jo-jo-jo-jo-jo", 12, NULL, "jo@example.ch", NULL) == NULL);
    /* Three code points are enough even when they are six bytes. */
    CHECK_STR(sa_password_policy(p, "12345éèà67890", 12, "éèà", NULL, NULL), "pw_contains_name");
}

static void password_blocklist_load(apr_pool_t *p)
{
    const char *dir = NULL;
    apr_file_t *f;
    apr_hash_t *list = NULL;
    const char *text = "# common passwords\n\nPassword1234\r\n  \nletmein-please\nMotDePasse123";
    apr_size_t len = strlen(text);

    CHECK(apr_temp_dir_get(&dir, p) == APR_SUCCESS);
    char *path = apr_pstrcat(p, dir, "/sa-blocklist-XXXXXX", NULL);
    CHECK(apr_file_mktemp(&f, path, 0, p) == APR_SUCCESS); /* deleted when closed */
    CHECK(apr_file_write_full(f, text, len, NULL) == APR_SUCCESS);
    CHECK(apr_file_flush(f) == APR_SUCCESS);

    CHECK(sa_password_blocklist_load(p, path, &list) == APR_SUCCESS);
    apr_file_close(f);
    if (!list) {
        return;
    }
    CHECK(apr_hash_count(list) == 3);
    CHECK(apr_hash_get(list, "password1234", APR_HASH_KEY_STRING) != NULL);
    CHECK(apr_hash_get(list, "letmein-please", APR_HASH_KEY_STRING) != NULL);
    CHECK(apr_hash_get(list, "motdepasse123", APR_HASH_KEY_STRING) != NULL);
    CHECK(apr_hash_get(list, "# common passwords", APR_HASH_KEY_STRING) == NULL);
    CHECK_STR(sa_password_policy(p, "MOTDEPASSE123", 12, NULL, NULL, list), "pw_blocklisted");

    apr_hash_t *none = NULL;
    CHECK(sa_password_blocklist_load(p, "/nonexistent/sa-blocklist", &none) != APR_SUCCESS);
}

static void password_schemes(apr_pool_t *p)
{
    (void)p;
    CHECK_STR(sa_password_scheme("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"), "argon2id");
    CHECK_STR(sa_password_scheme("$2y$05$abcdefghijklmnopqrstuu"), "bcrypt");
    CHECK_STR(sa_password_scheme("$2a$05$abcdefghijklmnopqrstuu"), "bcrypt");
    CHECK_STR(sa_password_scheme("$2b$05$abcdefghijklmnopqrstuu"), "bcrypt");
    CHECK_STR(sa_password_scheme("$apr1$salt$hash"), "apr1");
    CHECK_STR(sa_password_scheme("{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M="), "sha1");
    /* crypt(3) DES, MD5-crypt, argon2i: never verified, so never imported */
    CHECK(sa_password_scheme("ab01FAX.bQRSU") == NULL);
    CHECK(sa_password_scheme("$1$salt$hash") == NULL);
    CHECK(sa_password_scheme("$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA") == NULL);
    CHECK(sa_password_scheme("") == NULL);
    CHECK(sa_password_scheme(NULL) == NULL);
}

/* "é" as one code point (NFC) and as "e" + combining acute (NFD) */
#define E_NFC "\xc3\xa9"
#define E_NFD "e\xcc\x81"

static void password_nfc_normalisation(apr_pool_t *p)
{
    const char *hash = NULL;
    CHECK_STR(sa_password_normalize(p, "caf" E_NFD " au lait"), "caf" E_NFC " au lait");
    CHECK_STR(sa_password_normalize(p, "caf" E_NFC " au lait"), "caf" E_NFC " au lait");
    CHECK_STR(sa_password_normalize(p, ""), "");
    /* NFC, not NFKC: the ligature "ﬁ" stays what it is */
    CHECK_STR(sa_password_normalize(p, "\xef\xac\x81"), "\xef\xac\x81");
    CHECK(sa_password_normalize(p, "bad \xff byte") == NULL);
    CHECK(sa_password_normalize(p, "\xed\xa0\x80 surrogate") == NULL);

    /* one password, however the keyboard composed it */
    CHECK(sa_password_hash(p, "caf" E_NFD " au lait du matin", &small, &hash) == APR_SUCCESS);
    CHECK(hash && sa_password_verify(p, "caf" E_NFC " au lait du matin", hash) == SA_PW_MATCH);
    CHECK(hash && sa_password_verify(p, "caf" E_NFD " au lait du matin", hash) == SA_PW_MATCH);
    CHECK(hash && sa_password_verify(p, "cafe au lait du matin", hash) == SA_PW_MISMATCH);
}

/* A hash made before normalisation (or by htpasswd) from NFD bytes still verifies them. */
static void password_nfc_legacy_bytes(apr_pool_t *p)
{
    const char *nfd = "d" E_NFD "j" E_NFD "j" E_NFD " vu, vraiment";
    char encoded[160];
    const unsigned char salt[16] = "0123456789abcdef";
    CHECK(argon2id_hash_encoded(1, 1024, 1, nfd, strlen(nfd), salt, sizeof(salt), 32, encoded,
                                sizeof(encoded)) == ARGON2_OK);
    CHECK(sa_password_verify(p, nfd, encoded) == SA_PW_MATCH);
    CHECK(sa_password_verify(p, "d" E_NFD "j" E_NFD "j" E_NFD " vu, vraimen", encoded) ==
          SA_PW_MISMATCH);
    /* and a password that is not UTF-8 at all is compared as the bytes it is */
    const char *latin1 = "caf\xe9 cr\xe8me 2026";
    CHECK(argon2id_hash_encoded(1, 1024, 1, latin1, strlen(latin1), salt, sizeof(salt), 32, encoded,
                                sizeof(encoded)) == ARGON2_OK);
    CHECK(sa_password_verify(p, latin1, encoded) == SA_PW_MATCH);
}

static void password_policy_after_nfc(apr_pool_t *p)
{
    /* 12 decomposed e-acute are 24 code points as typed, 12 once normalised */
    CHECK_STR(sa_password_policy(p, repeat(p, E_NFD, 12), 13, NULL, NULL, NULL), "pw_too_short");
    CHECK(sa_password_policy(p, repeat(p, E_NFD, 12), 12, NULL, NULL, NULL) == NULL);
    CHECK(sa_password_policy(p, repeat(p, E_NFD, 100), 12, NULL, NULL, NULL) == NULL);
    /* names compared without case, beyond ASCII, whatever the composition */
    CHECK_STR(
        sa_password_policy(p, "mon-\xc3\x89LODIE-secret-2026", 12, "\xc3\x89lodie", NULL, NULL),
        "pw_contains_name");
    CHECK_STR(
        sa_password_policy(p, "mon-" E_NFD "lodie-secret-2026", 12, "\xc3\x89lodie", NULL, NULL),
        "pw_contains_name");
    CHECK_STR(sa_password_policy(p, "2026-MARC.DUPONT-!", 12, NULL, "marc.dupont@example.ch", NULL),
              "pw_contains_name");
    apr_hash_t *block = apr_hash_make(p);
    apr_hash_set(block, "mot-de-passe-" E_NFC "t" E_NFC, APR_HASH_KEY_STRING, "");
    CHECK_STR(sa_password_policy(p, "MOT-DE-PASSE-\xc3\x89T\xc3\x89", 12, NULL, NULL, block),
              "pw_blocklisted");
    CHECK_STR(sa_password_policy(p, "mot-de-passe-" E_NFD "t" E_NFD, 12, NULL, NULL, block),
              "pw_blocklisted");
}

UNIT_SUITE(password_tests) = {
    {"password_schemes", password_schemes},
    {"password_nfc_normalisation", password_nfc_normalisation},
    {"password_nfc_legacy_bytes", password_nfc_legacy_bytes},
    {"password_policy_after_nfc", password_policy_after_nfc},
    {"password_reference_vector", password_reference_vector},
    {"password_hash_round_trip_defaults", password_hash_round_trip_defaults},
    {"password_hash_format_and_salt", password_hash_format_and_salt},
    {"password_legacy_htpasswd", password_legacy_htpasswd},
    {"password_unknown_formats_are_errors", password_unknown_formats_are_errors},
    {"password_needs_rehash", password_needs_rehash},
    {"password_burn_costs_a_verification", password_burn_costs_a_verification},
    {"password_utf8_length", password_utf8_length},
    {"password_policy_lengths", password_policy_lengths},
    {"password_policy_names_and_blocklist", password_policy_names_and_blocklist},
    {"password_blocklist_load", password_blocklist_load},
    {NULL, NULL},
};
