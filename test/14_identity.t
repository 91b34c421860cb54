# The identity reaches the app (REMOTE_USER, X-Remote-User) and cannot be forged; stock
# mod_session_crypto reads our cookie and writes cookies we accept.
# Checklist (test/SECURITY.md): SEC-71 hop-by-hop tricks, SEC-35 session identifier ≥128 bits, server-side, SEC-38
# mod_session_crypto wire compatibility, SEC-40 required payload fields and binding, SEC-42 keys
# and ciphers, SEC-47 no credentials in any cookie, SEC-69 rEMOTE_USER only after complete
# authentication, SEC-70 client identity headers always removed, SEC-71 hop-by-hop tricks, SEC-72
# identity only through names the client cannot set.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 32;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ALICE = 'correct horse battery staple';
my $ua = ua();
login_as($ua, 'alice', $ALICE);

# --- what the back end sees -----------------------------------------------------------------
my $env = $ua->get('/app/env.pl', 'X-Remote-User' => 'admin', 'x_remote_user' => 'admin2',
                   'X-Remote-Email' => 'evil@example.org', 'Remote-User' => 'admin3')->content;
like($env, qr/^REMOTE_USER=alice$/m, 'REMOTE_USER is the logged-in user');
like($env, qr/^HTTP_X_REMOTE_USER=alice$/m, 'X-Remote-User is ours');
like($env, qr/^HTTP_X_REMOTE_EMAIL=alice\@example.ch$/m, 'X-Remote-Email is ours');
unlike($env, qr/admin2|evil\@example/, 'the client copies are gone');
like($env, qr/^HTTP_REMOTE_USER=admin3$/m, 'a Remote-User header stays an HTTP_ variable, never REMOTE_USER');
$env = $ua->get('/app/env.pl', Connection => 'close, X-Remote-User')->content;
like($env, qr/^HTTP_X_REMOTE_USER=alice$/m, 'Connection: X-Remote-User cannot drop the identity');
# issue 13, finding 1 (SEC-71): mod_proxy drops every header that Connection names, and its
# tokens also end at ";". What reaches the back end must name neither identity header.
for my $conn ('close;X-Remote-User', 'X-Remote-User;q=1', 'keep-alive;X-Remote-Email', 'close, x-remote-user') {
    $env = $ua->get('/app/env.pl', Connection => $conn)->content;
    my ($seen) = $env =~ /^HTTP_CONNECTION=(.*)$/m;
    ok(defined $seen && $seen !~ /x-remote/i, "Connection: $conn reaches the back end without the header names")
        or diag($seen // "(no Connection header at the back end)");
    like($env, qr/^HTTP_X_REMOTE_USER=alice$/m, "and X-Remote-User is ours");
}

my $anon = ua();
$env = $anon->get('/public/env.pl', 'X-Remote-User' => 'admin', 'X_REMOTE_USER' => 'admin', 'x-remote-user ' => 'admin')->content;
unlike($env, qr/admin/, 'on a public location spoofed identity headers are removed too');
unlike($env, qr/^REMOTE_USER=/m, 'and nobody is authenticated');
$env = $anon->get('/public/env.pl', Authorization => 'Basic ' . 'YWRtaW46YWRtaW4=')->content;
unlike($env, qr/^REMOTE_USER=/m, 'a Basic header authenticates nobody');
my $r = $anon->request(HTTP::Request->new(OPTIONS => '/app/env.pl', ['X-Remote-User' => 'admin']));
isnt($r->code, 200, 'OPTIONS on the app without a session is not served');

# --- Require user ----------------------------------------------------------------------------
is($ua->get('/bobonly/env.pl')->code, 403, 'alice may not see a page for bob only');
my $bob = ua();
login_as($bob, 'bob', 'the builder has a passphrase 2026');
is($bob->get('/bobonly/env.pl')->code, 200, 'bob may');

# --- stock mod_session reads our cookie -------------------------------------------------------------
$env = ua()->get('/stock/env.pl', cookie_header(session_cookie($ua)))->content;
my ($session) = $env =~ /^HTTP_SESSION=(.*)$/m;
ok(defined $session, 'stock mod_session_crypto decrypts our cookie');
like($session // '', qr/(^|&)seances-user=alice(&|$)/, 'and reads seances-user=alice');
like($session // '', qr/(^|&)expiry=\d{16}(&|$)/, 'with an expiry in microseconds');
my ($sid) = ($session // '') =~ /(?:^|&)seances-sid=([^&]+)/;
ok($sid && length($sid) >= 43, 'and a session id of 256 bits');
unlike($session // '', qr/horse|battery/, 'and no password');

# --- we read what stock mod_session writes ----------------------------------------------------------
$r = ua()->get("/stock/set-session.pl?seances-sid=$sid&seances-user=alice");
my ($stock_cookie) = map { /^seances_session=([^;]+)/ ? $1 : () } @{ cookies_of($r) };
ok($stock_cookie, 'stock mod_session_crypto writes a cookie with our keys');
isnt($stock_cookie, session_cookie($ua), 'encrypted by Apache (another salt and IV)');
$env = ua()->get('/app/env.pl', cookie_header($stock_cookie))->content;
like($env, qr/^REMOTE_USER=alice$/m, 'our module accepts it while the session is live');
$r = ua()->get('/stock/set-session.pl?seances-sid=made-up-session-id&seances-user=alice');
($stock_cookie) = map { /^seances_session=([^;]+)/ ? $1 : () } @{ cookies_of($r) };
is(ua()->get('/app/env.pl', cookie_header($stock_cookie))->code, 302, 'but not with a session id the database does not know');

# --- passphrase rotation: the first encrypts, every one decrypts ---------------------------------
$env = ua()->get('/stock-old/env.pl', cookie_header(session_cookie($ua)))->content;
unlike($env, qr/^HTTP_SESSION=.*seances-user/m, 'our cookies are encrypted with the first passphrase, not the older one');
$r = ua()->get("/stock-old/set-session.pl?seances-sid=$sid&seances-user=alice");
my ($old_cookie) = map { /^seances_session=([^;]+)/ ? $1 : () } @{ cookies_of($r) };
ok($old_cookie, 'stock Apache writes a cookie under the older passphrase');
like(ua()->get('/app/env.pl', cookie_header($old_cookie))->content, qr/^REMOTE_USER=alice$/m,
     'and our module still accepts it');
