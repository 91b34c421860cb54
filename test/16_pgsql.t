# PostgreSQL through mod_dbd: login and sessions work, a server restart is survived (the
# pooled connections lose their prepared statements), a stopped server means 503, never 200.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;

plan tests => 11;
Test::More->builder->failure_output(\*STDERR);

my $pg = top_dir() . '/test/pg.sh';
Apache::TestRequest::module('seances_pg');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

my $ua = ua();
my $r = login_as($ua, 'pat', 'a long password for the pg user', base => $base);
is($r->code, 303, 'pat logs in against PostgreSQL');
$r = $ua->get("$base/app/env.pl");
is($r->code, 200, 'and sees the app');
like($r->content, qr/^REMOTE_USER=pat$/m, 'as pat');
$r = login_as(ua(), 'pat', 'not the password', base => $base);
like($r->decoded_content, qr/mot de passe incorrect/, 'a wrong password is refused');

is(system('sh', $pg, 'restart'), 0, 'PostgreSQL restarts under the running Apache');
my $off = error_log_size();
$r = $ua->get("$base/app/env.pl");
is($r->code, 200, 'the next request still works (statements prepared again)');
$r = login_as(ua(), 'pat', 'a long password for the pg user', base => $base);
is($r->code, 303, 'and so does a login');

is(system('sh', $pg, 'stop'), 0, 'PostgreSQL stops');
$r = $ua->get("$base/app/env.pl");
is($r->code, 503, 'with the database down a valid cookie gets 503, not 200 or 401');
unlike($r->content, qr/REMOTE_USER/, 'the app is not reached');

system('sh', $pg, 'start');
my $code;
for (1 .. 10) { $code = $ua->get("$base/app/env.pl")->code; last if $code == 200; sleep 1 }
is($code, 200, 'once PostgreSQL is back, the session works again');
