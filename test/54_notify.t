# Security notices by mail (issue 9, SEC-83, SEC-58; SEC-26 2FA changes notify, SEC-33 a used
# recovery code notifies): one mail per event, in the user's
# language, none holding a secret: a login from a browser and address not seen before (not
# for the second login from the same), the password changed in the portal, 2FA turned on, new
# recovery codes, a recovery code used at login, 2FA turned off; the password set and 2FA reset
# with seances-admin, through the notice outbox (once each, none with --no-notice or for a first
# password). And SEC-55: a few reset mails per account, whatever the requests, with the
# account unchanged.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesMail;
use SeancesPortal;
use SeancesTotp;

plan tests => 37;

Apache::TestRequest::module('seances_mail');
my $pw = 'a long password for N 1';
add_user('nora', $pw);
my $email = 'nora@example.ch';

# Waits for the notice whose subject matches; checks that it holds none of the secrets.
sub notice {
    my ($mark, $subject, $what, @secrets) = @_;
    my $m;
    my $deadline = time + 10;
    until ($m || time > $deadline) {
        ($m) = grep { ($_->{header}{to} // '') eq $email && ($_->{header}{subject} // '') =~ $subject }
               mails_since($mark);
        select undef, undef, undef, 0.2 unless $m;
    }
    ok($m, "$what: the notice arrives");
    ok($m && !grep({ defined && length && index($m->{raw}, $_) >= 0 } @secrets),
       "$what: without any secret");
    return $m;
}

# ---- a new browser and address; the same again ----
my $n = mail_count();
my $ua = ua(agent => 'NotifyTest/1.0 (first browser)');
is(login_as($ua, 'nora', $pw)->code, 303, 'nora logs in from a new browser');
my $m = notice($n, qr/Nouvelle connexion/, 'new login', $pw);
like($m ? $m->{text} : '', qr/127\.0\.0\.1/, 'new login: the notice says from where');
$n = mail_count();
is(login_as(ua(agent => 'NotifyTest/1.0 (first browser)'), 'nora', $pw)->code, 303,
   'the same browser logs in again');
sleep 2;
is(scalar(grep { ($_->{header}{subject} // '') =~ /Nouvelle connexion/ } mails_since($n)), 0,
   'no notice for a browser and address already seen');

# ---- the language of the user's last login ----
$n = mail_count();
my $de = ua(agent => 'NotifyTest/2.0 (German)');
$de->default_header('Accept-Language' => 'de');
login_as($de, 'nora', $pw);
notice($n, qr/Neue Anmeldung/, 'new login in German (the page\'s language)', $pw);

# ---- the password changed in the portal ----
$ua = ua(agent => 'NotifyTest/1.0 (first browser)');
login_as($ua, 'nora', $pw);
my $pw2 = 'another long password N 2';
$n = mail_count();
my $r = portal_post($ua, 'password', current => $pw, new => $pw2, confirm => $pw2);
is($r->code, 303, 'the portal changes the password');
notice($n, qr/Mot de passe changé/, 'password changed (French again: the language of her last login)', $pw, $pw2);

# ---- 2FA on, new codes, a recovery code at login, 2FA off ----
$ua = ua(agent => 'NotifyTest/1.0 (first browser)');
login_as($ua, 'nora', $pw2);
$n = mail_count();
my ($res, $codes, $secret) = enrol($ua);
notice($n, qr/Second facteur activé/, '2FA on', $secret, @$codes);

$n = mail_count();
my $page = setup_page($ua);
my ($csrf) = $res->decoded_content =~ /name="csrf" value="([^"]+)"/;
$csrf //= $page->{csrf};
$r = $ua->post('/2fa/setup', [csrf => $page->{csrf} // $csrf, action => 'codes',
                              code => totp($secret, 30)]);
my @new = $r->decoded_content =~ m{<li><code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code></li>}g;
ok(@new, 'new recovery codes are made');
notice($n, qr/Nouveaux codes de récupération/, 'new recovery codes', @new);

$n = mail_count();
my $other = ua(agent => 'NotifyTest/1.0 (first browser)');
login_as($other, 'nora', $pw2);
$r = login_code($other, $new[0]);
is($r->code, 303, 'a recovery code opens a login');
notice($n, qr/Code de récupération utilisé/, 'recovery code used', $new[0]);

$n = mail_count();
$page = setup_page($ua);
$r = $ua->post('/2fa/setup', [csrf => $page->{csrf}, action => 'disable', code => $new[1]]);
notice($n, qr/Second facteur désactivé/, '2FA off', $new[1]);

# ---- changes made with seances-admin: the notice outbox ----
sub outbox { return sql('SELECT kind FROM notice_outbox ORDER BY id') }
# the server takes the outbox after a response, at most every 5 s per process: requests until the
# mail is there
sub poke_for {
    my ($mark, $subject) = @_;
    my $deadline = time + 20;
    while (time < $deadline) {
        my @m = grep { ($_->{header}{to} // '') eq $email && ($_->{header}{subject} // '') =~ $subject }
                mails_since($mark);
        return $m[0] if @m;
        ua()->get('/login');
        select undef, undef, undef, 0.3;
    }
    return undef;
}
my $pw3 = 'set by the administrators N 3';
$n = mail_count();
my ($rc, $out, $err) = admin({ stdin => "$pw3\n" }, 'user', 'passwd', 'nora', '--password-stdin');
is($rc, 0, 'seances-admin user passwd nora') or diag $err;
like($out, qr/^a notice to nora follows by mail/m, 'says that a notice follows');
is_deeply(outbox(), ['password_changed'], 'and leaves it in the outbox');
$m = poke_for($n, qr/Mot de passe changé/);
ok($m, 'the next requests to a server with mail send it');
like($m ? $m->{text} : '', qr/Par\x{202f}: l'administration \(seances-admin\)/,
     'saying that the administrators made the change');
unlike($m ? $m->{text} : '', qr/Adresse|Navigateur/, 'with no address or browser of a request');
ok($m && index($m->{raw}, $pw3) < 0, 'without the password');
is_deeply(outbox(), [], 'the outbox is empty again');

$n = mail_count();
($rc, $out, $err) = admin('2fa', 'reset', 'nora');
is($rc, 0, 'seances-admin 2fa reset nora') or diag $err;
$m = poke_for($n, qr/Second facteur réinitialisé/);
ok($m, '2FA reset: the notice arrives');
# more requests to every process: a notice is taken once
ua()->get('/login') for 1 .. 12;
sleep 2;
is(scalar(grep { ($_->{header}{subject} // '') =~ /Second facteur réinitialisé/ } mails_since($n)), 1,
   'once');

($rc, $out) = admin('2fa', 'reset', 'nora', '--no-notice');
unlike($out, qr/notice/, '--no-notice: no notice said');
is_deeply(outbox(), [], '--no-notice: none left');
admin('user', 'add', 'nadia', '--email', 'nadia@example.ch');
($rc, $out) = admin({ stdin => "a first password for N 4\n" }, 'user', 'passwd', 'nadia', '--password-stdin');
ok($rc == 0 && $out !~ /notice/ && !@{ outbox() }, 'a first password: no notice');

# ---- SEC-55: three reset mails per account, the account unchanged ----
SeancesLogin::clear_throttle();
$n = mail_count();
for (1 .. 6) {
    my $f = ua();
    my $p = $f->get('/forgot');
    my ($c) = $p->decoded_content =~ /name="csrf" value="([^"]+)"/;
    $f->post('/forgot', [csrf => $c, username => 'nora']);
}
sleep 2;
my @resets = grep { ($_->{text} // '') =~ m{/reset\?token=} } mails_since($n);
is(scalar(@resets), 3, 'six requests in the hour: three mails (SeancesResetLimit 3 ...)');
is(login_as(ua(), 'nora', $pw3)->code, 303, 'and the password still works');

Apache::TestRequest::module('default');
