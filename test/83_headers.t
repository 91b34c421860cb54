# Response headers of the module's pages and cookies (test/SECURITY.md): SEC-65 security
# headers on every module page, SEC-43 no caching of pages and of responses that set a cookie,
# SEC-36 the session cookie's attributes and size (a 256-byte user name).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 58;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ALICE = 'correct horse battery staple';
my $alice = ua();
my $login = login_as($alice, 'alice', $ALICE);
is($login->code, 303, 'alice logs in');

# --- SEC-65: every module page carries the security headers ---------------------------------------
sub page_headers_ok {
    my ($what, $r) = @_;
    like($r->header('Content-Type') // '', qr{^text/html;\s*charset=utf-8$}i, "SEC-65: $what: Content-Type with charset");
    is($r->header('X-Content-Type-Options'), 'nosniff', "SEC-65: $what: nosniff");
    my $csp = $r->header('Content-Security-Policy') // '';
    like($csp, qr/default-src 'none'/, "SEC-65: $what: CSP default-src 'none' (so object-src is none)");
    ok($csp =~ /base-uri 'none'/ && $csp =~ /frame-ancestors 'none'/, "SEC-65: $what: CSP base-uri and frame-ancestors 'none'");
    like($r->header('Referrer-Policy') // '', qr/^(no-referrer|same-origin|strict-origin)/, "SEC-65: $what: a Referrer-Policy");
    is($r->header('Cache-Control'), 'no-store', "SEC-43: $what: Cache-Control: no-store");
}
my $anon = ua();
page_headers_ok('login form', $anon->get('/login'));
page_headers_ok('failure page', login_as(ua(), 'alice', 'wrong password 65'));
page_headers_ok('logout page', $alice->get('/logout'));
page_headers_ok('logout page without a session', $anon->get('/logout'));
page_headers_ok('portal', $alice->get('/portal'));
page_headers_ok('2FA setup', $alice->get('/2fa/setup'));
page_headers_ok('CSRF refusal', $alice->post('/portal', [action => 'end_others']));
clear_throttle();

# --- SEC-43: responses that set the session cookie are not cached -------------------------------
is($login->header('Cache-Control'), 'no-store', 'SEC-43: the login redirect that sets the cookie: no-store');
my ($csrf) = $alice->get('/logout')->decoded_content =~ /name="csrf" value="([^"]+)"/;
my $out = $alice->post('/logout', [csrf => $csrf]);
ok(grep({ /^seances_session=;/ } @{ cookies_of($out) }), 'SEC-43: the logout clears the cookie');
is($out->header('Cache-Control'), 'no-store', 'SEC-43: and is not cached either');

# --- SEC-36: cookie attributes ----------------------------------------------------------------------
my ($set) = grep { /^seances_session=[^;]+;/ } @{ cookies_of($login) };
ok($set, 'SEC-36: the login sets the session cookie');
like($set // '', qr/;\s*Path=\/(;|$)/i, 'SEC-36: Path=/');
like($set // '', qr/;\s*HttpOnly(;|$)/i, 'SEC-36: HttpOnly');
like($set // '', qr/;\s*SameSite=Lax(;|$)/i, 'SEC-36: SameSite=Lax');
unlike($set // '', qr/Domain=/i, 'SEC-36: no Domain');
unlike($set // '', qr/Max-Age|Expires/i, 'SEC-36: no Max-Age or Expires without "Rester connecté"');
open my $fh, '<', top_dir() . '/src/core/defaults.c' or die $!;
my $defaults = do { local $/; <$fh> };
like($defaults, qr/cookie_attrs = "Path=\/; HttpOnly; Secure; SameSite=Lax"/,
     'SEC-36: the default attributes add Secure (the test config drops it for plain http)');

# a 256-byte name (the longest a user name may be) keeps the cookie far below 4096 bytes
my $long = 'u' x 256;
my ($rc) = admin({ stdin => "long name password 36\n" }, 'user', 'add', $long, '--password-stdin');
is($rc, 0, 'SEC-36: a user with a 256-byte name');
my $lu = ua();
my $r = login_as($lu, $long, 'long name password 36');
is($r->code, 303, 'SEC-36: logs in');
my ($long_set) = grep { /^seances_session=/ } @{ cookies_of($r) };
my ($pair) = ($long_set // '') =~ /^([^;]+)/;
ok($pair && length($pair) < 4096, 'SEC-36: name and value stay under 4096 bytes (' . length($pair // '') . ')');
like($lu->get('/app/env.pl')->content, qr/^REMOTE_USER=u{256}$/m, 'SEC-36: and the cookie works');
($rc) = admin('user', 'delete', $long);
is($rc, 0, 'the long-named user is removed');
clear_throttle();
