# PostgreSQL under the running Apache (the seances_pg server: a UTF-8 database whose locale is
# not C): login and sessions work, also for a name beyond ASCII; a missing privilege is logged
# as what it is; a server restart is survived (the pooled connections lose their prepared
# statements); a stopped server means 503, never 200.
# Checklist (test/SECURITY.md): SEC-21 fail closed.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use Encode qw(encode_utf8);
use SeancesTest;
use SeancesLogin;

only_on('pgsql', 'PostgreSQL restarted under the running Apache');
plan tests => 22;
Test::More->builder->failure_output(\*STDERR);

Apache::TestRequest::module('seances_pg');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');
my $db = pg_params('seances_utf8');
my $ELODIE = 'Élodie Müller';

is(sql("SELECT datcollate FROM pg_database WHERE datname = current_database()", $db)->[0],
   Apache::Test::vars('seances_pg_locale'), 'the database has a locale other than C');

my $ua = ua();
my $r = login_as($ua, 'pat', 'a long password for the pg user', base => $base);
is($r->code, 303, 'pat logs in against PostgreSQL');
$r = $ua->get("$base/app/env.pl");
is($r->code, 200, 'and sees the app');
like($r->content, qr/^REMOTE_USER=pat$/m, 'as pat');
$r = login_as(ua(), 'pat', 'not the password', base => $base);
like($r->decoded_content, qr/mot de passe incorrect/, 'a wrong password is refused');

# --- a name beyond ASCII, in and out of the database ---------------------------------------------
my $elodie = ua();
# character strings: LWP sends them as UTF-8 (bytes would be encoded twice)
$r = login_as($elodie, $ELODIE, "le mot de passe d'Élodie", base => $base);
is($r->code, 303, "a user whose name is beyond ASCII logs in");
like($elodie->get("$base/app/env.pl")->content, qr/^REMOTE_USER=\Q${\ encode_utf8($ELODIE)}\E$/m,
     'REMOTE_USER is her name, byte for byte');
my ($rc, $out) = admin({ db => $db }, 'user', 'list');
like($out, qr/^\Q${\ encode_utf8($ELODIE)}\E\telodie\@example\.ch\t/m, 'the CLI lists it as it was added');
is(sql("SELECT name FROM users WHERE name_key = 'élodie müller'", $db)->[0], encode_utf8($ELODIE),
   'stored as UTF-8, its key case-folded (RFC 8265, issue 13)');

# --- a privilege the role lacks: the log names it ----------------------------------------------------
is(pg('su', 'seances_utf8', 'REVOKE SELECT ON throttle FROM seances'), 0,
   'SELECT on throttle is revoked from seances');
my $off = error_log_size();
$r = login_as(ua(), 'pat', 'a long password for the pg user', base => $base);
is($r->code, 503, 'a login then gets 503');
my $line = error_log_wait($off, qr/SEANCES0304/, 5) // '';
like($line, qr/permission denied for table throttle/, 'and the log line says which privilege is missing')
    or diag $line;
pg('su', 'seances_utf8', 'GRANT SELECT ON throttle TO seances');
is(login_as(ua(), 'pat', 'a long password for the pg user', base => $base)->code, 303,
   'with the privilege back, logins work on the same connections');

# --- restart and stop ---------------------------------------------------------------------------
# an ended session for the housekeeping (SeancesHousekeeping 1s) to remove after the restart
my $now = time;
sql("INSERT INTO sessions (id_hash, user_id, created, last_seen, expires) SELECT 'hk-ended', id, "
    . ($now - 7200) . ', ' . ($now - 7200) . ', ' . ($now - 3600) . " FROM users WHERE name = 'pat'", $db);
is(pg('restart'), 0, 'PostgreSQL restarts under the running Apache');

# requests without a cookie need no database; the housekeeping after them is then the first to
# use a pooled connection, and must repair it like any request
$off = error_log_size();
sleep 1;
my $round;
for (1 .. 20) {
    ua()->get("$base/app/env.pl");
    last if $round = error_log_wait($off, qr/SEANCES090[12]/, 0.3);
}
like($round // '', qr/SEANCES0901: housekeeping removed 1 ended sessions/,
     'the first housekeeping round after the restart repairs its connection and runs');
is(sql("SELECT count(*) FROM sessions WHERE id_hash = 'hk-ended'", $db)->[0], 0, 'the ended session is gone');

$r = $ua->get("$base/app/env.pl");
is($r->code, 200, 'the next request still works (statements prepared again)');
$r = login_as(ua(), 'pat', 'a long password for the pg user', base => $base);
is($r->code, 303, 'and so does a login');

is(pg('stop'), 0, 'PostgreSQL stops');
$r = $ua->get("$base/app/env.pl");
is($r->code, 503, 'with the database down a valid cookie gets 503, not 200 or 401');
unlike($r->content, qr/REMOTE_USER/, 'the app is not reached');

pg('start');
my $code;
for (1 .. 10) { $code = $ua->get("$base/app/env.pl")->code; last if $code == 200; sleep 1 }
is($code, 200, 'once PostgreSQL is back, the session works again');
