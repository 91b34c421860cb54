# Issue 13 finding 4 (SEC-19): the login form's pre-session nonce is the server's own. A nonce
# that the client chose (a cookie planted by another site: login CSRF) is replaced, so a token
# made for it is never accepted. Before the fix, GET /login with
# "Cookie: seances_session_csrf=attacker-fixed-nonce" kept that nonce and the login with the
# matching token went through.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 9;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $PW = 'correct horse battery staple';
my $FIXED = 'seances_session_csrf=attacker-fixed-nonce';

# the attacker's own browser fetches a form with the planted nonce
my $ua = ua(cookie_jar => undef);
my $r = $ua->get('/login', Cookie => $FIXED);
is($r->code, 200, 'the form is shown');
my ($set) = grep /^seances_session_csrf=/, @{ cookies_of($r) };
ok($set, 'with a new nonce cookie');
unlike($set // '', qr/^seances_session_csrf=attacker-fixed-nonce;/, 'not the planted one');
like($set // '', qr/^seances_session_csrf=[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,};/,
     'a signed nonce (random.mac)');
my ($token) = $r->decoded_content =~ /name="csrf" value="([^"]+)"/;

# the victim's browser posts that token with the planted nonce: refused, no session
$r = $ua->post('/login', [username => 'alice', password => $PW, return => '/app/env.pl',
                          csrf => $token], Cookie => $FIXED);
is($r->code, 200, 'a login with the planted nonce is not accepted');
ok(!grep(/^seances_session=[^;]/, @{ cookies_of($r) }), 'no session cookie');
like($r->decoded_content, qr/class="notice"/, 'the form comes back with the notice');

# malformed and over-long nonces are replaced too
for my $bad ('a.b', 'x' x 300) {
    $r = $ua->get('/login', Cookie => "seances_session_csrf=$bad");
    my ($new) = grep /^seances_session_csrf=/, @{ cookies_of($r) };
    ok($new && index($new, "seances_session_csrf=$bad;") != 0, 'a forged or long nonce is replaced: ' . substr($bad, 0, 8));
}
