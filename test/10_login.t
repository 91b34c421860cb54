# Login, the form, CSRF, safe return targets, the generic failure answer, remember me.
# Checklist (test/SECURITY.md): SEC-02 maximum length and DoS bound, SEC-08 password hashing
# (argon2id, salt, upgrade), SEC-11 password managers and paste work, SEC-13 one generic failure
# response, SEC-19 login CSRF, SEC-36 cookie attributes, SEC-45 persistent cookie only on request,
# bounded, revocable, SEC-47 no credentials in any cookie, SEC-76 strict form parsing, SEC-78
# canonical usernames.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 63;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ALICE_PW = 'correct horse battery staple';

# --- not logged in ---------------------------------------------------------------------
my $ua = ua();
my $r = $ua->get('/app/env.pl?x=1&y=2');
is($r->code, 302, 'a protected page without a session redirects');
is($r->header('Location'), '/login?return=%2Fapp%2Fenv.pl%3Fx%3D1%26y%3D2',
   'to the login form, with the page asked for as return');
$r = $ua->get('/app/env.pl', Accept => 'application/json');
is($r->code, 401, 'an API request (Accept: application/json) gets 401');
like($r->header('WWW-Authenticate') // '', qr/^Seances realm="seances"/, 'with a challenge naming the realm');
$r = $ua->get('/app/env.pl', 'X-Requested-With' => 'XMLHttpRequest');
is($r->code, 401, 'an XHR gets 401');
$r = $ua->post('/app/env.pl', [a => 1]);
is($r->code, 401, 'a POST without a session gets 401, not a redirect');

# --- the form ----------------------------------------------------------------------------
$r = $ua->get('/login?return=/app/env.pl');
is($r->code, 200, 'GET /login shows the form');
my $html = $r->decoded_content;
like($html, qr/<html lang="fr">/, 'French by default');
for my $text ("Nom d'utilisateur", 'Mot de passe', 'Rester connecté', 'Connexion', "Mot de passe oublié\x{202F}?") {
    my $escaped = $text =~ s/'/&#39;/gr;
    ok(index($html, $text) >= 0 || index($html, $escaped) >= 0, "the form shows \"$text\"");
}
for my $field (qw(username password remember return csrf)) {
    like($html, qr/name="$field"/, "field $field");
}
like($html, qr/autocomplete="current-password"/, 'password managers are welcome');
like($html, qr/name="return" value="\/app\/env.pl"/, 'the return target is carried in the form');
is($r->header('Cache-Control'), 'no-store', 'login page is not cached');
like($r->header('Content-Security-Policy') // '', qr/frame-ancestors 'none'/, 'CSP on the page');
is($r->header('X-Content-Type-Options'), 'nosniff', 'nosniff');
ok(grep(/^seances_session_csrf=[^;]+;/, @{ cookies_of($r) }), 'a pre-session CSRF cookie is set');
$r = $ua->get('/login', 'Accept-Language' => 'de-CH,de;q=0.9');
like($r->decoded_content, qr/<html lang="de">/, 'German for a German browser');

# --- CSRF --------------------------------------------------------------------------------
$ua = ua();
# refused logins show the form again (issue 10), with a notice, never a session
$r = login_as($ua, 'alice', $ALICE_PW, csrf => undef);
ok($r->code == 200 && $r->decoded_content =~ /class="notice"/, 'login without a CSRF token is refused');
$r = login_as($ua, 'alice', $ALICE_PW, csrf => 'forged-token');
ok($r->code == 200 && $r->decoded_content =~ /class="notice"/, 'login with a made-up CSRF token is refused');
my $other = ua();
my $foreign_token = form_token($other);
form_token($ua);
$r = login_as($ua, 'alice', $ALICE_PW, csrf => $foreign_token);
ok($r->code == 200 && $r->decoded_content =~ /class="notice"/, "a token issued to another browser is refused");
ok(!session_cookie($ua), 'no session after refused logins');

# --- a good login -------------------------------------------------------------------------
$ua = ua();
$r = login_as($ua, 'alice', $ALICE_PW, return => '/app/env.pl?from=login');
is($r->code, 303, 'login answers 303');
is($r->header('Location'), '/app/env.pl?from=login', 'back to the page asked for');
my ($set) = grep /^seances_session=/, @{ cookies_of($r) };
ok($set, 'a session cookie is set');
unlike($set, qr/Max-Age/i, 'without "Rester connecté" the cookie ends with the browser');
like($set, qr/HttpOnly/, 'HttpOnly');
ok(grep(/^seances_session_csrf=;Max-Age=0/, @{ cookies_of($r) }), 'the pre-session cookie is dropped');
$r = $ua->get('/app/env.pl');
is($r->code, 200, 'the protected page is served');
like($r->content, qr/^REMOTE_USER=alice$/m, 'REMOTE_USER reaches the CGI');
like($r->content, qr/^AUTH_TYPE=Seances$/m, 'AUTH_TYPE is Seances');
my $row = sql("SELECT s.remember, s.expires - s.created FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'alice' ORDER BY s.created DESC LIMIT 1")->[0];
is($row, '0|43200', 'the session row: not remembered, 12 h absolute lifetime');
unlike(session_cookie($ua), qr/correct|horse/, 'no password in the cookie');

# --- remember me -------------------------------------------------------------------------------
$ua = ua();
$r = login_as($ua, 'bob', 'the builder has a passphrase 2026', remember => 1);
is($r->code, 303, 'login with "Rester connecté"');
($set) = grep /^seances_session=/, @{ cookies_of($r) };
like($set, qr/;Max-Age=2592000;/, 'the cookie survives the browser for 30 days');
$row = sql("SELECT s.remember, s.expires - s.created FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'bob' ORDER BY s.created DESC LIMIT 1")->[0];
is($row, '1|2592000', 'the session row is remembered for 30 days');

# --- failures look alike ----------------------------------------------------------------------
$ua = ua();
my %page;
for my $case (['wrong password', 'alice', 'not the password at all'],
              ['unknown user', 'nobody-here', 'not the password at all'],
              ['disabled user', 'carol', 'disabled for now 99 ok']) {
    my ($name, $user, $pw) = @$case;
    $r = login_as($ua, $user, $pw);
    is($r->code, 200, "$name: the form again");
    like($r->decoded_content, qr/Nom d&#39;utilisateur ou mot de passe incorrect/, "$name: the generic message");
    ok(!grep(/^seances_session=[^;]/, @{ cookies_of($r) }), "$name: no session cookie");
    (my $body = normalise_page($r->decoded_content)) =~ s/(name="username"[^>]*value=")[^"]*"/$1"/;
    $page{$name} = $body;
}
is($page{'unknown user'}, $page{'wrong password'}, 'unknown user and wrong password give the same page');
is($page{'disabled user'}, $page{'wrong password'}, 'a disabled user gets the same page');
my $events = sql("SELECT result, COALESCE(CAST(user_id AS TEXT), 'null') FROM login_events WHERE username IN ('alice','nobody-here','carol') ORDER BY id DESC LIMIT 3");
is_deeply($events, ['disabled|3', 'unknown_user|null', 'bad_password|1'], 'the history knows which failure it was');
clear_throttle();

# --- input limits ---------------------------------------------------------------------------
$r = login_as($ua, 'x' x 300, 'pw');
is($r->code, 400, 'a 300-byte user name is refused before any work');
$r = login_as($ua, 'alice', 'p' x 2000);
is($r->code, 400, 'a 2000-byte password is refused before hashing');
$r = $ua->post('/login', Content_Type => 'application/x-www-form-urlencoded', Content => 'a=' . ('b' x 20000));
is($r->code, 413, 'an oversized form gets 413');

# --- legacy hashes are upgraded ------------------------------------------------------------------
like(sql("SELECT password_hash FROM users WHERE name = 'dave'")->[0], qr/^\$2y\$/, 'dave starts with an htpasswd bcrypt hash');
$ua = ua();
$r = login_as($ua, 'dave', 'dave legacy password 1');
is($r->code, 303, 'dave logs in with his htpasswd password');
like(sql("SELECT password_hash FROM users WHERE name = 'dave'")->[0], qr/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'and his hash is now argon2id');
$r = login_as(ua(), 'dave', 'dave legacy password 1');
is($r->code, 303, 'the new hash works');

# --- user names are case-insensitive ----------------------------------------------------------
$r = login_as(ua(), 'ALICE', $ALICE_PW);
is($r->code, 303, 'ALICE is alice');
clear_throttle();
