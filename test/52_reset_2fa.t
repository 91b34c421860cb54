# A reset never bypasses 2FA (issue 9, SEC-57): for a user with TOTP the new password is not
# set without a code of the app or a recovery code; a wrong code counts against the link; a
# recovery code works once and brings its notice (SEC-83).
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesMail;
use SeancesReset;
use SeancesTotp;

plan tests => 14;

Apache::TestRequest::module('seances_mail');
my $old = 'the old password of T 1';
add_user('tara', $old);
my $email = 'tara@example.ch';
my $ua = ua();
is(login_as($ua, 'tara', $old)->code, 303, 'tara logs in');
my ($enrolled, $codes, $secret) = enrol($ua);
ok($secret && @$codes, 'and turns 2FA on');

my ($token) = link_of(ask_reset(ua(), 'tara', $email));
my $ru = ua();
my $page = open_link($ru, $token);
like($page->decoded_content, qr/name="code"/, 'the password form asks for a code (SEC-57)');
my $new = 'a new password for T 2';
my $r = set_password($ru, $page, new => $new, confirm => $new);
like($r->decoded_content, qr/code de votre application/, 'without a code: refused');
$r = set_password($ru, $page, new => $new, confirm => $new, code => '000000');
like($r->decoded_content, qr/Ce code n(?:'|&#39;|&#x27;)est pas valable/, 'with a wrong code: refused');
is(login_as(ua(), 'tara', $new)->code, 200, 'the password did not change');
is(sql("SELECT tries FROM reset_tokens WHERE user_id = (SELECT id FROM users WHERE name = 'tara')")->[0],
   1, 'the wrong code counted against the link');

# the right TOTP code (the next step's, so that enrolment's step is not a replay)
$r = set_password($ru, $page, new => $new, confirm => $new, code => totp($secret, 30));
like($r->decoded_content, qr/Toutes vos sessions/, 'with a code of the app: the password is set');
is(login_as(ua(), 'tara', $new)->code, 303, 'the new password is right (the code step follows)');

# a recovery code instead
my ($token2) = link_of(ask_reset(ua(), 'tara', $email));
$page = open_link($ru, $token2);
my $n = mail_count();
my $newer = 'another password for T 3';
$r = set_password($ru, $page, new => $newer, confirm => $newer, code => $codes->[0]);
like($r->decoded_content, qr/Toutes vos sessions/, 'a recovery code works too');
my @mails = grep { ($_->{header}{to} // '') eq $email } mails_since($n);
for (1 .. 25) {
    last if @mails >= 2;
    select undef, undef, undef, 0.2;
    @mails = grep { ($_->{header}{to} // '') eq $email } mails_since($n);
}
my @subjects = sort map { $_->{header}{subject} // '' } @mails;
ok(grep({ /Code de récupération utilisé/ } @subjects), 'the "recovery code used" notice arrives');
ok(grep({ /Mot de passe changé/ } @subjects), 'and the "password changed" one');
ok(!grep({ index($_->{raw}, $codes->[0]) >= 0 || index($_->{raw}, $newer) >= 0 } @mails),
   'neither holds the code or the password');
($token2) = link_of(ask_reset(ua(), 'tara', $email));
$page = open_link($ru, $token2);
$r = set_password($ru, $page, new => "$newer 4", confirm => "$newer 4", code => $codes->[0]);
like($r->decoded_content, qr/Ce code n(?:'|&#39;|&#x27;)est pas valable/, 'a recovery code works once');

Apache::TestRequest::module('default');
