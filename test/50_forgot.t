# "Mot de passe oublié" (issue 9): the request through the real SMTP sink. SEC-51 (same page,
# comparable time), SEC-53 (link from SeancesBaseURL, never Host), SEC-54 (the stored address
# only), SEC-59 (one recipient; headers of RFC 5322/2045/2047), SEC-52 (only digests stored).
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use Time::HiRes ();
use LWP::UserAgent ();
use SeancesTest;
use SeancesMail;
use SeancesTotp qw(add_user);

plan tests => 41;

# Asks for a reset on the current vhost; returns the POST's response.
sub forgot {
    my ($ua, @fields) = @_;
    my $page = $ua->get('/forgot');
    my ($csrf) = ($page->decoded_content // '') =~ /name="csrf" value="([^"]+)"/;
    return $ua->post('/forgot', [csrf => $csrf, @fields]);
}

sub normalise {
    my $html = shift // '';
    $html =~ s/(name="csrf" value=")[^"]+/$1/g;
    $html =~ s/nonce-[A-Za-z0-9_-]+|nonce="[^"]+"/nonce/g;
    return $html;
}

# ---- open to everyone, on the main server too (no mail there: logged) ----
my $ua = ua();
my $r = $ua->get('/forgot');
is($r->code, 200, '/forgot answers without a login (main server)');
like($r->decoded_content, qr/name="username"/, 'with the name-or-address field');
like($r->header('Referrer-Policy') // '', qr/no-referrer/, 'and no Referer (SEC-56)');
my $off = error_log_size();
$r = forgot($ua, username => 'alice');
is($r->code, 200, 'a request on a server without mail set up: the same page');
ok(error_log_wait($off, qr/SEANCES08(?:06|12): .*(?:mail reset for account \d+ not sent|SeancesBaseURL is not set)/, 5),
   'and the log says no mail was sent (SEANCES0806)');

$r = $ua->get('/login');
like($r->decoded_content, qr{href="/forgot"}, 'the login page links to /forgot');

# ---- the mail ----
Apache::TestRequest::module('seances_mail');
add_user('fgrita', 'a long password for R 1');
my $rita_email = 'fgrita@example.ch';
$ua = ua();
my $n = mail_count();
my $t0 = Time::HiRes::time();
$r = forgot($ua, username => 'fgrita');
my $known_time = Time::HiRes::time() - $t0;
is($r->code, 200, 'the request is answered');
my $known_page = normalise($r->decoded_content);
like($known_page, qr/Si un compte correspond, un e-mail a été envoyé/, 'with the same-for-all text');
my $m = wait_mail($rita_email, $n);
ok($m, 'the mail arrives at the SMTP sink');
$m //= {header => {}, raw_header => {}, text => '', html => '', envelope_to => []};
is_deeply($m->{envelope_to}, [$rita_email], 'one recipient, the stored address (SEC-59)');
like($m->{raw_header}{subject} // '', qr/^=\?UTF-8\?B\?[A-Za-z0-9+\/=]+\?=/,
     'the subject is an RFC 2047 encoded word');
like($m->{header}{subject} // '', qr/Réinitialisation du mot de passe/, 'which decodes to French');
like($m->{header}{date} // '', qr/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/, 'Date (RFC 5322)');
like($m->{header}{'message-id'} // '', qr/^<[A-Za-z0-9_-]+\@example\.test>$/, 'Message-ID at the sender\'s domain');
is($m->{header}{'mime-version'} // '', '1.0', 'MIME-Version');
like($m->{header}{'content-type'} // '', qr{^multipart/alternative; boundary=}, 'multipart/alternative');
like($m->{header}{from} // '', qr/<seances\@example\.test>$/, 'From is SeancesSMTPFrom');
my ($link) = ($m->{text} // '') =~ m{(https://\S+)};
like($link // '', qr{^https://seances\.example\.test/reset\?token=[A-Za-z0-9_-]{43}$},
     'the text part holds the link from SeancesBaseURL (256-bit token)');
my ($token) = ($link // '') =~ /token=(\S+)/;
ok(index($m->{html} // '', "href=\"$link\"") >= 0, 'the HTML part holds the same link');
my ($code) = ($m->{text} // '') =~ /^(\d{4} \d{4})$/m;
ok($code && index($m->{html}, $code) >= 0, 'both parts show the short code');
like($m->{text_header} // '', qr/charset=UTF-8/, 'the text part is UTF-8');
is(sql("SELECT count(*) FROM reset_tokens WHERE token_hash = '$token'")->[0], 0,
   'the database holds no raw token (SEC-52)');

# ---- unknown account: the same page, no mail ----
$n = mail_count();
$t0 = Time::HiRes::time();
$r = forgot($ua, username => 'nobody-like-this');
my $unknown_time = Time::HiRes::time() - $t0;
is($r->code, 200, 'an unknown account gets the same status');
is(normalise($r->decoded_content), $known_page, 'and the same page, byte for byte (SEC-51)');
sleep 2;
is(scalar(mails_since($n)), 0, 'and no mail') or diag explain [mails_since($n)];
cmp_ok(abs($known_time - $unknown_time), '<', 0.5,
       sprintf('comparable times (%.3f s and %.3f s; the mail is sent off the request)',
               $known_time, $unknown_time));
$r = forgot($ua, username => 'unknown@example.ch');
is(normalise($r->decoded_content), $known_page, 'an unknown address: the same page');

# ---- a forged Host does not change the link (SEC-53) ----
add_user('fghugo', 'a long password for H 2');
$n = mail_count();
my $p = ua()->get('/forgot');
my ($csrf) = $p->decoded_content =~ /name="csrf" value="([^"]+)"/;
my ($nonce) = ($p->header('Set-Cookie') // '') =~ /(seances_session_csrf=[^;]+)/;
# a client of its own: the cookie goes in by hand, as the jar would not send it to evil.example
$r = LWP::UserAgent->new->post(url('/forgot'), [csrf => $csrf, username => 'fghugo'],
                               Host => 'evil.example', 'X-Forwarded-Host' => 'evil.example',
                               Cookie => $nonce);
is($r->code, 200, 'a request with Host: evil.example is answered as any other');
$m = wait_mail('fghugo@example.ch', $n);
ok($m && $m->{text} =~ m{https://seances\.example\.test/reset\?token=}, 'the link keeps SeancesBaseURL');
ok($m && $m->{raw} !~ /evil\.example/, 'evil.example appears nowhere in the mail');

# ---- the stored address only (SEC-54) ----
add_user('fgiris', 'a long password for I 3');
$n = mail_count();
forgot($ua, username => 'fgiris', email => 'attacker@example.org', 'email[]' => 'attacker@example.org',
       username => 'someone-else');
$m = wait_mail('fgiris@example.ch', $n);
ok($m, 'username=fgiris with an attacker\'s e-mail field: the mail goes to fgiris');
my @all = mails_since($n);
is(scalar(grep { ($_->{raw} // '') =~ /attacker/ } @all), 0, 'nothing reaches the attacker');
is(scalar(@all), 1, 'exactly one mail (the first username counts)');

# ---- the address as the login name (any case) ----
$n = mail_count();
forgot($ua, username => 'FGIRIS@example.ch');
ok(wait_mail('fgiris@example.ch', $n), 'the e-mail address works as well, whatever its case');

# ---- CSRF (SEC-60): a form without its token (stale, or forged) is shown again, nothing sent ----
$n = mail_count();
$r = $ua->post('/forgot', [username => 'fgiris']);
is($r->code, 200, 'a request without its CSRF token: the form again, not a 403');
like($r->decoded_content, qr/class="notice"[^>]*>Le formulaire a expiré/, 'with a notice saying why');
like($r->decoded_content, qr/name="username" type="text" value="fgiris"/, 'and the name typed');
($csrf) = $r->decoded_content =~ /name="csrf" value="([^"]+)"/;
ok(!wait_mail('fgiris@example.ch', $n, 2), 'no mail was sent');
$r = $ua->post('/forgot', [csrf => $csrf, username => 'fgiris']);
ok(wait_mail('fgiris@example.ch', $n), 'the form shown again works');

# ---- no SeancesBaseURL: no link from Host, no mail, a log line ----
Apache::TestRequest::module('seances_mail_nobase');
$ua = ua();
$off = error_log_size();
$n = mail_count();
$r = forgot($ua, username => 'fgiris');
is($r->code, 200, 'without SeancesBaseURL the page is the same');
ok(error_log_wait($off, qr/SEANCES0812: .*SeancesBaseURL is not set/, 5),
   'the log says why no mail was sent (SEANCES0812)');
Apache::TestRequest::module('default');
