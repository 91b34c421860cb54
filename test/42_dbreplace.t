# A database file replaced (rm + seances-admin init) or moved away under Apache's pooled
# connections: noticed at the next request, the connection reopened on the file now at the
# path, no restart. A file that is gone gives 503 until it is back. (Moving another WAL file
# over a live one is not supported: README, "Reliability".)
# Checklist (test/SECURITY.md): SEC-21 fail closed.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesReliability;

only_on('sqlite3', 'a sqlite file replaced and moved under pooled connections');
plan tests => 21;
Test::More->builder->failure_output(\*STDERR);

my $state = Apache::Test::vars('t_state');
my $db = "$state/reliab.db";
my $PW = 'a replaced password 2026';

sub add_user {
    my ($file, $name) = @_;
    my ($rc) = admin({db => $file, stdin => "$PW\n"}, 'user', 'add', $name, '--password-stdin');
    return $rc == 0;
}

sub server_pid {
    open my $fh, '<', Apache::Test::vars('t_logs') . '/httpd.pid' or return 0;
    my ($pid) = <$fh> =~ /(\d+)/;
    return $pid;
}

Apache::TestRequest::module('seances_reliab');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');
my $pid = server_pid();

ok(add_user($db, 'rene'), 'a user in reliab.db');
my $ua = ua();
is(login_as($ua, 'rene', $PW, base => $base)->code, 303, 'rene logs in');
# several requests, so that several pooled connections have the file open
is($ua->get("$base/app/env.pl")->code, 200, 'and sees the app') for 1 .. 3;

# --- rm + seances-admin init ---------------------------------------------------------------
my $off = error_log_size();
unlink $db or die "rm $db: $!";
my ($rc) = admin({db => $db}, 'init');
is($rc, 0, 'the file is removed and created again by seances-admin init');
ok(add_user($db, 'rosa'), 'with a new user');
my $r = $ua->get("$base/app/env.pl");
is($r->code, 302, "rene's session is not in the new database: back to the login form, no 200");
unlike($r->content, qr/REMOTE_USER/, 'the app is not reached');
ok(error_log_wait($off, qr/SEANCES0306: the database file \S*reliab\.db was replaced or moved/, 5),
   'the reopening is logged (SEANCES0306)');
my $ua2 = ua();
is(login_as($ua2, 'rosa', $PW, base => $base)->code, 303, 'the new user logs in');
is($ua2->get("$base/app/env.pl")->code, 200, 'and sees the app') for 1 .. 3;
is(login_as(ua(), 'rene', $PW, base => $base)->code, 200, 'the old user is gone (the form again)');
is(sql(q{SELECT count(*) FROM login_events WHERE result = 'ok'}, $db)->[0], 1,
   'the new database has its own history');

# --- moved away, then back -----------------------------------------------------------------
$off = error_log_size();
rename $db, "$db.moved" or die "mv: $!";
$r = $ua2->get("$base/app/env.pl");
is($r->code, 503, 'with the file moved away: 503, not 200');
ok(error_log_wait($off, qr/SEANCES0307: the database file \S*reliab\.db is gone/, 5),
   'the error log says the file is gone (SEANCES0307)');
ok(!-e $db, 'and no empty database was created in its place');
rename "$db.moved", $db or die "mv back: $!";
is($ua2->get("$base/app/env.pl")->code, 200, 'moved back: the session works again');

is(server_pid(), $pid, 'all without a restart');
