# Issue 10 with issue 13 finding 4 (SEC-19): a login form whose CSRF token is stale (older than
# an hour), made for another browser or missing comes back (200) with a gentle notice, the
# user name and the return target kept, the password asked again; nobody is logged in. The
# form shown then works. Tokens carry the time they were made, under the MAC.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Digest::SHA qw(hmac_sha256);
use MIME::Base64 qw(encode_base64url);
use SeancesTest;
use SeancesLogin;

plan tests => 15;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $PW = 'correct horse battery staple';
my $RETURN = '/app/env.pl?from=stale';

# The token the server would make for this nonce at time $t (the suite knows the passphrase).
sub token_at {
    my ($nonce, $t) = @_;
    my $key = hmac_sha256('mod_seances_auth csrf key', 'test-passphrase-0123456789abcdef');
    return "$t." . encode_base64url(hmac_sha256("login|$nonce|$t", $key));
}

sub reshown {
    my ($r, $what) = @_;
    my $html = $r->decoded_content;
    is($r->code, 200, "$what: the form again (200, not 403)");
    ok($html =~ /<p class="notice" role="status">Le formulaire avait expiré/ &&
       $html =~ /name="username" type="text" value="alice"/ &&
       $html =~ /name="return" value="\/app\/env\.pl\?from=stale"/,
       "$what: a notice, the user name and the return target kept")
        or diag($html =~ /<main.*<\/main>/s ? $& : $html);
}

my $ua = ua();
my $fresh = form_token($ua);
like($fresh, qr/^(\d+)\./, 'the token carries the time it was made');
my ($made) = $fresh =~ /^(\d+)\./;
ok(abs($made - time) < 120, '... now');
my $nonce = session_cookie($ua, 'seances_session_csrf');
is(token_at($nonce, $made), $fresh, 'the test computes tokens as the server does');

# stale: a genuine token of two hours ago
my $r = login_as($ua, 'alice', $PW, csrf => token_at($nonce, time - 7200), return => $RETURN);
reshown($r, 'a token two hours old');
ok(!session_cookie($ua), 'no session');
my ($again) = $r->decoded_content =~ /name="csrf" value="([^"]+)"/;
like($r->decoded_content, qr/autofocus/, 'the password field waits');
$r = login_as($ua, 'alice', $PW, csrf => $again, return => $RETURN);
is($r->code, 303, 'the re-shown form logs in');
is($r->header('Location'), $RETURN, 'to the return target kept');

# the time is under the MAC: a fresh time on an old token does not pass
$ua = ua();
$fresh = form_token($ua);
(my $moved = $fresh) =~ s/^(\d+)/$1 + 1/e;
$r = login_as($ua, 'alice', $PW, csrf => $moved, return => $RETURN);
reshown($r, 'a token whose time was changed');

# another browser's token, and none at all
my $foreign = form_token(ua());
$r = login_as($ua, 'alice', $PW, csrf => $foreign, return => $RETURN);
reshown($r, "another browser's token");
$r = login_as($ua, 'alice', $PW, csrf => undef, return => $RETURN);
reshown($r, 'no token');
