# The client address that throttling and the login history use is the TCP peer, not what the
# client claims (test/SECURITY.md): SEC-17 (per-source buckets cannot be dodged with
# X-Forwarded-For, the test config trusts no proxy) and SEC-62 (the history shows the real
# peer; its escaping of the User-Agent is in 20_portal.t).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 8;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $ALICE = 'correct horse battery staple';
my $peer = qr/^(127\.0\.0\.1|::1)$/;
my @spoof = ('X-Forwarded-For' => '203.0.113.9', 'X-Real-IP' => '203.0.113.10',
             'Forwarded' => 'for=203.0.113.11', 'Client-IP' => '203.0.113.12');

# --- SEC-17: the per-address bucket is the peer's ---------------------------------------------
my $ua = ua();
$ua->default_header(@spoof);
my $r = login_as($ua, 'sec17-nobody', 'wrong password 17');
is($r->code, 200, 'SEC-17: a failed login with spoofed forwarding headers');
my $keys = sql(q{SELECT key FROM throttle WHERE key LIKE 'ip:%'});
is(scalar @$keys, 1, 'SEC-17: one address bucket');
like(($keys->[0] // '') =~ s/^ip://r, $peer, 'SEC-17: and it is the TCP peer, not a forwarded address');
ok(!grep({ /203\.0\.113/ } @$keys), 'SEC-17: no bucket for any claimed address');

# --- SEC-62: the history records and shows the peer --------------------------------------------
$r = login_as($ua, 'alice', $ALICE);
is($r->code, 303, 'SEC-62: alice logs in with the same spoofed headers');
my $ip = sql(q{SELECT ip FROM login_events WHERE username = 'alice' ORDER BY id DESC LIMIT 1})->[0] // '';
like($ip, $peer, 'SEC-62: the login event holds the TCP peer');
my $html = $ua->get('/portal')->decoded_content;
like($html, qr/127\.0\.0\.1|::1/, 'SEC-62: the portal history shows the real address');
unlike($html, qr/203\.0\.113/, 'SEC-62: and none of the claimed ones');
clear_throttle();
