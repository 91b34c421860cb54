# STARTTLS and AUTH against a real TLS mail server (issue 9): the "smtp-tls" sink of test/TEST
# offers STARTTLS with a certificate for "localhost" from the run's own CA and takes a mail only
# after TLS and a login. With SeancesSMTPCACertificate naming that CA the reset mail arrives,
# over TLS, logged in. Each way the trust can fail keeps the mail back and says why in the log:
# the system's CAs (which do not know the run's CA), the right CA but another name, the wrong
# password, and TLS required of a server that does not offer it. SEC-51 (the page is the same
# whatever happens to the mail). The sink speaks TLS 1.2 at most (see test/smtp/sink.py).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesMail;
use SeancesTotp qw(add_user);

plan tests => 17;

# /forgot on $vhost for $name; the page's status
sub forgot {
    my ($vhost, $name) = @_;
    Apache::TestRequest::module($vhost);
    my $ua = ua();
    my ($csrf) = ($ua->get('/forgot')->decoded_content // '') =~ /name="csrf" value="([^"]+)"/;
    my $r = $ua->post('/forgot', [csrf => $csrf, username => $name]);
    Apache::TestRequest::module('default');
    return $r->code;
}

sub account_id { sql("SELECT id FROM users WHERE name = '$_[0]'")->[0] }

# ---- all as it should be ----------------------------------------------------------------------
add_user('tlsok', 'a long password for T 1');
my $n = mail_count();
my $off = error_log_size();
is(forgot('seances_mail_tls', 'tlsok'), 200, 'the reset page answers');
my $m = wait_mail('tlsok@example.ch', $n, 10, qr{/reset\?token=});
ok($m, 'the mail arrives through the TLS server');
is($m && $m->{header}{'x-sink-tls'}, 'yes', 'over STARTTLS');
is($m && $m->{header}{'x-sink-auth'}, 'seances', 'logged in as the SeancesSMTPAuth user');
my $id = account_id('tlsok');
ok(error_log_wait($off, qr/SEANCES0801: mail reset for account \Q$id\E handed to the SMTP server/, 5),
   'and the log says it was handed over (SEANCES0801)');

# ---- each way the trust can fail: no mail, and the reason in the log ----------------------------
my @failures = (
    ['seances_mail_tls_system', 'tlssys', qr/the TLS handshake failed: certificate verify failed/,
     "the system's CAs do not know the run's CA"],
    ['seances_mail_tls_name', 'tlsname', qr/the server's certificate is for another name/,
     'a certificate for localhost, the server named 127.0.0.1'],
    ['seances_mail_tls_badauth', 'tlsauth', qr/the server refused the sender: 530 .*[Aa]uthentication/,
     'the wrong password'],
    ['seances_mail_tls_missing', 'tlsmissing',
     qr/the server does not offer STARTTLS, which is required/,
     'TLS required of a server without STARTTLS'],
);
for my $case (@failures) {
    my ($vhost, $name, $why, $what) = @$case;
    add_user($name, 'another long password 2');
    $id = account_id($name);
    $n = mail_count();
    $off = error_log_size();
    is(forgot($vhost, $name), 200, "$what: the page is the same 200");
    my $line = error_log_wait($off, qr/SEANCES0802: mail reset for account \Q$id\E not sent \(.*\)/, 15);
    my ($reason) = ($line // '') =~ /not sent \((.*)\): trying once more/;
    ok(defined $reason && $reason =~ $why && $reason !~ /long password|sink's password/,
       "$what: not sent, and the log says why (" . ($reason // 'no log line') . ')');
    # the attempt is over once it is logged: nothing reached the sink's Maildir for it
    ok(!grep({ ($_->{header}{to} // '') eq "$name\@example.ch" } mails_since($n)),
       "$what: no mail");
    $n = mail_count();
}
