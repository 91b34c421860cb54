# The session cache (SeancesSessionCache, default shmcb; SeancesSessionRecheck 1s): a session
# the database vouched for is trusted for at most a second without asking again. Its bounds:
# a logout through this server refuses every copy of the cookie at once, in every child; a
# revocation the server cannot see (the CLI, another server) takes effect within the recheck
# time; so does a disabled user and a database that stops answering.
# Checklist (test/SECURITY.md): SEC-48 logout is server-side.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use Time::HiRes qw(sleep time);
use SeancesTest;
use SeancesLogin;

plan tests => 17;
Test::More->builder->failure_output(\*STDERR);

my $ALICE = 'correct horse battery staple';
my $BOB   = 'the builder has a passphrase 2026';

# A new connection each time (no keep-alive), so that the requests spread over the children.
sub get_copy {
    my ($cookie, $base) = @_;
    return ua(keep_alive => 0)->get(($base // '') . '/app/env.pl', cookie_header($cookie))->code;
}

# Seconds until the cookie is refused (302/503), polling every 50 ms for at most $max.
sub seconds_until_refused {
    my ($cookie, $max, $base) = @_;
    my $t0 = time;
    while (time - $t0 < $max) {
        my $code = get_copy($cookie, $base);
        return (time - $t0, $code) if $code != 200;
        sleep 0.05;
    }
    return (undef, 200);
}

# --- the cache is in use: a session deleted behind the server's back still opens, briefly ---
my $ua = ua();
login_as($ua, 'alice', $ALICE);
my $cookie = session_cookie($ua);
is(get_copy($cookie), 200, 'alice is in');
sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = 'alice')");
is(get_copy($cookie), 200, 'right after a deletion the server cannot see, the cache still vouches');
my ($after, $code) = seconds_until_refused($cookie, 3);
is($code, 302, 'then the database is asked and the cookie refused');
ok(defined $after && $after <= 1.2, sprintf 'within the recheck time (%.2f s)', $after // -1);

# --- logout through this server: every copy refused at once, by every child -----------------
$ua = ua();
login_as($ua, 'alice', $ALICE);
$cookie = session_cookie($ua);
my @warm = map { get_copy($cookie) } 1 .. 8;
is_deeply(\@warm, [(200) x 8], 'a copy of the cookie works in every child');
my $page = $ua->get('/logout');
my ($csrf) = $page->decoded_content =~ /name="csrf" value="([^"]+)"/;
is($ua->post('/logout', [csrf => $csrf])->code, 200, 'alice logs out');
my @after = map { get_copy($cookie) } 1 .. 8;
is_deeply(\@after, [(302) x 8], 'the copy is refused at once, in every child');

# --- the CLI: within the recheck time ---------------------------------------------------------
$ua = ua();
login_as($ua, 'bob', $BOB);
$cookie = session_cookie($ua);
is(get_copy($cookie), 200, 'bob is in (and cached)');
my ($rc) = admin('sessions', 'bob', '--revoke-all');
is($rc, 0, 'the admin revokes his sessions');
($after, $code) = seconds_until_refused($cookie, 3);
is($code, 302, 'his cookie is refused');
ok(defined $after && $after <= 1.2, sprintf 'within the recheck time (%.2f s)', $after // -1);

$ua = ua();
login_as($ua, 'bob', $BOB);
$cookie = session_cookie($ua);
get_copy($cookie);
admin('user', 'disable', 'bob');
($after, $code) = seconds_until_refused($cookie, 3);
admin('user', 'enable', 'bob');
is($code, 302, 'a disabled user is refused');
ok(defined $after && $after <= 1.2, sprintf 'within the recheck time (%.2f s)', $after // -1);

# --- a database that stops answering: 503 within the recheck time ------------------------------
Apache::TestRequest::module('seances_cachefail');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');
my $db = Apache::Test::vars('seances_cachefail_db');
admin({ db => $db, stdin => "$ALICE\n" }, 'user', 'add', 'alice', '--password-stdin');
$ua = ua();
login_as($ua, 'alice', $ALICE, base => $base);
$cookie = session_cookie($ua);
is(get_copy($cookie, $base), 200, 'alice is in on a server of its own');
break_db($db);
my $off = error_log_size();
($after, $code) = seconds_until_refused($cookie, 3, $base);
repair_db($db);
is($code, 503, 'with its database unusable, the cached session gets 503');
ok(defined $after && $after <= 1.2, sprintf 'within the recheck time (%.2f s)', $after // -1);
ok(error_log_wait($off, qr/SEANCES030[24]/, 5), 'and the error log says why');
