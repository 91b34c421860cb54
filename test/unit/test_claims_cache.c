/* The decrypted-cookie cache: what goes in comes out as a copy, it starts over when full,
 * and sa_session_open_cookie consults it before any crypto but still checks the expiry. */
#include <string.h>
#include <apr_strings.h>

#include "core/claims_cache.h"
#include "core/session.h"
#include "unit.h"

static sa_cached_claims claims(const char *sid, const char *user, apr_time_t expiry)
{
    sa_cached_claims c = {sid, user, "hash-of-sid", expiry};
    return c;
}

static void claims_cache_put_get_copies(apr_pool_t *p)
{
    sa_claims_cache *cache;
    sa_cached_claims out;
    char sid[] = "sid-one";
    CHECK(sa_claims_cache_create(p, 4, &cache) == APR_SUCCESS);
    CHECK(!sa_claims_cache_get(cache, p, "cookie-1", &out));
    sa_cached_claims in = claims(sid, "alice", 42);
    sa_claims_cache_put(cache, "cookie-1", &in);
    sid[0] = 'X'; /* the cache must hold its own copy */
    CHECK(sa_claims_cache_get(cache, p, "cookie-1", &out));
    CHECK_STR(out.sid, "sid-one");
    CHECK_STR(out.user, "alice");
    CHECK_STR(out.id_hash, "hash-of-sid");
    CHECK(out.expiry == 42);
    CHECK(!sa_claims_cache_get(cache, p, "cookie-2", &out));
}

static void claims_cache_starts_over_when_full(apr_pool_t *p)
{
    sa_claims_cache *cache;
    sa_cached_claims out;
    CHECK(sa_claims_cache_create(p, 3, &cache) == APR_SUCCESS);
    for (int i = 0; i < 3; i++) {
        sa_cached_claims in = claims(apr_itoa(p, i), "u", 0);
        sa_claims_cache_put(cache, apr_psprintf(p, "cookie-%d", i), &in);
    }
    CHECK(sa_claims_cache_get(cache, p, "cookie-0", &out));
    CHECK(sa_claims_cache_get(cache, p, "cookie-2", &out));
    sa_cached_claims fourth = claims("3", "u", 0);
    sa_claims_cache_put(cache, "cookie-3", &fourth);
    CHECK(!sa_claims_cache_get(cache, p, "cookie-0", &out));
    CHECK(sa_claims_cache_get(cache, p, "cookie-3", &out));
    CHECK_STR(out.sid, "3");
}

static sa_crypto *test_crypto(apr_pool_t *p)
{
    sa_crypto *c = NULL;
    apr_array_header_t *pass = apr_array_make(p, 1, sizeof(const char *));
    *(const char **)apr_array_push(pass) = "claims-cache-test-passphrase";
    CHECK(sa_crypto_create(p, SA_CIPHER_AES256, pass, &c) == APR_SUCCESS);
    return c;
}

static void claims_cache_is_asked_before_the_crypto(apr_pool_t *p)
{
    sa_claims_cache *cache;
    sa_cookie_claims out;
    sa_crypto *crypto = test_crypto(p);
    apr_time_t now = apr_time_from_sec(1000);
    CHECK(sa_claims_cache_create(p, 8, &cache) == APR_SUCCESS);
    /* a value no passphrase decrypts: only the cache can make it valid */
    CHECK(sa_session_open_cookie(crypto, cache, p, "not-a-cookie", now, &out) == SA_SESSION_NONE);
    sa_cached_claims planted = claims("sid", "bob", apr_time_from_sec(2000));
    sa_claims_cache_put(cache, "not-a-cookie", &planted);
    CHECK(sa_session_open_cookie(crypto, cache, p, "not-a-cookie", now, &out) == SA_SESSION_VALID);
    CHECK_STR(out.user, "bob");
    CHECK(sa_session_open_cookie(crypto, NULL, p, "not-a-cookie", now, &out) == SA_SESSION_NONE);
    /* the cookie's expiry is checked on every use, cached or not */
    CHECK(sa_session_open_cookie(crypto, cache, p, "not-a-cookie", apr_time_from_sec(2001), &out) ==
          SA_SESSION_NONE);
}

static void claims_cache_remembers_real_cookies(apr_pool_t *p)
{
    sa_claims_cache *cache;
    sa_cookie_claims first, again;
    const char *value = NULL;
    sa_crypto *crypto = test_crypto(p);
    CHECK(sa_claims_cache_create(p, 8, &cache) == APR_SUCCESS);
    CHECK(sa_crypto_encrypt(crypto, p, "seances-sid=abc&seances-user=carol", &value) ==
          APR_SUCCESS);
    CHECK(sa_session_open_cookie(crypto, cache, p, value, 1, &first) == SA_SESSION_VALID);
    CHECK_STR(first.id_hash, sa_session_id_hash(p, "abc"));
    CHECK(sa_claims_cache_get(cache, p, value, &again));
    CHECK_STR(again.user, "carol");
    CHECK_STR(again.sid, "abc");
}

const unit_test claims_cache_tests[] = {
    {"claims_cache_put_get_copies", claims_cache_put_get_copies},
    {"claims_cache_starts_over_when_full", claims_cache_starts_over_when_full},
    {"claims_cache_is_asked_before_the_crypto", claims_cache_is_asked_before_the_crypto},
    {"claims_cache_remembers_real_cookies", claims_cache_remembers_real_cookies},
    {NULL, NULL}};
