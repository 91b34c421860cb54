# Two-factor authentication end to end: the enrolment page (QR code, secret, otpauth URI),
# the confirmation with a code from oathtool, the code step of every later login, codes
# accepted once, the pending login that opens nothing and expires, recovery codes, the
# throttling of wrong codes, "Rester connecté", Require seances-level 2, turning it off.
# Checklist (test/SECURITY.md): SEC-18 atomic counters and replay records, SEC-23 seed generation,
# SEC-24 provisioning URI, SEC-25 enrolment confirmed before activation, SEC-26 tOTP changes need
# re-authentication and notify, SEC-27 acceptance window T-1…T+1, SEC-28 no reuse of a TOTP code,
# SEC-29 tOTP guessing is throttled, SEC-30 half-authenticated sessions grant nothing, SEC-31 seeds
# protected at rest, never re-displayed, SEC-33 lost-device recovery does not bypass the factor,
# SEC-34 new session on every authentication event, SEC-46 persistent cookie never stands in for
# the second factor, SEC-69 rEMOTE_USER only after complete authentication, SEC-81 authentication
# events logged.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use POSIX ();
use SeancesTest;
use SeancesLogin;
use SeancesTotp;

plan tests => 108;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $PW = 'a long passphrase for two factors 77';
add_user('tina', $PW);
sub one { sql($_[0])->[0] }
sub tina { one("SELECT $_[0] FROM users WHERE name = 'tina'") }
sub last_event { one("SELECT result || ' ' || factor FROM login_events WHERE username = 'tina' ORDER BY id DESC LIMIT 1") }
sub env_of { my ($ua, $path) = @_; my $r = $ua->get($path // '/app/env.pl'); return ($r->code, $r->content) }
sub has_cookie { my ($r, $name) = @_; return scalar grep { /^\Q$name\E=[^;]/ } @{ cookies_of($r) } }

# --- enrolment --------------------------------------------------------------------------
my $ua = ua();
is(login_as($ua, 'tina', $PW)->code, 303, 'tina logs in with her password (no 2FA yet)');
my ($code, $env) = env_of($ua);
like($env, qr/^SEANCES_LEVEL=1$/m, 'a password-only session is level 1');

my $page = setup_page($ua);
my $r = $page->{response};
is($r->code, 200, 'GET /2fa/setup shows the enrolment');
is($r->header('Cache-Control'), 'no-store', 'the page is not cached');
my $html = $page->{html};
like($html, qr/Code de confirmation/, '"Code de confirmation"');
like($html, qr/<button type="submit">Vérifier et activer<\/button>/, '"Vérifier et activer"');
like($html, qr/<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"/,
     'the code field: numeric, one-time-code');
like($html, qr/<img class="qr" src="\/2fa\/setup\/qr\.png"/, 'the QR code comes from /2fa/setup/qr.png');
unlike($html, qr/(src|href)="(https?:)?\/\/(?!localhost)/, 'no picture or link to another site');
my $secret = $page->{secret};
like($secret // '', qr/^[A-Z2-7]{32}$/, 'the secret: 32 base32 characters (20 bytes)');
like($html, qr/id="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</, 'shown in groups of four');
my $uri = $page->{uri} // '';
is($uri, "otpauth://totp/S%C3%A9ances%20Test:tina?secret=$secret&issuer=S%C3%A9ances%20Test",
   'the key URI: issuer prefix and parameter, percent-encoded, secret without padding');
my $uri_attr = $uri =~ s/&/&amp;/gr;
like($html, qr/<a href="\Q$uri_attr\E" id="otpauth-uri">/, 'and as a link for a phone');
my $sealed = tina('totp_pending');
like($sealed, qr/^s1\./, 'the pending secret is stored sealed');
unlike($sealed, qr/\Q$secret\E/, 'not in clear');
is(tina('totp_enabled'), 0, '2FA is not on before the confirmation');

# the QR code decodes to exactly the URI of the page
$r = $ua->get('/2fa/setup/qr.png');
is($r->code, 200, 'the QR code');
is($r->header('Content-Type'), 'image/png', 'is a PNG');
is($r->header('Cache-Control'), 'no-store', 'not cached');
my $png = File::Temp->new(SUFFIX => '.png');
binmode $png;
print $png $r->content;
close $png;
my $decoded = `zbarimg --raw -q $png 2>/dev/null`;
chomp $decoded;
is($decoded, $uri, 'zbarimg reads the URI shown on the page');
is(ua()->get('/2fa/setup/qr.png')->code, 403, 'without a session: no QR code');
$r = ua()->get('/2fa/setup');
is($r->code, 302, 'without a session the page sends to the login');
is($r->header('Location'), '/login?return=%2F2fa%2Fsetup', 'and back');

is(setup_page($ua)->{secret}, $secret, 'reloading the page keeps the secret');
$r = $ua->post('/2fa/setup', [csrf => $page->{csrf}, code => totp($secret, -120)]);
is($r->code, 200, 'a wrong code');
like($r->decoded_content, qr/Ce code est erroné/, 'says so');
is(tina('totp_enabled') . ' ' . tina('totp_pending'), "0 $sealed", 'and keeps the pending secret');
$r = $ua->post('/2fa/setup', [code => totp($secret)]);
is($r->code, 403, 'the form without its CSRF token is refused');
$r = ua()->post('/2fa/setup', [csrf => $page->{csrf}, code => totp($secret)]);
is($r->code, 403, 'and without the session');

my $activation = totp($secret);
$r = $ua->post('/2fa/setup', [csrf => $page->{csrf}, action => 'confirm', code => $activation]);
is($r->code, 200, 'the code of oathtool confirms the enrolment');
like($r->decoded_content, qr/L&#39;authentification à 2 facteurs est maintenant liée à votre compte/,
     'with the success message');
my @codes = $r->decoded_content =~ m{<li><code>([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</code></li>}g;
is(scalar @codes, 10, 'and ten recovery codes, shown once');
ok(has_cookie($r, 'seances_session'), 'the session is renewed');
like((env_of($ua))[1], qr/^SEANCES_LEVEL=2$/m, 'at level 2');
is(tina("totp_enabled || '|' || totp_pending"), '1|', '2FA is on, nothing pending');
like(tina('totp_secret'), qr/^s1\./, 'the active secret is sealed');
is(one("SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.name = 'tina' AND r.used = 0"), 10, 'ten unused codes stored');
my $stored = join ',', @{ sql("SELECT code_hash FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.name = 'tina'") };
ok(!grep({ my $c = $_ =~ s/-//gr; index($stored, $c) >= 0 } @codes), 'only their digests');
is(last_event(), 'totp_enabled totp', 'the history has it');
$r = $ua->get('/2fa/setup');
like($r->decoded_content, qr/L&#39;authentification à deux facteurs est activée/, 'the page now says 2FA is on');
unlike($r->decoded_content, qr/\Q$secret\E|id="secret"/, 'and never shows the secret again');
unlike($r->decoded_content, qr/recovery-codes|<li><code>/, 'nor the recovery codes');
is($ua->get('/2fa/setup/qr.png')->code, 404, 'nor the QR code');

# --- the code at login -------------------------------------------------------------------
$ua = ua();
$r = login_as($ua, 'tina', $PW, return => '/app/env.pl?after=code');
is($r->code, 303, 'the right password');
is($r->header('Location'), '/login', 'leads to the code form');
ok(has_cookie($r, 'seances_session_pending'), 'with a pending-login cookie');
ok(!has_cookie($r, 'seances_session'), 'and no session');
is(last_event(), 'password_ok password', 'the history says the password was right');
is($ua->get('/app/env.pl')->code, 302, 'the pending login opens no protected page');
is($ua->get('/app/env.pl', Accept => 'application/json')->code, 401, 'nor an API');
is($ua->get('/seances-whoami')->code, 401, 'and is no session for seances-whoami');
is($ua->get('/2fa/setup')->code, 302, 'nor the setup page');
my $pending_cookie = session_cookie($ua, 'seances_session_pending');
is(ua()->get('/app/env.pl', cookie_header($pending_cookie))->code, 302,
   'used as a session cookie, it is no session either');
$r = $ua->get('/login');
is($r->code, 200, 'GET /login shows the code form');
$html = $r->decoded_content;
like($html, qr/<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"/, 'with the code field');
like($html, qr/name="csrf" value="[^"]+"/, 'and a CSRF token');
unlike($html, qr/name="password"/, 'no password field');

$r = login_code($ua, $activation);
is($r->code, 200, 'the code that confirmed the enrolment');
like($r->decoded_content, qr/Code erroné/, 'is refused');
is(last_event(), 'bad_code totp', 'and recorded as bad_code');
clear_throttle();
$r = login_code($ua, totp($secret, -60));
like($r->decoded_content, qr/Code erroné/, 'a code two steps old is refused');
clear_throttle();
my $wrong = totp($secret, 3600);
$r = login_code($ua, $wrong);
like($r->decoded_content, qr/Code erroné/, 'a wrong code is refused');
clear_throttle();
$r = login_code($ua, totp($secret, 30), csrf => 'forged');
# issue 10: refused, the code form comes back (200) with the notice, nothing logged in
ok($r->code == 200 && $r->decoded_content =~ /class="error"[^>]*>Le formulaire a expiré/,
   'the code form with a forged CSRF token is refused');
my $next = totp($secret, 30);
$r = login_code($ua, $next);
is($r->code, 303, 'the code of the next step logs in');
is($r->header('Location'), '/app/env.pl?after=code', 'to the page asked for');
ok(has_cookie($r, 'seances_session'), 'with a session cookie');
ok(grep(/^seances_session_pending=;Max-Age=0/, @{ cookies_of($r) }), 'the pending cookie is dropped');
($code, $env) = env_of($ua);
is($code, 200, 'the app opens');
like($env, qr/^REMOTE_USER=tina$/m, 'for tina');
like($env, qr/^SEANCES_LEVEL=2$/m, 'at level 2');
is(last_event(), 'ok totp', 'the history says ok, factor totp');
is(one("SELECT level FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'tina' ORDER BY s.created DESC LIMIT 1"), 2, 'the session row is level 2');

# the finished pending login cannot be replayed, and the code cannot be used twice
my $replay = ua();
$replay->cookie_jar->set_cookie(0, 'seances_session_pending', $pending_cookie, '/', 'localhost.local');
$r = login_code($replay, totp($secret, -30));
ok($r->code == 200 && !has_cookie($r, 'seances_session'), 'the old pending cookie logs in no more');
$ua = ua();
login_as($ua, 'tina', $PW);
$r = login_code($ua, $next);
like($r->decoded_content, qr/Code erroné/, 'a code used once is refused the second time');
clear_throttle();

# --- recovery codes -------------------------------------------------------------------------
$r = $ua->get('/login?recovery=1');
like($r->decoded_content, qr/Code de récupération/, 'the form offers a recovery code');
$r = login_code($ua, lc($codes[0]) =~ s/-//gr);
is($r->code, 303, 'a recovery code (lower case, no dashes) logs in');
is(last_event(), 'ok recovery', 'recorded with factor recovery');
like((env_of($ua))[1], qr/^SEANCES_LEVEL=2$/m, 'at level 2');
$ua = ua();
login_as($ua, 'tina', $PW);
$r = login_code($ua, $codes[0]);
like($r->decoded_content, qr/Code erroné/, 'the same recovery code works once only');
is(last_event(), 'bad_code recovery', 'the failure is recorded as recovery');
is(one("SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.name = 'tina' AND r.used = 0"), 9, 'nine left');
clear_throttle();

# --- "Rester connecté" applies to the session after the code -------------------------------
sql("UPDATE users SET totp_last_step = 0 WHERE name = 'tina'");    # as if time had passed
# no earlier session of tina: one made in the same second would tie on "created"
sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = 'tina')");
$ua = ua();
login_as($ua, 'tina', $PW, remember => 1);
$r = login_code($ua, totp($secret));
my ($set) = grep /^seances_session=/, @{ cookies_of($r) };
like($set // '', qr/;Max-Age=2592000;/, '"Rester connecté" from the password form: 30 days');
is(one("SELECT remember || '|' || level FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'tina' ORDER BY s.created DESC LIMIT 1"), '1|2', 'a remembered level-2 session');

# --- the pending login expires, and has a few tries ------------------------------------------
sql("UPDATE users SET totp_last_step = 0 WHERE name = 'tina'");
$ua = ua();
login_as($ua, 'tina', $PW);
sql('UPDATE login_pending SET expires = ' . (time - 1));
$r = login_code($ua, totp($secret), csrf => code_form_token_from_cookie($ua));
like($r->decoded_content, qr/La vérification a expiré/, 'an expired pending login asks for the password again');
ok(!has_cookie($r, 'seances_session'), 'and logs nobody in');
like($r->decoded_content, qr/name="password"/, 'the password form');
$ua = ua();
login_as($ua, 'tina', $PW);
my $csrf = code_form_token($ua);
for my $i (1 .. 4) {
    clear_throttle();
    $r = login_code($ua, '000000', csrf => $csrf);
}
like($r->decoded_content, qr/Code erroné/, 'four wrong codes: still the code form');
clear_throttle();
$r = login_code($ua, '111111', csrf => $csrf);
like($r->decoded_content, qr/expiré ou a échoué trop souvent/, 'the fifth: the password again');
clear_throttle();
$r = login_code($ua, totp($secret), csrf => $csrf);
ok(!has_cookie($r, 'seances_session'), 'and then even the right code does not log in');
is(one("SELECT count(*) FROM login_pending"), 0, 'no pending login is left');

# --- wrong codes are throttled like passwords ---------------------------------------------------
clear_throttle();
for my $i (1 .. 3) {
    $ua = ua();
    login_as($ua, 'tina', $PW);
    login_code($ua, '000000');
}
like(one('SELECT CASE WHEN banned_until > ' . time . " THEN 1 ELSE 0 END FROM throttle WHERE key = 'user:tina'"), qr/^1$/,
     'three wrong codes ban the account, although the password was right each time');
$r = login_as(ua(), 'tina', $PW);
like($r->decoded_content, qr/Nom d&#39;utilisateur ou mot de passe incorrect/, 'then the password is refused too');
clear_throttle();

# --- Require seances-level 2 ---------------------------------------------------------------------
sql("UPDATE users SET totp_last_step = 0 WHERE name = 'tina'");
$ua = ua();
login_as($ua, 'tina', $PW);
login_code($ua, totp($secret));
($code, $env) = env_of($ua, '/level2/env.pl');
is($code, 200, 'Require seances-level 2 lets a level-2 session in');
my $bob = ua();
login_as($bob, 'bob', 'the builder has a passphrase 2026');
is((env_of($bob))[0], 200, 'bob (no 2FA) opens the app');
$r = $bob->get('/level2/env.pl');
is($r->code, 401, 'but not a location that requires level 2');
like($r->decoded_content, qr/demande l&#39;authentification à deux facteurs/, 'the page says why');
is(ua()->get('/level2/env.pl')->code, 302, 'without a session: the login');
my ($rc, $out) = apache_t("<Location /x>\nRequire seances-level 3\n</Location>\n");
isnt($rc, 0, 'Require seances-level 3 fails apachectl -t');
like($out, qr/seances-level: '3' is not 1 or 2/, 'with a clear message');

# --- one code in many browsers at once: exactly one gets in ---------------------------------------
clear_throttle();
sql("UPDATE users SET totp_last_step = 0 WHERE name = 'tina'");
my @racers = map { my $u = ua(); login_as($u, 'tina', $PW); [$u, code_form_token($u)] } 1 .. 6;
my $race_code = totp($secret);
my @pids;
for my $racer (@racers) {
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        my $res = login_code($racer->[0], $race_code, csrf => $racer->[1]);
        POSIX::_exit($res->code == 303 ? 0 : 1);
    }
    push @pids, $pid;
}
my $winners = 0;
for (@pids) { waitpid $_, 0; $winners++ if $? == 0 }
is($winners, 1, 'six browsers post the same code at the same time: exactly one logs in');
clear_throttle();

# --- turning it off --------------------------------------------------------------------------------
$page = $ua->get('/2fa/setup');
($csrf) = $page->decoded_content =~ /name="csrf" value="([^"]+)"/;
like($page->decoded_content, qr/Codes de récupération restants\x{202F}: <strong id="codes-left">9<\/strong>/, 'nine recovery codes left are shown');
$r = $ua->post('/2fa/setup', [csrf => $csrf, action => 'disable', code => '000000']);
like($r->decoded_content, qr/Code erroné/, 'turning 2FA off with a wrong code is refused');
is(tina('totp_enabled'), 1, 'it stays on');
clear_throttle();
$r = $ua->post('/2fa/setup', [csrf => $csrf, action => 'disable', code => $codes[1]]);
like($r->decoded_content, qr/est désactivée/, 'a recovery code turns it off');
is(tina("totp_enabled || '|' || totp_secret"), '0|', 'the secret is gone');
is(one("SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.name = 'tina'"), 0, 'and the codes');
is(last_event(), 'totp_disabled recovery', 'the history has it');
$ua = ua();
$r = login_as($ua, 'tina', $PW);
is($r->header('Location'), '/app/env.pl', 'the next login asks no code');
clear_throttle();

# the pending cookie's CSRF token, read from the code form
sub code_form_token_from_cookie { return code_form_token($_[0]) }
