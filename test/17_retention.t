# Retention: the running server removes ended sessions, login events older than
# SeancesRetention (365 days here) and spent throttle counters in the background of requests,
# and logs what it removed (SEANCES0901); "seances-admin purge" does the same to the end.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;

plan tests => 16;
Test::More->builder->failure_output(\*STDERR);

my $now = time;
my $day = 86400;
my $uid = sql("SELECT id FROM users WHERE name = 'bob'")->[0];
sub count { return sql(shift)->[0] }

my $events_before = count("SELECT count(*) FROM login_events WHERE username = 'retention-probe'");
is($events_before, 0, 'no probe events yet');
sql("INSERT INTO login_events (time, user_id, username, result) VALUES "
    . join(', ', map { sprintf "(%d, %d, 'retention-probe', 'ok')", $now - 400 * $day - $_, $uid } 1 .. 5)
    . sprintf(", (%d, %d, 'retention-probe', 'ok')", $now - 300 * $day, $uid));
sql(sprintf "INSERT INTO sessions (id_hash, user_id, created, last_seen, expires) VALUES "
    . "('retention-ended', %d, %d, %d, %d), ('retention-live', %d, %d, %d, %d)",
    $uid, $now - 2 * $day, $now - 2 * $day, $now - $day, $uid, $now, $now, $now + 3600);
sql(sprintf "INSERT INTO throttle (key, failures, window_start, banned_until) VALUES "
    . "('ip:192.0.2.77', 2, %d, 0), ('ip:192.0.2.78', 2, %d, 0), ('ip:192.0.2.79', 0, %d, %d)",
    $now - 2 * 3600, $now - 60, $now - 2 * 3600, $now + 3600);

my $off = error_log_size();
sleep 2;    # SeancesHousekeeping 1s: the next request of a process runs a round
my $line;
for (1 .. 10) {
    ua()->get('/app/env.pl');
    last if $line = error_log_wait($off, qr/SEANCES0901/, 1);
}
ok($line, 'a housekeeping round ran and logged SEANCES0901');
like($line // '', qr/removed \d+ ended sessions, \d+ login events older than the retention, \d+ spent throttle counters/, 'saying what it removed');
is(count("SELECT count(*) FROM login_events WHERE username = 'retention-probe'"), 1, 'events older than 365 days are gone, the newer one stays');
is(count("SELECT count(*) FROM sessions WHERE id_hash = 'retention-ended'"), 0, 'the ended session is gone');
is(count("SELECT count(*) FROM sessions WHERE id_hash = 'retention-live'"), 1, 'the live session stays');
is(count("SELECT count(*) FROM throttle WHERE key = 'ip:192.0.2.77'"), 0, 'a spent counter is gone');
is(count("SELECT count(*) FROM throttle WHERE key = 'ip:192.0.2.78'"), 1, 'a counter inside its window stays');
is(count("SELECT count(*) FROM throttle WHERE key = 'ip:192.0.2.79'"), 1, 'a running ban stays');
sql("DELETE FROM sessions WHERE id_hash = 'retention-live'");
sql("DELETE FROM throttle WHERE key LIKE 'ip:192.0.2.7%'");

# ---- seances-admin purge on a database of its own ----
my $dir = File::Temp->newdir;
my $db  = driver() eq 'pgsql' ? pg_params('seances_purge') : "$dir/purge.db";
driver() ne 'pgsql' or pg('createdb', 'seances_purge') == 0 or die "cannot create seances_purge\n";
admin({ db => $db, as_root => 1 }, 'init');
sql({ as_root => 1 }, "INSERT INTO login_events (time, username, result) VALUES "
    . join(', ', map { sprintf "(%d, 'x', 'unknown_user')", $now - 40 * $day - $_ } 1 .. 2500)
    . sprintf(", (%d, 'x', 'unknown_user')", $now), $db);
my ($rc, $out, $err) = admin({ db => $db, as_root => 1 }, 'purge', '--retention', '30d');
is($rc, 0, 'purge --retention 30d runs') or diag $err;
like($out, qr/removed 0 ended sessions, 2500 login events older than 30d, 0 spent throttle counters/, 'in several rounds, to the end');
is(sql({ as_root => 1 }, 'SELECT count(*) FROM login_events', $db)->[0], 1, 'only the recent event is left');
($rc, $out, $err) = admin({ db => $db, as_root => 1 }, 'purge', '--retention', '2h');
is($rc, 1, 'a retention under a day is refused');
like($err, qr/--retention takes a duration of at least 1d/, 'with a clear message');

# ---- directives ----
my ($trc, $text) = apache_t("SeancesRetention 12h\n");
isnt($trc, 0, 'SeancesRetention under a day fails apachectl -t');
like($text, qr/SeancesRetention: keep at least one day/, 'naming the directive');
