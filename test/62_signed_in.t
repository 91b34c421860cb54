# Issue 10: /login while signed in says who is signed in, offers "Continuer vers
# l'application" (the return target, checked like every return target: SEC-64) and
# "Se déconnecter", a POST with the session's CSRF token (SEC-48, SEC-60); never an empty form.
# The application's user menu gets the same token as SEANCES_LOGOUT_CSRF (SSI, CGI), so that
# its logout is one click, without JavaScript.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 15;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ua = ua();
is(login_as($ua, 'alice', 'correct horse battery staple')->code, 303, 'alice logs in');

my $r = $ua->get('/login?return=/app/env.pl%3Fx%3D1');
my $html = $r->decoded_content;
is($r->code, 200, 'GET /login while signed in: 200');
like($html, qr/Connecté en tant que <strong class="user-name">alice<\/strong>/, 'it says who is signed in');
like($html, qr/<details class="other">\s*<summary>Se connecter avec un autre compte<\/summary>\s*<form/,
     'no bare login form: only one for another account, folded');
like($html, qr/<a class="button" href="\/app\/env\.pl\?x=1">Continuer vers l&#39;application<\/a>/,
     '"Continuer vers l\'application" goes to the return target');
like($html, qr/<form method="post" action="\/logout"/, '"Se déconnecter" is a POST form');
my ($token) = $html =~ /name="csrf" value="([^"]+)"/;
ok($token, 'with a CSRF token');

$r = $ua->get('/login?return=https://evil.example/');
like($r->decoded_content, qr/<a class="button" href="\/">/, 'an off-site return target becomes /');

# the app sees the same token (for its user menu)
my ($env_token) = $ua->get('/app/env.pl')->content =~ /^SEANCES_LOGOUT_CSRF=(.+)$/m;
is($env_token, $token, 'the app gets SEANCES_LOGOUT_CSRF, the same token');

# the form from /login signs out in one POST
$r = $ua->post('/logout', [csrf => $token]);
is($r->code, 200, 'posting it signs out');
like($r->decoded_content, qr/Vous êtes déconnecté/, '"Vous êtes déconnecté."');
is($ua->get('/app/env.pl')->code, 302, 'the session is over');
$r = $ua->get('/login');
like($r->decoded_content, qr/name="password"/, 'and /login shows the form again');

# an ended session's cookie is not "signed in"
my $ub = ua();
login_as($ub, 'bob', 'the builder has a passphrase 2026');
my $cookie = session_cookie($ub);
admin({}, 'sessions', 'bob', '--revoke-all');
sleep 2;    # past SeancesSessionRecheck (1 s)
$r = ua()->get('/login', Cookie => "seances_session=$cookie");
like($r->decoded_content, qr/name="password"/, 'a revoked session gets the form');
unlike($r->decoded_content, qr/Connecté en tant que/, '... not the signed-in state');
