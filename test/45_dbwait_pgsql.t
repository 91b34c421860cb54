# PostgreSQL: a table locked by another session for longer than SeancesDatabaseWait. The
# module's connections run with lock_timeout set to it: a login answers the themed 503 after
# about that long, with the cause in the log, and works again once the lock is gone.
use strict;
use warnings;

use POSIX ();
use Time::HiRes qw(time);

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;
use SeancesReliability;

only_on('pgsql', 'a PostgreSQL table locked by another session');
plan tests => 8;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $PW = 'correct horse battery staple';

# Another session holds the throttle table (every login reads it) for $secs seconds; returns
# once the server shows the lock granted.
sub lock_table {
    my ($secs) = @_;
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', '/dev/null' or POSIX::_exit(126);
        exec 'psql', '-X', '-q', '-d', db_path(), '-c',
            "BEGIN; LOCK TABLE throttle IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep($secs); COMMIT;"
            or POSIX::_exit(127);
    }
    my $start = time;
    my $granted = q{SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation }
        . q{WHERE c.relname = 'throttle' AND l.mode = 'AccessExclusiveLock' AND l.granted};
    while (time - $start < $secs) {
        return { pid => $pid, until => $start + $secs } if sql($granted)->[0];
        select undef, undef, undef, 0.05;
    }
    die "psql could not lock the throttle table\n";
}

my $before = status_counters('');
my $lock = lock_table(5);
my $off = error_log_size();
my $t = time;
my $r = login_as(ua(), 'alice', $PW);
my $took = time - $t;
is($r->code, 503, 'a login during the lock gets 503');
ok($took >= 1.5 && $took < 4, sprintf('after SeancesDatabaseWait (2 s): %.2f s, not the 5 s of the lock', $took));
ok(time < $lock->{until}, 'while the lock was still held');
like($r->decoded_content, qr/Service temporairement indisponible/, 'the themed page');
ok(error_log_wait($off, qr/SEANCES0305: the database stayed locked longer than SeancesDatabaseWait/, 5),
   'the error log names the cause (SEANCES0305)');
waitpid $lock->{pid}, 0;
my $ended = time;
is(login_as(ua(), 'alice', $PW)->code, 303, 'once the lock is gone, logins work again');
ok(time - $ended < 1.5, sprintf('at once (%.2f s)', time - $ended));
my $after = status_counters('');
is(($after->{'seances_database_errors_total{kind="busy"}'} // 0)
   - ($before->{'seances_database_errors_total{kind="busy"}'} // 0), 1, 'counted as busy');
clear_throttle();
