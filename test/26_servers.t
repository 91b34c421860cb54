# Several servers, one user base: the suite's server (A, connected as seances, the owner) and
# a second Apache (B, started here from test/lib/SeancesServerB.pm, connected as seances_web,
# a role with only the grants of conf/pgsql-grants.sql) on the same PostgreSQL database.  A cookie from one works on
# the other, a logout or a revocation anywhere ends it everywhere, failed logins count toward
# one lockout; PostgreSQL stopped means 503 on both, and once it is back (restarted with and
# without requests in between) both answer at once, with the same processes; and the rows are
# exactly what the test did.
#
# Each server may trust a session the database vouched for during SeancesSessionRecheck (1s,
# the default, on both): what one server does is seen by the other within that time, and a
# database that stops answering shows within it (19_session_cache.t proves the bound on one
# server).
# Checklist (test/SECURITY.md): SEC-87 cluster consistency (PostgreSQL).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use List::Util qw(max);
use Time::HiRes qw(sleep time);
use SeancesTest;
use SeancesLogin;
use SeancesServerB;

only_on('pgsql', 'several servers share one user base through PostgreSQL');
plan tests => 54;
Test::More->builder->failure_output(\*STDERR);

# B stops however this file ends: DESTROY on die and at exit, and exit on a signal.
$SIG{INT} = $SIG{TERM} = sub { exit 1 };

my $cfg = Apache::Test::config();
my $A = 'http://' . Apache::TestRequest::hostport();
my $b_port = 1 + max($cfg->{vars}{port}, map { $_->{port} } values %{ $cfg->{vhosts} });

# the README's least-privilege role for the servers, set up as the README says
is(pg('su', 'postgres', 'DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '
       . q{'seances_web') THEN CREATE ROLE seances_web LOGIN; END IF; END $$}), 0,
   'a role seances_web that owns nothing');
my ($grc, undef, $gerr) = SeancesTest::_run({ as_root => 1 }, 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1',
    '-v', 'role=seances_web', '-f', top_dir() . '/conf/pgsql-grants.sql', '-d', db_path());
is($grc, 0, 'conf/pgsql-grants.sql, run by the owner, gives it what the module needs') or diag $gerr;
(my $web_params = db_path()) =~ s/\buser=seances\b/user=seances_web/;
my $server_b = SeancesServerB->start(port => $b_port, db => $web_params);
my $B = $server_b->base;
END { $server_b->stop if $server_b }
my $log_start = error_log_size();

my $PW = 'un mot de passe pour deux serveurs';
my ($rc) = admin({ stdin => "$PW\n" }, 'user', 'add', 'fran', '--password-stdin');
is($rc, 0, 'fran is added with the CLI');
clear_throttle();
my $fran = sql(q{SELECT id FROM users WHERE name = 'fran'})->[0];

# What the database must hold at the end: one login_events row per attempt that the database
# answered ($result; undef when it was down), one sessions row per login not ended since.
my (@events, $sessions);
sub login {
    my ($base, $pw, $result) = @_;
    my $ua = ua();
    my $r = login_as($ua, 'fran', $pw, base => $base);
    push @events, $result if defined $result;
    $sessions++ if ($result // '') eq 'ok';
    return ($r, $ua);
}
sub app { my ($base, $cookie) = @_; return ua()->get("$base/app/env.pl", cookie_header($cookie)) }
sub failed_page { $_[0]->code == 200 && $_[0]->decoded_content =~ /mot de passe incorrect/ }

my $RECHECK = 1.2;    # SeancesSessionRecheck, and a little more

# The first answer other than 200 within $RECHECK seconds (200 if none).
sub refused_within {
    my ($base, $cookie) = @_;
    my $deadline = time + $RECHECK;
    while (1) {
        my $code = app($base, $cookie)->code;
        return $code if $code != 200 || time > $deadline;
        sleep 0.05;
    }
}

# --- a cookie from A works on B, and the other way round ----------------------------------------
my ($r, $ua_a) = login($A, $PW, 'ok');
is($r->code, 303, 'fran logs in on A');
my $from_a = session_cookie($ua_a);
$r = app($B, $from_a);
is($r->code, 200, "A's cookie opens the app on B");
like($r->content, qr/^REMOTE_USER=fran$/m, 'as fran');
cmp_ok(sql(q{SELECT count(*) FROM pg_stat_activity WHERE usename = 'seances_web'})->[0], '>', 0,
       'B is connected as seances_web');
my ($r2, $ua_b) = login($B, $PW, 'ok');
is($r2->code, 303, 'fran logs in on B');
my $from_b = session_cookie($ua_b);
is(app($A, $from_b)->code, 200, "B's cookie opens the app on A");

# --- logout on A ends the session on B ------------------------------------------------------------
my ($token) = $ua_a->get("$A/logout")->decoded_content =~ /name="csrf" value="([^"]+)"/;
is($ua_a->post("$A/logout", [csrf => $token])->code, 200, 'fran logs out on A');
$sessions--;
is(app($A, $from_a)->code, 302, 'the cookie is refused on A at once');
is(refused_within($B, $from_a), 302, 'and on B within the recheck time');
is(app($B, $from_b)->code, 200, "B's own session is not touched");

# --- sessions NAME --revoke-all ends them on both -------------------------------------------------
(undef, my $ua_a2) = login($A, $PW, 'ok');
my $from_a2 = session_cookie($ua_a2);
is(app($B, $from_a2)->code, 200, 'a second session from A works on B');
my $out;
($rc, $out) = admin('sessions', 'fran', '--revoke-all');
is($rc, 0, 'seances-admin sessions fran --revoke-all');
like($out, qr/2 sessions of fran ended/, 'ends her two sessions');
$sessions -= 2;
is(refused_within($B, $from_a2), 302, "B refuses A's revoked cookie within the recheck time");
is(refused_within($A, $from_b), 302, "A refuses B's revoked cookie");
is(refused_within($B, $from_b), 302, "and B its own");

# --- failed logins on A count toward the lockout on B (SeancesLockout 3 on both) -----------------
ok(failed_page((login($A, "wrong $_", 'bad_password'))[0]), "A: wrong password $_") for 1 .. 2;
ok(failed_page((login($B, 'wrong 3', 'bad_password'))[0]), 'B: a third wrong password');
ok(failed_page((login($B, $PW, 'throttled'))[0]), 'B: now even the right password is refused');
ok(failed_page((login($A, $PW, 'throttled'))[0]), 'A: so it is there');
cmp_ok(sql(q{SELECT banned_until FROM throttle WHERE key = 'user:fran'})->[0], '>', time,
       'one ban, in the database both servers read');
($rc) = admin('unlock', 'fran');
is($rc, 0, 'seances-admin unlock fran');

# --- PostgreSQL stopped: 503 on both, never 200, never 302 for a live cookie ---------------------
(undef, $ua_a) = login($A, $PW, 'ok');
(undef, $ua_b) = login($B, $PW, 'ok');
($from_a, $from_b) = (session_cookie($ua_a), session_cookie($ua_b));
is(app($A, $from_a)->code . ' ' . app($B, $from_b)->code, '200 200', 'fresh sessions on A and B');
my %pids = (A => server_a_pids(), B => $server_b->pids);
my ($off_a, $off_b) = (error_log_size(), $server_b->log_size);

is(pg('stop'), 0, 'PostgreSQL stops');
# within the recheck time a server may still trust what the database said a moment ago; it
# never sends a live cookie to the login form
my $t_stop = time;
my @early;
push @early, map { (app($A, $_)->code, app($B, $_)->code) } ($from_a, $from_b)
    while time < $t_stop + $RECHECK;
is(join(' ', grep { $_ != 200 && $_ != 503 } @early), '',
   'right after: 200 (a validation still fresh) or 503, never a redirect (' . @early . ' requests)');
my @codes = map { (app($A, $_)->code, app($B, $_)->code) } ($from_a, $from_b) x 3;
is_deeply([sort { $a <=> $b } keys %{ { map { $_ => 1 } @codes } }], [503],
          'then every request with a live cookie gets 503, on A and on B (' . @codes . ' requests)');
$r = app($B, $from_a);
is($r->header('Retry-After'), 30, 'with Retry-After');
like($r->decoded_content, qr/Service temporairement indisponible/, 'and the page that says so');
is((login($A, $PW, undef))[0]->code . ' ' . (login($B, $PW, undef))[0]->code, '503 503',
   'logins get 503 on both');
my $actionable = qr/SEANCES030[24]: .*(no database connection from mod_dbd|database failure while)/;
like(error_log_wait($off_a, $actionable, 5) // '', $actionable, "A's log says the database failed");
like($server_b->log_wait($off_b, $actionable, 5) // '', $actionable, "so does B's");
like($server_b->log_wait($off_b, qr/SEANCES0302/, 5) // '',
     qr/check DBDriver\/DBDParams, that the database is up/, 'in words that say what to check');

# --- back, after requests in between: every request answers at once ------------------------------
is(pg('start'), 0, 'PostgreSQL starts again');
my $t0 = time;
@codes = map { (app($A, $from_a)->code, app($B, $from_b)->code) } 1 .. 20;
my $took = time - $t0;
is(join(' ', grep { $_ != 200 } @codes), '', '20 requests on each server, all 200 at once');
cmp_ok($took, '<', 10, sprintf('within seconds (%.1f s for 40)', $took));

# --- restarted without requests in between: the pooled connections repair themselves ------------
($off_a, $off_b) = (error_log_size(), $server_b->log_size);
is(pg('restart'), 0, 'PostgreSQL restarts, no request meanwhile');
sleep $RECHECK;    # so that every request below asks the database
$t0 = time;
@codes = map { (app($A, $from_a)->code, app($B, $from_b)->code) } 1 .. 20;
$took = time - $t0;
is(join(' ', grep { $_ != 200 } @codes), '', '20 requests on each server, all 200 at once');
cmp_ok($took, '<', 10, sprintf('within seconds (%.1f s for 40)', $took));
my $repaired = qr/SEANCES0303: database connection was reset: statements prepared again/;
# a connection that was in use when PostgreSQL went away gets its statements back; one that
# mod_dbd opened afterwards needs nothing: no failure either way
ok(error_log_wait($off_a, $repaired, 5) || $server_b->log_wait($off_b, $repaired, 1),
   'a reset connection re-prepared its statements (SEANCES0303)');
my $failure = qr/SEANCES030[24]/;
ok(!error_log_wait($off_a, $failure, 0) && !$server_b->log_wait($off_b, $failure, 0),
   'and neither server logged a database failure after the restart');

# --- the same processes ---------------------------------------------------------------------------
for my $name (qw(A B)) {
    my $now = $name eq 'A' ? server_a_pids() : $server_b->pids;
    is($now->[0], $pids{$name}[0], "$name: the same parent process");
    my %alive = map { $_ => 1 } @$now;
    is(join(' ', grep { !$alive{$_} } @{ $pids{$name} }), '', "$name: none of its processes was replaced");
}
unlike(scalar error_log_since($log_start), qr/AH00052|exit signal/, 'no child of A died');

# --- the rows: one per thing done, none lost, none twice --------------------------------------
is_deeply(sql(qq{SELECT result FROM login_events WHERE username = 'fran' ORDER BY id}), \@events,
          scalar(@events) . ' login events, in order: ' . join(',', @events));
is(sql(qq{SELECT count(*) FROM sessions WHERE user_id = $fran})->[0], $sessions,
   "$sessions sessions left: the two from before the restarts");
is(sql(qq{SELECT count(*) FROM login_events WHERE username = 'fran' AND result IN ('ok', 'bad_password')
           AND (user_id IS NULL OR user_id <> $fran)})->[0], 0, 'her logins and failures carry her id');
is(sql(q{SELECT count(*) - count(DISTINCT id) FROM login_events})->[0], 0, 'no event id twice');

$server_b->stop;
ok(!$server_b->pids->[0], 'B is stopped');

sub server_a_pids {
    open my $fh, '<', Apache::Test::vars('t_logs') . '/httpd.pid' or return [];
    my ($pid) = (<$fh> // '') =~ /(\d+)/;
    return [ $pid, SeancesServerB::children_of($pid) ];
}
