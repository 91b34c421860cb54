# seances-status: the operators' counters, shared by all children, in Prometheus text and as
# HTML; access is the admin's Require. The counters move by exactly what this test does.
# Checklist (test/SECURITY.md): SEC-68 only the needed methods.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;
use SeancesReliability;

plan tests => 27;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ALICE = 'correct horse battery staple';
my $BOB = 'the builder has a passphrase 2026';

# --- access and formats --------------------------------------------------------------------
is(ua()->get('/seances-status-closed')->code, 403, 'where the admin denies it: 403');
my $r = ua()->get('/seances-status');
is($r->code, 200, 'the page, for the allowed address');
like($r->header('Content-Type'), qr{^text/html}, 'HTML by default');
like($r->decoded_content, qr{<td>seances_logins_total</td><td>result=&quot;ok&quot;</td>},
     'a table of the counters');
is($r->header('Cache-Control'), 'no-store', 'not cached');
$r = ua()->get('/seances-status?auto');
like($r->header('Content-Type'), qr{^text/plain; version=0\.0\.4}, '?auto: Prometheus text');
like($r->decoded_content, qr/^# TYPE seances_logins_total counter$/m, 'with TYPE lines');
like($r->decoded_content, qr/^seances_database_up 1$/m, 'the database answers');
$r = ua()->get('/seances-status', Accept => 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1');
like($r->header('Content-Type'), qr{^text/plain}, "Prometheus's Accept gets the text");
is(ua()->post('/seances-status', [a => 1])->code, 405, 'GET only');

# --- the counters move by what happened ------------------------------------------------------
my $before = status_counters('');
my $ua = ua();
is(login_as($ua, 'alice', $ALICE)->code, 303, 'alice logs in');
is(login_as(ua(), 'alice', $ALICE)->code, 303, 'twice');
is(login_as(ua(), 'bob', 'wrong')->code, 200, "bob's wrong password") for 1 .. 3;
like(login_as(ua(), 'bob', $BOB)->decoded_content, qr/name="username"/,
     'then bob is throttled (the form again)');
# the session cache (SeancesSessionRecheck 1s on this server): asked, then remembered
is($ua->get('/app/env.pl')->code, 200, 'a page') for 1 .. 2;
my $after = status_counters('');
my $delta = sub { ($after->{$_[0]} // 0) - ($before->{$_[0]} // 0) };
is($delta->('seances_logins_total{result="ok"}'), 2, 'ok: +2');
is($delta->('seances_logins_total{result="failed"}'), 3, 'failed: +3');
is($delta->('seances_logins_total{result="throttled"}'), 1, 'throttled: +1');
is($delta->('seances_password_checks_total'), 6, 'password checks: +6');
is($delta->('seances_sessions_live'), 2, 'live sessions: +2');
ok($delta->('seances_session_cache_total{result="miss"}') >= 1, 'a cache miss (the first page)');
ok($delta->('seances_session_cache_total{result="hit"}') >= 1, 'a cache hit (the second)');

# --- the counters are shared and survive a graceful restart ---------------------------------
graceful_restart();
my $again = status_counters('');
is($again->{'seances_logins_total{result="ok"}'}, $after->{'seances_logins_total{result="ok"}'},
   'a graceful restart keeps the counts');

# --- who am I, at its own URL now ------------------------------------------------------------
$r = $ua->get('/seances-whoami');
like($r->decoded_content, qr/"authenticated":true,"user":"alice"/, 'seances-whoami: alice');
clear_throttle();
