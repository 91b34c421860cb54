# Hostile input at the edges (test/SECURITY.md): SEC-20 credentials only in POST bodies,
# SEC-21 raw control characters in the request line, SEC-66 markup in a user name on the
# failure page, SEC-74 protection whatever the URL spelling, SEC-75 SQL metacharacters in
# user names (both drivers), SEC-77 no log injection through a user name.
# Checklist (test/SECURITY.md): SEC-73 header values CR/LF-free and encoded.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use IO::Socket::INET ();
use URI::Escape qw(uri_escape);
use SeancesTest;
use SeancesLogin;

plan tests => 39;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ALICE = 'correct horse battery staple';
sub failed_page { $_[0]->code == 200 && $_[0]->decoded_content =~ /mot de passe incorrect/ }
sub app_served  { $_[0]->code == 200 && $_[0]->content =~ /^GATEWAY_INTERFACE=/m }

# --- SEC-20: credentials only in POST bodies ----------------------------------------------------
# (a user of its own: this test puts its password in URLs on purpose, 89_logs.t checks that the
# seed passwords never reach the logs)
my $SEC20 = 'query string secret 2026';
my ($rc) = admin({ stdin => "$SEC20\n" }, 'user', 'add', 'sec20', '--password-stdin');
is($rc, 0, 'SEC-20: a user for this test');
my $ua = ua();
my $token = form_token($ua);
my $q = "username=sec20&password=" . uri_escape($SEC20) . "&csrf=" . uri_escape($token);
my $r = $ua->get("/login?$q&return=/app/env.pl");
is($r->code, 200, 'SEC-20: GET /login with credentials in the query shows the form');
ok(!session_cookie($ua), 'SEC-20: and logs nobody in');
$r = $ua->post("/login?username=sec20&password=" . uri_escape($SEC20),
               [csrf => $token, return => '/app/env.pl']);
isnt($r->code, 303, 'SEC-20: a POST with the credentials in the query string only does not log in');
ok(!session_cookie($ua), 'SEC-20: no session cookie');
is(login_as(ua(), 'sec20', $SEC20)->code, 303, 'SEC-20: the same credentials in the body do log in');
($rc) = admin('user', 'delete', 'sec20');
is($rc, 0, 'SEC-20: the user is removed');
clear_throttle();

# --- SEC-21: raw control characters in the request line: 400, never the app --------------------
sub raw_status {
    my ($line, @headers) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => 'localhost', PeerPort => Apache::Test::vars('port'),
                                  Timeout => 10) or return 0;
    print $s "$line\r\nHost: localhost\r\nConnection: close\r\n", map({ "$_\r\n" } @headers), "\r\n";
    my $status = <$s> // '';
    return $status =~ m{^HTTP/1\.\d (\d{3})} ? $1 : 0;
}
my $alice = ua();
is(login_as($alice, 'alice', $ALICE)->code, 303, 'alice logs in (for requests with a session)');
my $cookie = 'Cookie: seances_session=' . session_cookie($alice);
for my $ctl ("\x01", "\x7f", "\t", "\x0b") {
    my $shown = sprintf '\\x%02x', ord $ctl;
    is(raw_status("GET /app/env${ctl}.pl HTTP/1.1", $cookie), 400, "SEC-21: a raw $shown in the path: 400, with a valid cookie too");
}
isnt(raw_status("GET /app/env.pl\x00x HTTP/1.1", $cookie), 200, 'SEC-21: a raw NUL: never 200');

# --- SEC-66: markup in the user name on the failure page ------------------------------------------
my $evil = q{"><img src=x onerror=alert(1)>};
$r = login_as(ua(), $evil, 'wrong password 66');
ok(failed_page($r), 'SEC-66: a user name with markup gets the generic failure');
unlike($r->decoded_content, qr/<img src=x/, 'SEC-66: the name is not markup on the page');
like($r->decoded_content, qr/&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/, 'SEC-66: it is shown escaped in the field');
clear_throttle();

# --- SEC-74: the URL spelling does not open the app ----------------------------------------------
my $anon = ua();
for my $path ('/app/env.pl', '/app//env.pl', '/app/./env.pl', '/app/%2e%2e/app/env.pl',
              '/public/../app/env.pl', '/public/%2e%2e/app/env.pl', '/%61pp/env.pl', '/app/env.pl%00',
              '/app;x/env.pl', '/APP/env.pl', '//app/env.pl', '/app/env.pl/', '/app/%65nv.pl') {
    $r = $anon->get($path);
    ok(!app_served($r), "SEC-74: $path without a session: not served (" . $r->code . ')');
}

# --- SEC-75: SQL metacharacters in user names, on this driver ------------------------------------
my $users = sql('SELECT COUNT(*) FROM users')->[0];
my @names = (q{' OR '1'='1}, q{admin'--}, '%', '_', q{alice' --}, q{x"; DROP TABLE users; --});
for my $i (0 .. $#names) {
    clear_throttle() if $i % 3 == 0;
    $r = login_as(ua(), $names[$i], q{' OR '1'='1});
    ok(failed_page($r) && $r->decoded_content !~ /sqlite|syntax|SQLSTATE|ERROR:|pq_|apr_dbd/i,
       "SEC-75: user name <$names[$i]>: the generic failure, no database text");
}
is(sql('SELECT COUNT(*) FROM users')->[0], $users, 'SEC-75: the users table is intact');
clear_throttle();

# --- SEC-77: no log injection -----------------------------------------------------------------------
my $off = error_log_size();
login_as(ua(), "mallory\r\n[fake] admin logged in\n[fake2]", 'wrong password 77');
ok(error_log_wait($off, qr/SEANCES0101: login failed for \(invalid user name\)/, 5),
   'SEC-77: the failure is logged, the name with line breaks replaced by a placeholder');
my @lines = error_log_since($off);
ok(!grep({ /^\[fake/ } @lines), 'SEC-77: no line of the log starts with the injected text');
is(scalar(grep { /fake|mallory/ } @lines), 0, 'SEC-77: none of the name reaches the log');
clear_throttle();
