# Issue 13, finding 8: what a back end behind AuthType Seances receives, and how its answer may
# be cached. SeancesCookieRemove (on by default) takes the session cookie, and only it, out of
# the request that mod_proxy (or a CGI) gets; SeancesCacheControl (private by default) keeps
# shared caches from storing a signed-in user's page, unless the back end is stricter.
# Checklist: SEC-43 (no caching of authenticated responses), SEC-47 and SEC-72 (no bearer
# token or forgeable identity reaches back ends).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 16;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ua = ua();
is(login_as($ua, 'alice', 'correct horse battery staple')->code, 303, 'alice logs in');
my $sid = session_cookie($ua);
my $plain = ua();    # no jar cookies: the Cookie header below is all it sends
my $get = sub {
    my ($path, $cookie) = @_;
    return $plain->get($path, Cookie => $cookie // "seances_session=$sid");
};
sub cookie_seen { my ($r) = @_; my ($c) = $r->decoded_content =~ /^HTTP_COOKIE=(.*)$/m; return $c }

# --- the cookie ----------------------------------------------------------------------------------
my $r = $get->('/proxied/env.pl', "theme=dark; seances_session=$sid; lang=fr");
is($r->code, 200, 'the proxied back end answers a signed-in user');
is(cookie_seen($r), 'theme=dark; lang=fr', 'it got the other cookies, not the session cookie');
$r = $get->('/proxied/env.pl', "a=1, seances_session=$sid;seances_session =$sid; b=2,c=3");
is(cookie_seen($r), 'a=1; b=2,c=3', 'every spelling of it goes (after a comma, blank before =)');
$r = $get->('/proxied/env.pl');
is($r->code, 200, 'the session cookie alone: still signed in');
is(cookie_seen($r) // '(none)', '(none)', 'and the back end gets no Cookie at all');
$r = $get->('/app/env.pl', "x=y; seances_session=$sid");
is(cookie_seen($r), 'x=y', 'a CGI behind AuthType Seances does not get it either');
$r = $get->('/proxied-keep/env.pl', "theme=dark; seances_session=$sid");
is(cookie_seen($r), "theme=dark; seances_session=$sid", 'SeancesCookieRemove off: forwarded as sent');
$r = $get->('/stock/env.pl');
like($r->decoded_content, qr/^HTTP_SESSION=.*seances-user=alice/m,
     'stock mod_session elsewhere on the server still reads the cookie');

# --- Cache-Control ---------------------------------------------------------------------------------
is($get->('/proxied/env.pl')->header('Cache-Control'), 'private',
   'a protected answer is private by default');
is($get->('/proxied/cache.pl?public,%20max-age=600')->header('Cache-Control'), 'private',
   'a back end cannot make it public');
is($get->('/proxied/cache.pl?no-store')->header('Cache-Control'), 'no-store',
   'a stricter back end keeps its no-store');
is($get->('/app/env.pl')->header('Cache-Control'), 'private', 'a CGI answer too');
is($get->('/proxied-nocache/env.pl')->header('Cache-Control'), 'private, no-cache',
   'SeancesCacheControl sets the value');
is($get->('/proxied-keep/cache.pl?public')->header('Cache-Control'), 'public',
   'SeancesCacheControl off leaves the back end alone');
my ($rc, $output) = apache_t(qq{<Location "/x">\nSeancesCacheControl "private\x01"\n</Location>\n});
ok($rc != 0 && $output =~ /SeancesCacheControl/, 'a control character in the value fails apachectl -t');
