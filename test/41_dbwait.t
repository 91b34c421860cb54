# A database locked by another process for longer than SeancesDatabaseWait: a themed 503 with
# Retry-After and a log line naming the cause, after a bounded wait, never the length of the
# lock; recovery as soon as the lock ends.
use strict;
use warnings;

use Time::HiRes qw(time sleep);

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesReliability;

only_on('sqlite3', 'a sqlite file locked by the sqlite3 tool');
plan tests => 19;
Test::More->builder->failure_output(\*STDERR);

my $db = Apache::Test::vars('t_state') . '/reliab.db';
my $PW = 'a reliable password 2026';
my ($rc) = admin({db => $db, stdin => "$PW\n"}, 'user', 'add', 'rita', '--password-stdin');
is($rc, 0, 'a user in reliab.db');

Apache::TestRequest::module('seances_reliab');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

my $ua = ua();
is(login_as($ua, 'rita', $PW, base => $base)->code, 303, 'rita logs in');
is($ua->get("$base/app/env.pl")->code, 200, 'and sees the app');
my $ok_rows = sub { sql(q{SELECT count(*) FROM login_events WHERE result = 'ok'}, $db)->[0] };
is($ok_rows->(), 1, 'one ok row');

my $before = status_counters('');
my $lock = hold_lock($db, 5);
my $off = error_log_size();

# reads go on: sqlite in WAL mode lets readers past a writer
my $t = time;
my $r = $ua->get("$base/app/env.pl");
is($r->code, 200, 'during the lock a page with a valid session still answers 200');
ok(time - $t < 2.5, sprintf('at once (%.2fs)', time - $t));

# a login needs the write lock
my ($lua, $token) = csrf_session($base);
$t = time;
$r = $lua->post("$base/login", [username => 'rita', password => $PW, return => '/app/env.pl',
                                csrf => $token]);
my $took = time - $t;
is($r->code, 503, 'a login during the lock gets 503');
# 1 s of SeancesDatabaseWait; with sqlite, apr-util's driver adds up to 1.6 s of its own
ok($took >= 0.8 && $took < 3.2, sprintf('after a bounded wait (%.2fs), not the 5 s of the lock', $took));
ok(time < $lock->{until}, 'while the lock was still held');
is($r->header('Retry-After'), '30', 'with Retry-After');
like($r->decoded_content, qr/Service temporairement indisponible/, 'the themed page');
ok(error_log_wait($off, qr/SEANCES0305: the database stayed locked longer than SeancesDatabaseWait/, 5),
   'the error log names the cause (SEANCES0305)');

release_wait($lock);
my $ended = time;
$r = login_as(ua(), 'rita', $PW, base => $base);
is($r->code, 303, 'once the lock is gone, logins work again');
ok(time - $ended < 1, sprintf('within a second of its end (%.2fs)', time - $ended));
is($ok_rows->(), 2, 'the 503 left no row; the login after it one');
is(sql(q{SELECT count(*) FROM login_events}, $db)->[0], 2, 'no other row either');

my $after = status_counters('');
my $delta = sub { ($after->{$_[0]} // 0) - ($before->{$_[0]} // 0) };
is($delta->('seances_database_errors_total{kind="busy"}'), 1, 'the busy error is counted once');
is($delta->('seances_logins_total{result="unavailable"}'), 1, 'and the login as unavailable');
is($delta->('seances_logins_total{result="ok"}'), 1, 'one ok login');
