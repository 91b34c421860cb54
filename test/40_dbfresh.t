# A database that is busy while connections are new: the bounded busy wait applies from a
# connection's first statement. (mod_dbd used to prepare our statements on a new connection
# before any busy timeout: "database is locked", AH00632, 503.)
use strict;
use warnings;

use List::Util qw(max);
use Time::HiRes qw(time);

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesReliability;

only_on('sqlite3', 'sqlite files locked by the sqlite3 tool under new connections');
plan tests => 12;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $N = 8;
my $fresh = Apache::Test::vars('t_state') . '/fresh.db';

# --- every request on a new connection, rollback journal, a writer holding the lock -------
# (in rollback-journal mode a writer's lock stops readers too: the harder case)
is(sql('PRAGMA journal_mode = DELETE', $fresh)->[0], 'delete', 'fresh.db in rollback-journal mode');
my ($rc) = admin({db => $fresh, stdin => "a fresh connection password\n"},
                 'user', 'add', 'frank', '--password-stdin');
is($rc, 0, 'a user in fresh.db');

Apache::TestRequest::module('seances_fresh');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

sub logins_during_lock {
    my ($db, $secs, $base_url, $user, $password) = @_;
    my @sessions = map { [csrf_session($base_url)] } 1 .. $N;
    my $lock = hold_lock($db, $secs);
    my @res = in_parallel($N, sub {
        my ($ua, $token) = @{ $sessions[shift] };
        my $t = time;
        my $r = $ua->post("$base_url/login", [username => $user, password => $password,
                                              return => '/app/env.pl', csrf => $token]);
        return sprintf '%d %.2f', $r->code, time - $t;
    });
    release_wait($lock);
    return @res;
}

my $off = error_log_size();
my @res = logins_during_lock($fresh, 1, $base, 'frank', 'a fresh connection password');
is(scalar(grep { /^303 / } @res), $N, "$N logins on new connections during a 1 s lock all succeed")
    or diag("status and seconds: @res");
my $slowest = max(map { (split / /)[1] // 0 } @res);
ok($slowest >= 0.3, "they waited for the lock (slowest ${slowest}s)");
ok($slowest < 3 + 1, 'no longer than SeancesDatabaseWait (3s) and some slack');
my $log = error_log_since($off);
unlike($log, qr/database is locked|AH00632/, 'no "database is locked" in the error log');
unlike($log, qr/SEANCES030[2-9]|SEANCES031/, 'no database failure logged');
is(sql(q{SELECT count(*) FROM login_events WHERE result = 'ok'}, $fresh)->[0], $N,
   'one ok row per login');

# --- the main server right after a graceful restart, WAL, a writer holding the lock -------
graceful_restart();
$off = error_log_size();
# (on seances_timing, the main server's database with a lockout that lets 8 parallel logins of
# one account through: each is counted before its hash since issue 13, finding 2)
Apache::TestRequest::module('seances_timing');
my $timing = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');
@res = logins_during_lock(db_path(), 0.5, $timing, 'alice', 'correct horse battery staple');
is(scalar(grep { /^303 / } @res), $N, "$N logins right after a graceful restart during a 0.5 s lock")
    or diag("status and seconds: @res");
$log = error_log_since($off);
unlike($log, qr/database is locked|AH00632/, 'no "database is locked"');
unlike($log, qr/SEANCES030[2-9]|SEANCES031/, 'no database failure logged');
my $ua = ua();
is(login_as($ua, 'alice', 'correct horse battery staple')->code, 303, 'and logins go on after it');
clear_throttle();
