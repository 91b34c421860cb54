# SMTP down (nothing listens) and hanging (a socket that accepts and never answers) (issue 9):
# the forgot page is the same and as fast, nothing answers 500, and the log says why, with a
# stable identifier and the account's id: the first try (SEANCES0802), then the loss after the
# retry (SEANCES0803). SEC-51, N (robustness).
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use IO::Socket::INET ();
use Time::HiRes ();
use SeancesTest;
use SeancesTotp qw(add_user);

plan tests => 16;

sub forgot {
    my ($ua, $name) = @_;
    my $page = $ua->get('/forgot');
    my ($csrf) = ($page->decoded_content // '') =~ /name="csrf" value="([^"]+)"/;
    my $t0 = Time::HiRes::time();
    my $r = $ua->post('/forgot', [csrf => $csrf, username => $name]);
    return ($r, Time::HiRes::time() - $t0);
}

sub normalise {
    my $html = shift // '';
    $html =~ s/(name="csrf" value=")[^"]+/$1/g;
    $html =~ s/nonce-[A-Za-z0-9_-]+|nonce="[^"]+"/nonce/g;
    return $html;
}

add_user('dora', 'a long password for D 1');
my $id = sql("SELECT id FROM users WHERE name = 'dora'")->[0];

# the reference: the page with a working SMTP server
Apache::TestRequest::module('seances_mail');
my ($ref) = forgot(ua(), 'nobody-at-all');
my $page = normalise($ref->decoded_content);

for my $case (['seances_mail_down', 'down (port closed)'], ['seances_mail_hang', 'hanging']) {
    my ($vhost, $what) = @$case;
    my $listener;
    if ($vhost eq 'seances_mail_hang') {
        # accepts connections (the kernel completes them) and never says a word
        $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                          LocalPort => Apache::Test::vars('seances_smtp_hang_port'),
                                          Listen => 16, ReuseAddr => 1)
            or die "cannot listen on the hang port: $!";
    }
    Apache::TestRequest::module($vhost);
    my $off = error_log_size();
    my ($r, $secs) = forgot(ua(), 'dora');
    is($r->code, 200, "SMTP $what: the page answers 200");
    is(normalise($r->decoded_content), $page, "SMTP $what: the same page as with a working server");
    cmp_ok($secs, '<', 1.0, sprintf("SMTP $what: as fast (%.3f s)", $secs));
    my ($r2) = forgot(ua(), 'nobody-at-all');
    is(normalise($r2->decoded_content), $page, "SMTP $what: an unknown account gets it too");
    ok(error_log_wait($off, qr/SEANCES0802: mail reset for account \Q$id\E not sent \(.+\): trying once more/, 15),
       "SMTP $what: the first failure is logged with the account's id (SEANCES0802)");
    my $lost = error_log_wait($off, qr/SEANCES0803: mail reset for account \Q$id\E lost: /, 20);
    ok($lost, "SMTP $what: the loss after the retry is logged (SEANCES0803)");
    like($lost // '', $vhost eq 'seances_mail_hang' ? qr/no answer from the server within the time-out/
                                                    : qr/Connection refused/,
         "SMTP $what: and says why");
    ok(!grep({ /dora\@example\.ch/ } error_log_since($off)), "SMTP $what: the log never shows the address");
    close $listener if $listener;
}
Apache::TestRequest::module('default');
