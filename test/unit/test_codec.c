/* The identity encoding must match httpd 2.4.71 exactly (spec section 1.1), quirks included. */
#include <apr_tables.h>
#include "unit.h"
#include "core/codec.h"

static int entry_count(const apr_table_t *t)
{
    return apr_table_elts(t)->nelts;
}

static void codec_escape_matches_apache_examples(apr_pool_t *p)
{
    CHECK_STR(sa_codec_escape(p, "Zo\xc3\xab & co"), "Zo%c3%ab+%26+co");
    CHECK_STR(sa_codec_escape(p, "p w+&=%\xc3\xa9"), "p+w%2b%26%3d%25%c3%a9");
}

static void codec_escape_keeps_only_alnum_and_four_marks(apr_pool_t *p)
{
    CHECK_STR(sa_codec_escape(p, "azAZ09.-*_"), "azAZ09.-*_");
    CHECK_STR(sa_codec_escape(p, "~!()/'\"?#:;,"), "%7e%21%28%29%2f%27%22%3f%23%3a%3b%2c");
    CHECK_STR(sa_codec_escape(p, "\x01\x7f\xff"), "%01%7f%ff");
    CHECK_STR(sa_codec_escape(p, ""), "");
}

static void codec_encode_writes_table_order_then_expiry(apr_pool_t *p)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_table_set(t, "seances-user", "alice");
    apr_table_set(t, "seances-pw", "s3cret pw");
    CHECK_STR(sa_codec_encode(p, t, 0), "seances-user=alice&seances-pw=s3cret+pw");
    CHECK_STR(sa_codec_encode(p, t, 1795542929000237),
              "seances-user=alice&seances-pw=s3cret+pw&expiry=1795542929000237");
}

static void codec_encode_empty_table(apr_pool_t *p)
{
    apr_table_t *t = apr_table_make(p, 1);
    CHECK_STR(sa_codec_encode(p, t, 0), "");
    CHECK_STR(sa_codec_encode(p, t, 42), "expiry=42");
    CHECK_STR(sa_codec_encode(p, t, -9223372036854775807LL - 1), "expiry=-9223372036854775808");
}

static void codec_encode_never_writes_expiry_twice(apr_pool_t *p)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_table_set(t, "expiry", "99");
    apr_table_set(t, "a", "1");
    apr_table_add(t, "Expiry", "98");
    CHECK_STR(sa_codec_encode(p, t, 123), "a=1&expiry=123");
    CHECK_STR(sa_codec_encode(p, t, 0), "a=1");
}

static void codec_encode_skips_entries_that_cannot_survive_decoding(apr_pool_t *p)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_table_set(t, "", "a");
    apr_table_set(t, "a", "1");
    apr_table_set(t, "b", "");
    CHECK_STR(sa_codec_encode(p, t, 0), "a=1");
}

static void codec_encode_escapes_keys_and_values(apr_pool_t *p)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_table_set(t, "My Realm-user", "Zo\xc3\xab & co");
    apr_table_set(t, "My Realm-pw", "p w+&=%\xc3\xa9");
    CHECK_STR(sa_codec_encode(p, t, 0),
              "My+Realm-user=Zo%c3%ab+%26+co&My+Realm-pw=p+w%2b%26%3d%25%c3%a9");
}

static void codec_round_trip(apr_pool_t *p)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_time_t expiry = -1;
    apr_table_t *back;
    apr_table_set(t, "seances-user", "Zo\xc3\xab & co");
    apr_table_set(t, "k=&+%", "x==y&z=1=2 %00");
    apr_table_set(t, "plain", "value");
    back = sa_codec_decode(p, sa_codec_encode(p, t, 1795542929000237), &expiry);
    CHECK(entry_count(back) == 3);
    CHECK_STR(apr_table_get(back, "seances-user"), "Zo\xc3\xab & co");
    CHECK_STR(apr_table_get(back, "k=&+%"), "x==y&z=1=2 %00");
    CHECK_STR(apr_table_get(back, "plain"), "value");
    CHECK(expiry == 1795542929000237);
}

static void codec_decode_apache_login_session(apr_pool_t *p)
{
    apr_time_t expiry = 0;
    apr_table_t *t = sa_codec_decode(
        p, "expiry=1795542929000237&seances-user=alice&seances-pw=s3cret-pw", &expiry);
    CHECK(expiry == 1795542929000237);
    CHECK(entry_count(t) == 2);
    CHECK(apr_table_get(t, "expiry") == NULL);
    CHECK_STR(apr_table_get(t, "seances-user"), "alice");
    CHECK_STR(apr_table_get(t, "seances-pw"), "s3cret-pw");
}

static void codec_decode_value_runs_to_end_of_piece(apr_pool_t *p)
{
    apr_table_t *t = sa_codec_decode(p, "x==y&z=1=2&w=a=", NULL);
    CHECK_STR(apr_table_get(t, "x"), "=y");
    CHECK_STR(apr_table_get(t, "z"), "1=2");
    CHECK_STR(apr_table_get(t, "w"), "a=");
    CHECK(entry_count(t) == 3);
}

static void codec_decode_skips_empty_pieces(apr_pool_t *p)
{
    apr_table_t *t = sa_codec_decode(p, "&&a=1&&&b=2&", NULL);
    CHECK(entry_count(t) == 2);
    CHECK_STR(apr_table_get(t, "a"), "1");
    CHECK_STR(apr_table_get(t, "b"), "2");
    CHECK(entry_count(sa_codec_decode(p, "&&", NULL)) == 0);
    CHECK(entry_count(sa_codec_decode(p, "&", NULL)) == 0);
}

static void codec_decode_skips_leading_equals(apr_pool_t *p)
{
    apr_table_t *t = sa_codec_decode(p, "==k=v&===&=", NULL);
    CHECK(entry_count(t) == 1);
    CHECK_STR(apr_table_get(t, "k"), "v");
    /* "=a" is key "a" without a value, so it deletes a. */
    t = sa_codec_decode(p, "a=1&=a", NULL);
    CHECK(entry_count(t) == 0);
}

static void codec_decode_empty_or_missing_value_removes_key(apr_pool_t *p)
{
    apr_table_t *t = sa_codec_decode(p, "seances-user=alice&b=2&seances-user=", NULL);
    CHECK(apr_table_get(t, "seances-user") == NULL);
    CHECK_STR(apr_table_get(t, "b"), "2");
    t = sa_codec_decode(p, "a=1&A&b=2", NULL);
    CHECK(apr_table_get(t, "a") == NULL);
    CHECK(entry_count(t) == 1);
    t = sa_codec_decode(p, "lonely", NULL);
    CHECK(entry_count(t) == 0);
}

static void codec_decode_removal_uses_key_as_written(apr_pool_t *p)
{
    /* httpd unsets before unescaping: "My+Realm-user=" does not remove "My Realm-user". */
    apr_table_t *t = sa_codec_decode(p, "My+Realm-user=x&My+Realm-user=", NULL);
    CHECK_STR(apr_table_get(t, "My Realm-user"), "x");
    t = sa_codec_decode(p, "a=1&b=2&a=", NULL);
    CHECK(apr_table_get(t, "a") == NULL);
}

static void codec_decode_unescapes_plus_and_hex_in_either_case(apr_pool_t *p)
{
    apr_table_t *t =
        sa_codec_decode(p, "My+Realm-user=Zo%C3%AB+%26+co&pw=p+w%2b%26%3d%25%c3%a9", NULL);
    CHECK_STR(apr_table_get(t, "My Realm-user"), "Zo\xc3\xab & co");
    CHECK_STR(apr_table_get(t, "pw"), "p w+&=%\xc3\xa9");
}

static void codec_decode_drops_pairs_with_bad_escapes(apr_pool_t *p)
{
    apr_table_t *t =
        sa_codec_decode(p, "a=%zz&b=ok&c=%4&d=%00&e=x%4&f=%&%zz=1&g=%g0&h=%0g&i=%1", NULL);
    CHECK(entry_count(t) == 1);
    CHECK_STR(apr_table_get(t, "b"), "ok");
}

static void codec_decode_bad_pair_keeps_earlier_value(apr_pool_t *p)
{
    apr_table_t *t = sa_codec_decode(p, "a=1&a=%zz&b=2&b=x%00y", NULL);
    CHECK_STR(apr_table_get(t, "a"), "1");
    CHECK_STR(apr_table_get(t, "b"), "2");
}

static void codec_decode_expiry_parses_like_strtoll(apr_pool_t *p)
{
    apr_time_t expiry = 77;
    apr_table_t *t = sa_codec_decode(p, "expiry=abc&a=1", &expiry);
    CHECK(expiry == 0);
    CHECK(entry_count(t) == 1);
    sa_codec_decode(p, "expiry=12abc", &expiry);
    CHECK(expiry == 12);
    sa_codec_decode(p, "expiry=-5", &expiry);
    CHECK(expiry == -5);
    sa_codec_decode(p, "expiry=+7", &expiry);
    CHECK(expiry == 7);
    sa_codec_decode(p, "expiry=1&expiry=2", &expiry);
    CHECK(expiry == 2);
    sa_codec_decode(p, "a=1", &expiry);
    CHECK(expiry == 0);
    sa_codec_decode(p, "expiry=99999999999999999999", &expiry);
    CHECK(expiry == 9223372036854775807LL);
}

static void codec_decode_expiry_name_is_case_sensitive(apr_pool_t *p)
{
    /* httpd compares the unescaped key with strcmp, so "EXPIRY" is an ordinary entry. */
    apr_time_t expiry = 5;
    apr_table_t *t = sa_codec_decode(p, "EXPIRY=7&%65xpiry=9", &expiry);
    CHECK(expiry == 9);
    CHECK_STR(apr_table_get(t, "EXPIRY"), "7");
    CHECK(entry_count(t) == 1);
}

static void codec_decode_keys_are_case_insensitive_last_wins(apr_pool_t *p)
{
    apr_table_t *t = sa_codec_decode(p, "seances-user=alice&SEANCES-USER=bob", NULL);
    CHECK(entry_count(t) == 1);
    CHECK_STR(apr_table_get(t, "seances-user"), "bob");
    CHECK_STR(apr_table_get(t, "Seances-User"), "bob");
}

static void codec_decode_null_and_empty_input(apr_pool_t *p)
{
    apr_time_t expiry = 3;
    CHECK(entry_count(sa_codec_decode(p, NULL, &expiry)) == 0);
    CHECK(expiry == 0);
    expiry = 3;
    CHECK(entry_count(sa_codec_decode(p, "", &expiry)) == 0);
    CHECK(expiry == 0);
}

static void codec_decode_does_not_modify_input(apr_pool_t *p)
{
    char input[] = "a=%41&b=c+d";
    sa_codec_decode(p, input, NULL);
    CHECK_STR(input, "a=%41&b=c+d");
}

const unit_test codec_tests[] = {
    {"codec_escape_matches_apache_examples", codec_escape_matches_apache_examples},
    {"codec_escape_keeps_only_alnum_and_four_marks", codec_escape_keeps_only_alnum_and_four_marks},
    {"codec_encode_writes_table_order_then_expiry", codec_encode_writes_table_order_then_expiry},
    {"codec_encode_empty_table", codec_encode_empty_table},
    {"codec_encode_never_writes_expiry_twice", codec_encode_never_writes_expiry_twice},
    {"codec_encode_skips_entries_that_cannot_survive_decoding",
     codec_encode_skips_entries_that_cannot_survive_decoding},
    {"codec_encode_escapes_keys_and_values", codec_encode_escapes_keys_and_values},
    {"codec_round_trip", codec_round_trip},
    {"codec_decode_apache_login_session", codec_decode_apache_login_session},
    {"codec_decode_value_runs_to_end_of_piece", codec_decode_value_runs_to_end_of_piece},
    {"codec_decode_skips_empty_pieces", codec_decode_skips_empty_pieces},
    {"codec_decode_skips_leading_equals", codec_decode_skips_leading_equals},
    {"codec_decode_empty_or_missing_value_removes_key",
     codec_decode_empty_or_missing_value_removes_key},
    {"codec_decode_removal_uses_key_as_written", codec_decode_removal_uses_key_as_written},
    {"codec_decode_unescapes_plus_and_hex_in_either_case",
     codec_decode_unescapes_plus_and_hex_in_either_case},
    {"codec_decode_drops_pairs_with_bad_escapes", codec_decode_drops_pairs_with_bad_escapes},
    {"codec_decode_bad_pair_keeps_earlier_value", codec_decode_bad_pair_keeps_earlier_value},
    {"codec_decode_expiry_parses_like_strtoll", codec_decode_expiry_parses_like_strtoll},
    {"codec_decode_expiry_name_is_case_sensitive", codec_decode_expiry_name_is_case_sensitive},
    {"codec_decode_keys_are_case_insensitive_last_wins",
     codec_decode_keys_are_case_insensitive_last_wins},
    {"codec_decode_null_and_empty_input", codec_decode_null_and_empty_input},
    {"codec_decode_does_not_modify_input", codec_decode_does_not_modify_input},
    {NULL, NULL}};
