# Secrets never reach the logs (test/SECURITY.md, SEC-82; and SEC-20: no password in a URL of
# the access log). Named 89 so that it runs after the other files: when the whole suite runs it
# reads the error and access logs of every test before it; run alone, it makes its own
# traffic first (a login, a failure, a CSRF token, a logout) at the module's debug level.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use URI::Escape qw(uri_escape);
use SeancesTest;
use SeancesLogin;

plan tests => 6;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

sub slurp { my $f = shift; open my $fh, '<', $f or return ''; local $/; return <$fh> }

my $ALICE = 'correct horse battery staple';
my $unique = 'unique-wrong-password-89-' . $$;
my $ua = ua();
is(login_as($ua, 'alice', $ALICE)->code, 303, 'SEC-82: alice logs in');
my $cookie = session_cookie($ua);
ok(login_as(ua(), 'alice', $unique)->code == 200, 'SEC-82: a failure with a password seen nowhere else');
my ($csrf) = $ua->get('/logout')->decoded_content =~ /name="csrf" value="([^"]+)"/;
$ua->post('/logout', [csrf => $csrf]);
sleep 1;    # lines of the logging phase

# every password of test/seed.sh, the unique one, and the secrets of this run
my @seed = slurp(top_dir() . '/test/seed.sh') =~ /printf '%s\\n' '([^']+)'/g;
my @secrets = (@seed, $unique, $cookie, substr($cookie, 0, 24), $csrf);
my @forms = map { ($_, uri_escape($_), uri_escape($_) =~ s/%20/+/gr) } grep { defined && length } @secrets;
my $logs = top_dir() . '/test/logs';
my $error = slurp("$logs/error_log");
my $access = slurp("$logs/access_log");
ok(length $error > 0 && length $access > 0, 'SEC-82: both logs were read');
ok(@seed >= 5, 'SEC-82: the seed passwords were found (' . scalar(@seed) . ')');
my @in_error = grep { index($error, $_) >= 0 } @forms;
is("@in_error", '', 'SEC-82: no password, cookie value or CSRF token in the error log (debug level)');
my @in_access = grep { index($access, $_) >= 0 } @forms;
is("@in_access", '', 'SEC-20, SEC-82: none in the access log either (no credentials in URLs)');
clear_throttle();
