# Throttling per account and per client address, kept in the database (SeancesLockout 3 10m 10m 8).
# Checklist (test/SECURITY.md): SEC-13 one generic failure response, SEC-15 per-account throttling,
# SEC-16 lockout is not an enumeration or DoS tool, SEC-17 per-source throttling, SEC-78 canonical
# usernames.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 18;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $BOB = 'the builder has a passphrase 2026';
my $ALICE = 'correct horse battery staple';
sub failed_page { $_[0]->code == 200 && $_[0]->decoded_content =~ /mot de passe incorrect/ }

# --- per account ----------------------------------------------------------------------------
my $ua = ua();
ok(failed_page(login_as($ua, 'bob', "wrong $_")), "bob: wrong password $_") for 1 .. 3;
my $r = login_as($ua, 'bob', $BOB);
ok(failed_page($r), 'after 3 failures even the right password gets the generic failure');
is(sql("SELECT result FROM login_events WHERE username = 'bob' ORDER BY id DESC LIMIT 1")->[0], 'throttled', 'recorded as throttled');
$r = login_as(ua(), 'BOB', $BOB);
ok(failed_page($r), 'the ban holds for every spelling of the name');
$r = login_as(ua(), 'alice', $ALICE);
is($r->code, 303, 'other accounts are not affected');
my ($rc) = admin('unlock', 'bob');
is($rc, 0, 'seances-admin unlock bob');
is(login_as(ua(), 'bob', $BOB)->code, 303, 'bob can log in again');

# --- unknown accounts are throttled the same way: the answer does not tell ------------------------
clear_throttle();
ok(failed_page(login_as($ua, 'ghost', "guess $_")), "ghost: guess $_") for 1 .. 3;
my $ghost = normalise_page(login_as($ua, 'ghost', 'guess 4')->decoded_content) =~ s/(name="username"[^>]*value=")[^"]*"/$1"/r;
clear_throttle();
ok(failed_page(login_as($ua, 'bob', "wrong $_")), 'bob fails again') for 1 .. 3;
my $banned = normalise_page(login_as($ua, 'bob', $BOB)->decoded_content) =~ s/(name="username"[^>]*value=")[^"]*"/$1"/r;
is($ghost, $banned, 'a banned unknown name and a banned real account get the same page');

# --- per client address ---------------------------------------------------------------------
clear_throttle();
login_as($ua, "sprayed-$_", 'password123') for 1 .. 8;
$r = login_as(ua(), 'alice', $ALICE);
ok(failed_page($r), 'after 8 failures from one address over many names, the address is banned');
is_deeply(sql('SELECT key FROM throttle WHERE banned_until > ' . time . ' ORDER BY key'), ['ip:127.0.0.1'], 'the ban is on the address, and only there');
clear_throttle();
