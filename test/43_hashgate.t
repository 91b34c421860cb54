# SeancesHashConcurrency: at most N password checks at once per process; the others wait their
# turn in a bounded queue, and a full queue answers 503 at once.
# Checklist (test/SECURITY.md): SEC-88 bounded cost of password hashing.
use strict;
use warnings;

use Time::HiRes qw(time);

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesReliability;

plan tests => 13;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $PW = 'correct horse battery staple';

sub base_of {
    Apache::TestRequest::module(shift);
    my $base = 'http://' . Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    return $base;
}

sub parallel_logins {
    my ($base, $n) = @_;
    my @sessions = map { [csrf_session($base)] } 1 .. $n;
    return in_parallel($n, sub {
        my ($ua, $token) = @{ $sessions[shift] };
        my $r = $ua->post("$base/login", [username => 'alice', password => $PW,
                                          return => '/app/env.pl', csrf => $token]);
        my $themed = $r->decoded_content =~ /Service temporairement indisponible/ ? 1 : 0;
        return join ' ', $r->code, $r->header('Retry-After') // '-', $themed;
    });
}

my $ok_rows = sub { sql(q{SELECT count(*) FROM login_events WHERE result = 'ok'})->[0] };
my $delta = sub { my ($a, $b, $k) = @_; ($b->{$k} // 0) - ($a->{$k} // 0) };

# --- one at a time, room for all to wait ----------------------------------------------------
my $rows = $ok_rows->();
my $before = status_counters('');
my @res = parallel_logins(base_of('seances_gate_wait'), 16);
my $after = status_counters('');
is(scalar(grep { /^303 / } @res), 16, '16 parallel logins, one check at a time: all succeed')
    or diag("@res");
ok($delta->($before, $after, 'seances_password_checks_waited_total') >= 1,
   'some waited for their turn (' . $delta->($before, $after, 'seances_password_checks_waited_total') . ')');
is($delta->($before, $after, 'seances_password_checks_total'), 16, 'each got its turn once');
is($delta->($before, $after, 'seances_password_checks_refused_total{reason="queue_full"}')
   + $delta->($before, $after, 'seances_password_checks_refused_total{reason="wait_expired"}'),
   0, 'none was refused');
is($ok_rows->() - $rows, 16, 'one ok row each');
is($after->{seances_password_checks_running}, 0, 'no check runs any more');
is($after->{seances_password_checks_queued}, 0, 'nobody waits any more');

# --- one at a time, no room to wait -----------------------------------------------------------
$rows = $ok_rows->();
$before = status_counters('');
my $off = error_log_size();
@res = parallel_logins(base_of('seances_gate_full'), 16);
$after = status_counters('');
my @ok = grep { /^303 / } @res;
my @busy = grep { /^503 / } @res;
is(@ok + @busy, 16, 'every login got 303 or 503') or diag("@res");
ok(@busy >= 1, scalar(@busy) . ' of 16 found no room: 503');
ok(!grep({ !/^503 30 1$/ } @busy), 'each 503 is the themed page with Retry-After');
is($delta->($before, $after, 'seances_password_checks_refused_total{reason="queue_full"}'),
   scalar(@busy), 'each refusal is counted');
ok(error_log_wait($off, qr/SEANCES0109: too many password checks at once/, 5),
   'and logged (SEANCES0109)');
is($ok_rows->() - $rows, scalar(@ok), 'only the logins that got in left a row');
clear_throttle();
