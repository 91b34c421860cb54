# Issue 13, finding 9: one account per name under RFC 8265's UsernameCaseMapped profile
# (width mapping, Unicode case folding, NFC), and no mixed-script look-alikes. "Émile",
# "émile", "ÉMILE" and a decomposed "E" + U+0301 are one account; a Cyrillic "а" in "аlice"
# is refused where names are made (user add, import-htpasswd). Migration 4 computes the new
# keys of existing accounts, and refuses (changing nothing) when two accounts would become one.
# Checklist: SEC-78 (canonical usernames), SEC-16.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Encode qw(encode);
use File::Temp ();
use SeancesTest;
use SeancesLogin;

plan tests => 23;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

sub b { return encode('UTF-8', shift) }
my $PW = 'a long passphrase for account 75';
my ($rc, $out, $err) = admin({ stdin => "$PW\n" }, 'user', 'add', b('Émile'), '--password-stdin');
is($rc, 0, 'user add Émile') or diag $err;
for (['émile', 'lower case'], ['ÉMILE', 'upper case'], ["E\x{301}mile", 'decomposed (NFD)'],
     ["\x{FF25}mile", 'a fullwidth E (no accent: another name)']) {
    my ($name, $what) = @$_;
    ($rc, $out, $err) = admin({ stdin => "$PW\n" }, 'user', 'add', b($name), '--password-stdin');
    if ($what =~ /another name/) {
        is($rc, 0, "$what: a name of its own") or diag $err;
        admin('user', 'delete', b($name));
    } else {
        isnt($rc, 0, "user add $what of Émile is refused");
        like($err, qr/exists/, '... as an existing account');
    }
}
is(sql(q{SELECT count(*) FROM users WHERE name_key = '} . b('émile') . q{'})->[0], 1,
   'one row, under the key émile');

my $ua = ua();
is(login_as($ua, 'ÉMILE', $PW)->code, 303, 'ÉMILE logs in to the account of Émile');
like(ua()->get('/seances-whoami', Cookie => 'seances_session=' . session_cookie($ua))->decoded_content,
     qr/"user":\s*"\Q${\ b('Émile')}\E"/, 'and is Émile');

# --- mixed scripts ------------------------------------------------------------------------------
for (["\x{430}lice", 'a Cyrillic а in a Latin name'], ["\x{391}lice", 'a Greek Alpha in a Latin name']) {
    my ($name, $what) = @$_;
    ($rc, $out, $err) = admin({ stdin => "$PW\n" }, 'user', 'add', b($name), '--password-stdin');
    ok($rc != 0 && $err =~ /mixes letters of different scripts/, "user add refuses $what") or diag $err;
}
($rc, $out, $err) = admin({ stdin => "$PW\n" }, 'user', 'add', b('Алиса'), '--password-stdin');
is($rc, 0, 'an all-Cyrillic name is fine') or diag $err;
admin('user', 'delete', b('Алиса'));
my $tmp = File::Temp->newdir;
chmod 0755, "$tmp";
open my $fh, '>', "$tmp/h" or die $!;
print $fh b("\x{430}dmin"), ":{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n";
close $fh;
chmod 0644, "$tmp/h";
($rc, $out, $err) = admin('import-htpasswd', "$tmp/h");
like($err, qr/line 1 skipped: the user name mixes letters/, 'import-htpasswd skips a mixed-script name');
admin('user', 'delete', b('Émile'));

# --- migration 4 --------------------------------------------------------------------------------
my $ADMIN = top_dir() . '/seances-admin';
sub cli { my ($db, @a) = @_; return SeancesTest::_run({ as_root => 1 }, $ADMIN, '--dbd', driver(), '--db', $db, @a) }
sub fresh_v3 {
    my ($name, @users) = @_;
    my $db;
    if (driver() eq 'pgsql') {
        system('sh', top_dir() . '/test/pg.sh', 'createdb', $name) == 0 or die "createdb $name";
        $db = pg_params($name);
        sql({ as_root => 1 }, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public', $db);
    } else {
        $db = "$tmp/$name.db";
    }
    (cli($db, 'init'))[0] == 0 or die "init $db";
    my $values = join ', ', map { "('$_->[0]', '$_->[1]', 1700000000)" } @users;
    sql({ as_root => 1 }, b("INSERT INTO users (name, name_key, created) VALUES $values; "
        . "INSERT INTO throttle (key, failures, window_start) VALUES ('user:zoë', 2, 1); "
        . 'UPDATE schema_version SET version = 3'), $db);
    # and without what version 5 added, so that the migration from 3 runs every step
    my $int = driver() eq 'pgsql' ? 'BIGINT' : 'INTEGER';
    sql({ as_root => 1 }, 'DROP TABLE reset_tokens; CREATE TABLE reset_tokens ('
        . "token_hash TEXT PRIMARY KEY, user_id $int NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
        . "created $int NOT NULL, expires $int NOT NULL, used $int NOT NULL DEFAULT 0)", $db);
    sql({ as_root => 1 }, 'ALTER TABLE users DROP COLUMN lang', $db);
    sql({ as_root => 1 }, 'DROP TABLE notice_outbox', $db); # version 6's
    return $db;
}
# keys as versions 1-3 made them: ASCII letters lowered, the rest as typed
my $db = fresh_v3('seances_names75a', ['Émile', 'Émile'], ['ZOË', 'zoË'], ['bob', 'bob']);
($rc, $out, $err) = cli($db, 'migrate');
is($rc, 0, 'migrate from version 3') or diag $err;
is(join(',', @{ sql({ as_root => 1 }, 'SELECT name_key FROM users ORDER BY id', $db) }),
   b('émile,zoë,bob'), 'the keys are case-folded now');
is(sql({ as_root => 1 }, 'SELECT max(version) FROM schema_version', $db)->[0], 6, 'version 6 (4: the keys)');
is(sql({ as_root => 1 }, q{SELECT count(*) FROM throttle WHERE key LIKE 'user:%'}, $db)->[0], 0,
   'the lockout counters under old keys are gone');

$db = fresh_v3('seances_names75b', ['Émile', 'Émile'], ['émile', 'émile'], ['bob', 'bob']);
($rc, $out, $err) = cli($db, 'migrate');
isnt($rc, 0, 'two accounts that would be one: migrate fails');
like($err, qr/"\Q${\ b('Émile')}\E" \(id \d+\) and "\Q${\ b('émile')}\E" \(id \d+\)/,
     'naming both accounts and their ids');
is(join(',', @{ sql({ as_root => 1 }, 'SELECT name_key FROM users ORDER BY id', $db) }),
   b('Émile,émile,bob'), 'and changing nothing');
is(sql({ as_root => 1 }, 'SELECT max(version) FROM schema_version', $db)->[0], 3, 'still version 3');
clear_throttle();
