/* Sessions end to end without Apache: start writes a row and an encrypted cookie, the cookie
 * opens to its claims, lookup checks them against the registry and the timeouts. */
/* Checklist (test/SECURITY.md): SEC-34 new session on every authentication event, SEC-40
 * required payload fields and binding, SEC-41 idle and absolute timeouts server-side, SEC-50
 * disabled or deleted account ends all sessions. */
#include <apr_strings.h>

#include "unit.h"
#include "unit_db.h"
#include "core/codec.h"
#include "core/crypto.h"
#include "core/session.h"

#define PASS "unit-test-passphrase-0123456789"
#define T0 1700000000

typedef struct {
    sa_db *db;
    sa_crypto *crypto;
    sa_user *user;
    sa_session_policy policy;
    apr_time_t now;
} fixture;

static sa_crypto *make_crypto(apr_pool_t *p, const char *passphrase)
{
    apr_array_header_t *list = apr_array_make(p, 1, sizeof(const char *));
    sa_crypto *c = NULL;
    APR_ARRAY_PUSH(list, const char *) = passphrase;
    CHECK(sa_crypto_create(p, SA_CIPHER_AES256, list, &c) == APR_SUCCESS);
    return c;
}

/* alice, idle 10 s, max 100 s, remember 1000 s, now = T0 */
static int setup(apr_pool_t *p, fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->db = unit_db_open(p);
    if (!f->db) {
        return 0;
    }
    f->crypto = make_crypto(p, PASS);
    f->user = unit_db_add_user(f->db, p, "alice", "alice@example.ch", "hash");
    f->policy.idle = 10;
    f->policy.max = 100;
    f->policy.remember = 1000;
    f->now = apr_time_from_sec(T0);
    return f->crypto && f->user;
}

static apr_time_t at(apr_int64_t seconds_after_t0)
{
    return apr_time_from_sec(T0 + seconds_after_t0);
}

/* Starts a session and opens its own cookie; 0 (after a failed check) when that fails. */
static int start(apr_pool_t *p, fixture *f, int remember, sa_session_info *info,
                 sa_cookie_claims *claims)
{
    const char *cookie = NULL;
    apr_status_t rv =
        sa_session_start(f->db, f->crypto, p, &f->policy, f->user, remember, SA_LEVEL_PASSWORD,
                         "192.0.2.7", "UnitAgent", f->now, &cookie, info);
    CHECK(rv == APR_SUCCESS);
    CHECK(cookie != NULL);
    if (rv != APR_SUCCESS || !cookie) {
        return 0;
    }
    sa_session_status st = sa_session_open_cookie(f->crypto, NULL, p, cookie, f->now, claims);
    CHECK(st == SA_SESSION_VALID);
    return st == SA_SESSION_VALID;
}

static const char *sessions_count(fixture *f, apr_pool_t *p)
{
    return unit_db_value(f->db, p, "SELECT count(*) FROM sessions");
}

/* A cookie as stock mod_session_crypto would write it, with the given keys. */
static const char *forge_cookie(apr_pool_t *p, sa_crypto *crypto, const char *sid, const char *user,
                                apr_time_t expiry)
{
    apr_table_t *t = apr_table_make(p, 2);
    const char *value = NULL;
    if (sid) {
        apr_table_set(t, SA_KEY_SID, sid);
    }
    if (user) {
        apr_table_set(t, SA_KEY_USER, user);
    }
    CHECK(sa_crypto_encrypt(crypto, p, sa_codec_encode(p, t, expiry), &value) == APR_SUCCESS);
    return value;
}

static void session_start_gives_cookie(apr_pool_t *p)
{
    fixture f;
    sa_session_info info;
    sa_cookie_claims claims;
    const char *cookie = NULL, *plain = NULL;
    apr_time_t expiry = 0;
    if (!setup(p, &f)) {
        return;
    }
    CHECK(sa_session_start(f.db, f.crypto, p, &f.policy, f.user, 0, SA_LEVEL_TOTP, "192.0.2.7",
                           "UnitAgent", f.now, &cookie, &info) == APR_SUCCESS);
    if (!cookie) {
        CHECK(!"no cookie");
        return;
    }
    CHECK(info.id_hash && strlen(info.id_hash) == 64);
    CHECK_STR(info.user, "alice");
    CHECK_STR(info.email, "alice@example.ch");
    CHECK(info.user_id == f.user->id);
    CHECK(info.level == SA_LEVEL_TOTP);
    CHECK(info.remember == 0);
    CHECK(info.created == T0);
    CHECK(info.expires == T0 + 100);
    CHECK(info.needs_touch == 0);

    /* the cookie: mod_session's encoding, encrypted */
    CHECK(sa_crypto_decrypt(f.crypto, p, cookie, &plain) == APR_SUCCESS);
    apr_table_t *t = plain ? sa_codec_decode(p, plain, &expiry) : apr_table_make(p, 1);
    const char *sid = apr_table_get(t, SA_KEY_SID);
    CHECK(sid && strlen(sid) >= 43);
    CHECK_STR(apr_table_get(t, SA_KEY_USER), "alice");
    CHECK_STR(apr_table_get(t, SA_KEY_LEVEL), "2");
    CHECK_STR(apr_table_get(t, SA_KEY_ISSUED), "1700000000");
    CHECK(expiry == apr_time_from_sec(T0 + 100));
    CHECK(sid && strcmp(sa_session_id_hash(p, sid), info.id_hash) == 0);

    /* the database holds the hash, never the id */
    CHECK_STR(sessions_count(&f, p), "1");
    CHECK_STR(unit_db_value(f.db, p, "SELECT id_hash FROM sessions"), info.id_hash);
    CHECK_STR(unit_db_value(f.db, p,
                            "SELECT created || ' ' || last_seen || ' ' || expires || ' ' || "
                            "remember || ' ' || level || ' ' || ip || ' ' || user_agent "
                            "FROM sessions"),
              "1700000000 1700000000 1700000100 0 2 192.0.2.7 UnitAgent");
    if (sid) {
        CHECK_STR(unit_db_value(
                      f.db, p,
                      apr_psprintf(p, "SELECT count(*) FROM sessions WHERE id_hash = '%s'", sid)),
                  "0");
    }

    /* open_cookie gives the same claims */
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, cookie, f.now, &claims) == SA_SESSION_VALID);
    CHECK_STR(claims.user, "alice");
    CHECK_STR(claims.sid, sid);
    CHECK(claims.expiry == apr_time_from_sec(T0 + 100));
}

static void session_new_id_every_start(apr_pool_t *p)
{
    fixture f;
    sa_session_info a, b;
    sa_cookie_claims ca, cb;
    if (!setup(p, &f) || !start(p, &f, 0, &a, &ca) || !start(p, &f, 0, &b, &cb)) {
        return;
    }
    CHECK(strcmp(a.id_hash, b.id_hash) != 0);
    CHECK(strcmp(ca.sid, cb.sid) != 0);
    CHECK_STR(sessions_count(&f, p), "2");
}

static void session_lookup_valid(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims)) {
        return;
    }
    memset(&info, 0, sizeof(info));
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_VALID);
    CHECK_STR(info.id_hash, started.id_hash);
    CHECK_STR(info.user, "alice");
    CHECK_STR(info.email, "alice@example.ch");
    CHECK(info.user_id == f.user->id);
    CHECK(info.level == SA_LEVEL_PASSWORD);
    CHECK(info.remember == 0);
    CHECK(info.created == T0);
    CHECK(info.expires == T0 + 100);
    /* idle 10: the last_seen is rewritten at most every 10 / 4 = 2 s */
    CHECK(info.needs_touch == 0);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(2), &info) == SA_SESSION_VALID);
    CHECK(info.needs_touch == 1);
    /* exactly idle seconds later still counts */
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(10), &info) == SA_SESSION_VALID);
    CHECK_STR(sessions_count(&f, p), "1");
}

static void session_needs_touch_interval(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f)) {
        return;
    }
    /* idle 30 min: the interval is capped at 60 s */
    f.policy.idle = 1800;
    f.policy.max = 7200;
    if (!start(p, &f, 0, &started, &claims)) {
        return;
    }
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(59), &info) == SA_SESSION_VALID);
    CHECK(info.needs_touch == 0);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(60), &info) == SA_SESSION_VALID);
    CHECK(info.needs_touch == 1);
    CHECK(sa_session_touch(f.db, p, &info, at(60)) == APR_SUCCESS);
    CHECK_STR(unit_db_value(f.db, p, "SELECT last_seen FROM sessions"), "1700000060");
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(61), &info) == SA_SESSION_VALID);
    CHECK(info.needs_touch == 0);
    /* a tiny idle still gives an interval of at least 1 s */
    f.policy.idle = 2;
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(60), &info) == SA_SESSION_VALID);
    CHECK(info.needs_touch == 0);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(61), &info) == SA_SESSION_VALID);
    CHECK(info.needs_touch == 1);
}

static void session_end_revokes(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, other, info;
    sa_cookie_claims claims, other_claims;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims) ||
        !start(p, &f, 0, &other, &other_claims)) {
        return;
    }
    CHECK(sa_session_end(f.db, p, started.id_hash) == APR_SUCCESS);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_NONE);
    /* the cookie itself still opens: only the registry makes it dead */
    CHECK(sa_session_open_cookie(f.crypto, NULL, p,
                                 forge_cookie(p, f.crypto, claims.sid, "alice", at(100)), at(1),
                                 &claims) == SA_SESSION_VALID);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_NONE);
    /* the other session of the same user lives on */
    CHECK(sa_session_lookup(f.db, p, &f.policy, &other_claims, at(1), &info) == SA_SESSION_VALID);
    CHECK_STR(sessions_count(&f, p), "1");
}

static void session_idle_expiry(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims)) {
        return;
    }
    /* last_seen = T0, idle 10: 11 s later the session is over and removed */
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(11), &info) == SA_SESSION_NONE);
    CHECK_STR(sessions_count(&f, p), "0");
    /* and it stays over, even at a time that would have been fine */
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_NONE);
}

static void session_touch_keeps_alive(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims)) {
        return;
    }
    for (int t = 8; t <= 80; t += 8) {
        CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(t), &info) == SA_SESSION_VALID);
        CHECK(info.needs_touch == 1);
        CHECK(sa_session_touch(f.db, p, &info, at(t)) == APR_SUCCESS);
    }
    CHECK_STR(unit_db_value(f.db, p, "SELECT last_seen FROM sessions"), "1700000080");
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(91), &info) == SA_SESSION_NONE);
    CHECK_STR(sessions_count(&f, p), "0");
}

static void session_max_expiry(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f)) {
        return;
    }
    f.policy.idle = 1000; /* only the absolute lifetime (100 s) matters here */
    if (!start(p, &f, 0, &started, &claims)) {
        return;
    }
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(99), &info) == SA_SESSION_VALID);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(100), &info) == SA_SESSION_NONE);
    CHECK_STR(sessions_count(&f, p), "0");

    /* a row whose stored end is far away still ends max seconds after it was created */
    sa_session_info second;
    if (!start(p, &f, 0, &second, &claims)) {
        return;
    }
    CHECK(unit_db_sql(f.db, "UPDATE sessions SET expires = 1800000000") == 0);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(100), &info) == SA_SESSION_VALID);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(101), &info) == SA_SESSION_NONE);
    CHECK_STR(sessions_count(&f, p), "0");
}

static void session_remembered(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f) || !start(p, &f, 1, &started, &claims)) {
        return;
    }
    CHECK(started.remember == 1);
    CHECK(started.expires == T0 + 1000);
    CHECK(claims.expiry == apr_time_from_sec(T0 + 1000));
    CHECK_STR(unit_db_value(f.db, p, "SELECT remember || ' ' || expires FROM sessions"),
              "1 1700001000");
    /* far beyond idle (10) and max (100), never touched: still valid */
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(500), &info) == SA_SESSION_VALID);
    CHECK(info.remember == 1);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(999), &info) == SA_SESSION_VALID);
    /* but not beyond its own end */
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1000), &info) == SA_SESSION_NONE);
    CHECK_STR(sessions_count(&f, p), "0");
}

static void session_remember_off_by_policy(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f)) {
        return;
    }
    f.policy.remember = 0; /* SeancesRememberMe off */
    if (!start(p, &f, 1, &started, &claims)) {
        return;
    }
    CHECK(started.remember == 0);
    CHECK(started.expires == T0 + 100);
    CHECK_STR(unit_db_value(f.db, p, "SELECT remember FROM sessions"), "0");
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(11), &info) == SA_SESSION_NONE);
}

static void session_disabled_user(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f) || !start(p, &f, 1, &started, &claims)) {
        return;
    }
    CHECK(sa_store_user_set_disabled(f.db, p, f.user->id, 1) == APR_SUCCESS);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_NONE);
    CHECK_STR(sessions_count(&f, p), "0");
    /* enabling the account again does not bring the session back */
    CHECK(sa_store_user_set_disabled(f.db, p, f.user->id, 0) == APR_SUCCESS);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(2), &info) == SA_SESSION_NONE);
}

static void session_deleted_user(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims)) {
        return;
    }
    /* even if a row were left behind, a session without its user is dead: sqlite3 (foreign
     * keys off) leaves it, PostgreSQL's ON DELETE CASCADE takes it with the user */
    CHECK(unit_db_sql(f.db, "DELETE FROM users") == 0);
    CHECK_STR(sessions_count(&f, p), sa_db_is_pgsql(f.db) ? "0" : "1");
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_NONE);
}

static void session_user_mismatch(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims)) {
        return;
    }
    CHECK(unit_db_add_user(f.db, p, "bob", "", "hash") != NULL);
    /* alice's session id under bob's name, as someone who can write cookies might try */
    sa_cookie_claims forged;
    const char *cookie = forge_cookie(p, f.crypto, claims.sid, "bob", 0);
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, cookie, at(1), &forged) == SA_SESSION_VALID);
    CHECK_STR(forged.user, "bob");
    CHECK(sa_session_lookup(f.db, p, &f.policy, &forged, at(1), &info) == SA_SESSION_NONE);
    forged.user = "Alice";
    CHECK(sa_session_lookup(f.db, p, &f.policy, &forged, at(1), &info) == SA_SESSION_NONE);
    forged.user = "";
    CHECK(sa_session_lookup(f.db, p, &f.policy, &forged, at(1), &info) == SA_SESSION_NONE);
    /* the real claims still work */
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_VALID);
}

static void session_cookie_expiry(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims, c2;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims)) {
        return;
    }
    /* the cookie's own expiry (as mod_session writes it) is honoured: in the past, no session */
    const char *past = forge_cookie(p, f.crypto, claims.sid, "alice", at(5));
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, past, at(4), &c2) == SA_SESSION_VALID);
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, past, at(6), &c2) == SA_SESSION_NONE);
    /* the session's own cookie, opened after its expiry */
    const char *own = forge_cookie(p, f.crypto, claims.sid, "alice", claims.expiry);
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, own, at(100), &c2) == SA_SESSION_VALID);
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, own, at(101), &c2) == SA_SESSION_NONE);
    /* no expiry at all: the server-side limits decide */
    const char *none = forge_cookie(p, f.crypto, claims.sid, "alice", 0);
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, none, at(1), &c2) == SA_SESSION_VALID);
    CHECK(c2.expiry == 0);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &c2, at(1), &info) == SA_SESSION_VALID);
}

static void session_garbage_cookie(apr_pool_t *p)
{
    fixture f;
    sa_cookie_claims claims;
    if (!setup(p, &f)) {
        return;
    }
    const char *sid = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const char *long_sid = apr_pstrcat(p, sid, sid, sid, sid, NULL); /* 172 characters */
    sa_crypto *other = make_crypto(p, "another-passphrase-0123456789");
    const char *bad[] = {
        "",
        "garbage",
        "!!!!",
        "c2VhbmNlcy1zaWQ9eHgmc2VhbmNlcy11c2VyPWFsaWNl", /* plaintext in base64 */
        other ? forge_cookie(p, other, sid, "alice", 0) : "",
        forge_cookie(p, f.crypto, NULL, "alice", 0),
        forge_cookie(p, f.crypto, sid, NULL, 0),
        forge_cookie(p, f.crypto, NULL, NULL, 0),
        forge_cookie(p, f.crypto, long_sid, "alice", 0),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (sa_session_open_cookie(f.crypto, NULL, p, bad[i], f.now, &claims) != SA_SESSION_NONE) {
            fprintf(stderr, "  garbage cookie %zu was accepted\n", i);
            CHECK(!"garbage accepted");
        }
    }
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, NULL, f.now, &claims) == SA_SESSION_NONE);
    /* a well-formed cookie whose id was never issued */
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, forge_cookie(p, f.crypto, sid, "alice", 0),
                                 f.now, &claims) == SA_SESSION_VALID);
    sa_session_info info;
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, f.now, &info) == SA_SESSION_NONE);
    /* a tampered copy of a real cookie */
    const char *cookie = forge_cookie(p, f.crypto, sid, "alice", 0);
    char *tampered = apr_pstrdup(p, cookie);
    size_t mid = strlen(tampered) / 2;
    tampered[mid] = tampered[mid] == 'A' ? 'B' : 'A';
    CHECK(sa_session_open_cookie(f.crypto, NULL, p, tampered, f.now, &claims) == SA_SESSION_NONE);
}

static void session_db_error(apr_pool_t *p)
{
    fixture f;
    sa_session_info started, info;
    sa_cookie_claims claims;
    const char *cookie = NULL;
    if (!setup(p, &f) || !start(p, &f, 0, &started, &claims)) {
        return;
    }
    CHECK(unit_db_drop_table(f.db, p, "sessions") == 0);
    CHECK(sa_session_lookup(f.db, p, &f.policy, &claims, at(1), &info) == SA_SESSION_DB_ERROR);
    CHECK(sa_session_start(f.db, f.crypto, p, &f.policy, f.user, 0, SA_LEVEL_PASSWORD, "", "",
                           f.now, &cookie, &info) != APR_SUCCESS);
}

/* ---- the cached form ---- */

static sa_session_info cached_session(void)
{
    sa_session_info info = {.id_hash = "h1",
                            .user = "Zo\xc3\xab & <b>",
                            .email = "zoe@example.ch",
                            .user_id = 42,
                            .level = 2,
                            .remember = 0,
                            .created = 1000,
                            .last_seen = 1030,
                            .expires = 1000 + 12 * 3600};
    return info;
}

static int decode_text(apr_pool_t *p, const char *text, sa_session_info *out)
{
    return sa_session_cache_decode(p, text, strlen(text), out);
}

static void session_cache_round_trip(apr_pool_t *p)
{
    sa_session_info in = cached_session(), out;
    const char *text = sa_session_cache_encode(p, &in);
    REQUIRE(sa_session_cache_decode(p, text, strlen(text), &out) == 0);
    CHECK_STR(out.id_hash, "h1");
    CHECK_STR(out.user, in.user);
    CHECK_STR(out.email, "zoe@example.ch");
    CHECK(out.user_id == 42 && out.level == 2 && out.remember == 0);
    CHECK(out.created == 1000 && out.last_seen == 1030 && out.expires == in.expires);
    in.email = "";
    text = sa_session_cache_encode(p, &in);
    REQUIRE(sa_session_cache_decode(p, text, strlen(text), &out) == 0);
    CHECK_STR(out.email, "");
    /* anything else is refused: truncation, another format, a stray line */
    CHECK(sa_session_cache_decode(p, text, strlen(text) - 12, &out) != 0 ||
          strcmp(out.user, in.user) != 0);
    CHECK(decode_text(p, "s2\n1\n1\n0\n1\n1\n1\nh\nu\n", &out) != 0);
    CHECK(decode_text(p, "s1\nx\n1\n0\n1\n1\n1\nh\nu\n", &out) != 0);
    CHECK(decode_text(p, "s1\n1\n1\n0\n1\n1\n1\nh\nu\ne\nextra", &out) != 0);
    CHECK(decode_text(p, "", &out) != 0);
}

static void session_cache_trust(apr_pool_t *p)
{
    (void)p;
    sa_session_info c = cached_session();
    sa_session_policy policy = {.idle = 1800, .max = 12 * 3600, .remember = 30 * 86400};
    sa_cookie_claims claims = {.sid = "s", .user = c.user, .id_hash = "h1", .expiry = 0};
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1040)) ==
          SA_SESSION_VALID);
    /* the cookie of another user, or of another session */
    claims.user = "mallory";
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1040)) ==
          SA_SESSION_NONE);
    claims.user = c.user;
    claims.id_hash = "h2";
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1040)) ==
          SA_SESSION_NONE);
    claims.id_hash = "h1";
    /* last_seen due to be written: ask the database, which writes it */
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1030 + 60)) ==
          SA_SESSION_NONE);
    /* the limits stay exact: idle, absolute, the end of a remembered session */
    policy.idle = 20;
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1051)) ==
          SA_SESSION_NONE);
    policy.idle = 1800;
    policy.max = 35;
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1036)) ==
          SA_SESSION_NONE);
    c.remember = 1;
    c.expires = 1045;
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1040)) ==
          SA_SESSION_VALID);
    CHECK(sa_session_check_cached(&c, &policy, &claims, apr_time_from_sec(1045)) ==
          SA_SESSION_NONE);
}

const unit_test session_tests[] = {
    {"session_cache_round_trip", session_cache_round_trip},
    {"session_cache_trust", session_cache_trust},
    {"session_start_gives_cookie", session_start_gives_cookie},
    {"session_new_id_every_start", session_new_id_every_start},
    {"session_lookup_valid", session_lookup_valid},
    {"session_needs_touch_interval", session_needs_touch_interval},
    {"session_end_revokes", session_end_revokes},
    {"session_idle_expiry", session_idle_expiry},
    {"session_touch_keeps_alive", session_touch_keeps_alive},
    {"session_max_expiry", session_max_expiry},
    {"session_remembered", session_remembered},
    {"session_remember_off_by_policy", session_remember_off_by_policy},
    {"session_disabled_user", session_disabled_user},
    {"session_deleted_user", session_deleted_user},
    {"session_user_mismatch", session_user_mismatch},
    {"session_cookie_expiry", session_cookie_expiry},
    {"session_garbage_cookie", session_garbage_cookie},
    {"session_db_error", session_db_error},
    {NULL, NULL}};
