# The lockout reserves an attempt before its check (issue 13, finding 2), so that parallel
# guesses cannot pass it. Right passwords that arrive together, more of them than the limit,
# wait for the ones being checked instead of being refused; an attempt whose turn never comes
# is refused after a bounded wait (2 s), and the lockout still bans as before.
# Checklist (test/SECURITY.md): SEC-16 the lockout is not a denial-of-service tool.
use strict;
use warnings;

use Time::HiRes qw(time);

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesReliability;

plan tests => 8;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $PW = 'correct horse battery staple';
Apache::TestRequest::module('seances_turns');
my $BASE = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

my $count = sub { sql(qq{SELECT count(*) FROM login_events WHERE username = 'alice' AND result = '$_[0]'})->[0] };

# --- eight right passwords at once, against a limit of two ---------------------------------
my @sessions = map { [csrf_session($BASE)] } 1 .. 8;
my $throttled = $count->('throttled');
my $ok = $count->('ok');
my @res = in_parallel(8, sub {
    my ($ua, $token) = @{ $sessions[shift] };
    my $r = $ua->post("$BASE/login", [username => 'alice', password => $PW,
                                      return => '/app/env.pl', csrf => $token]);
    return $r->code;
});
is(scalar(grep { $_ == 303 } @res), 8, '8 right passwords at once (limit 2): all 8 log in') or diag("@res");
is($count->('ok') - $ok, 8, 'eight ok rows');
is($count->('throttled') - $throttled, 0, 'none was refused by the lockout');
is(sql(q{SELECT count(*) FROM throttle WHERE key = 'user:alice'})->[0], 0,
   'and the account holds no attempt afterwards');

# --- a turn that never comes: two attempts "in flight" that never end ------------------------
my $now = int(time);
sql(qq{INSERT INTO throttle (key, failures, window_start, banned_until) VALUES ('user:alice', 2, $now, 0)});
my ($ua, $token) = csrf_session($BASE);
my $off = error_log_size();
my $t0 = time;
my $r = $ua->post("$BASE/login", [username => 'alice', password => $PW, return => '/', csrf => $token]);
my $waited = time - $t0;
ok($r->code == 200 && $r->decoded_content =~ /name="password"/, 'a right password whose turn never comes: the form again');
ok($waited >= 1.8 && $waited < 10, sprintf 'after waiting its turn for about 2 s (%.2f s)', $waited);
ok(error_log_wait($off, qr/SEANCES0101: login failed for alice from \S+: throttled_account/, 5),
   'logged as throttled_account');
is(sql(q{SELECT failures FROM throttle WHERE key = 'user:alice'})->[0], 2, 'its attempt was given back');
clear_throttle();
