# A database that cannot be used never lets anyone in: 503 with a clear page and a log line.
# sqlite3: the file becomes unreadable (chmod 000); pgsql: the database refuses connections
# (ALLOW_CONNECTIONS false, as during maintenance).  The seances_broken server opens a fresh
# connection for every request, so the failure is seen at once.
# Checklist (test/SECURITY.md): SEC-21 fail closed.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;

plan tests => 10;
Test::More->builder->failure_output(\*STDERR);

my $db = broken_db_path();
my ($rc) = admin({db => $db, stdin => "a broken day password\n"}, 'user', 'add', 'erin', '--password-stdin');
is($rc, 0, 'a user in the database of the seances_broken server');

Apache::TestRequest::module('seances_broken');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

my $ua = ua();
my $r = login_as($ua, 'erin', 'a broken day password', base => $base);
is($r->code, 303, 'erin logs in while the database is fine');
is($ua->get("$base/app/env.pl")->code, 200, 'and sees the app');

break_db($db);
my $off = error_log_size();
$r = $ua->get("$base/app/env.pl");
is($r->code, 503, 'with the database unusable, a valid cookie gets 503, not 200');
unlike($r->content, qr/REMOTE_USER/, 'the app is never reached');
like($r->decoded_content, qr/Service temporairement indisponible/, 'the page says what is wrong');
ok(error_log_wait($off, qr/seances_auth.*(database|DBD)/i, 5), 'the error log tells the admin');
$r = login_as(ua(), 'erin', 'a broken day password', base => $base);
is($r->code, 503, 'a login attempt gets 503 too');
$r = ua()->get("$base/app/env.pl");
is($r->code, 302, 'without a cookie it is still a redirect to the form (no database needed)');

repair_db($db);
is($ua->get("$base/app/env.pl")->code, 200, 'once the database is back, the session works again');
