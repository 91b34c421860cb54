# The reset link (issue 9): it sets a new password under the portal's policy, the old password
# fails, every session of the user ends, no session is issued, the token works once and not
# after it expires or after a newer request, the short code works from another device, and a
# "password changed" notice follows without any secret. SEC-52, SEC-56, SEC-58, SEC-83.
# Checklist: SEC-49 a reset ends every other session.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesMail;
use SeancesReset;
use SeancesTotp qw(add_user);

plan tests => 41;

Apache::TestRequest::module('seances_mail');
my $old = 'the old password of R 1';
my $new = 'a fresh password for R 2';
add_user('rosa', $old);
my $email = 'rosa@example.ch';

# two sessions of rosa elsewhere
my @others = map { ua() } 1 .. 2;
for my $o (@others) {
    my $r = login_as($o, 'rosa', $old);
    is($r->code, 303, 'rosa is logged in elsewhere');
}
is($others[0]->get('/app/env.pl')->code, 200, 'and her session opens the app');

my $ua = ua();
my $m = ask_reset($ua, 'rosa', $email);
my ($token, $code) = link_of($m);
ok($token, 'the mail carries a token');

# ---- the landing page ----
my $page = open_link($ua, $token);
is($page->code, 200, 'the link opens the password form');
is($page->header('Referrer-Policy'), 'no-referrer', 'with Referrer-Policy: no-referrer (SEC-56)');
like($page->header('Cache-Control') // '', qr/no-store/, 'and no-store');
my %f = form_fields($page);
is($f{token}, $token, 'the token moves into a hidden field of the POSTed form');
like($page->decoded_content, qr/<strong>rosa<\/strong>/, 'the page names the account');

# ---- a form whose CSRF token went stale (SEC-60): shown again, nothing changed ----
my $hash = sql(q{SELECT password_hash FROM users WHERE name = 'rosa'})->[0];
my $r = set_password($ua, $page, csrf => 'stale', new => $new, confirm => $new);
is($r->code, 200, 'a stale CSRF token: the password form again, not a 403');
like($r->decoded_content, qr/class="notice"[^>]*>Le formulaire a expiré/, 'with a notice saying why');
my %again = form_fields($r);
is($again{token}, $token, 'the link still in its hidden field');
is($again{csrf}, $f{csrf}, "and this browser's valid CSRF token in place of the stale one");
is(sql(q{SELECT password_hash FROM users WHERE name = 'rosa'})->[0], $hash, 'the password is unchanged');
$page = $r;    # the policy checks below post the form shown again

# ---- the policy of the portal ----
$r = set_password($ua, $page, new => 'short', confirm => 'short');
like($r->decoded_content, qr/trop court/, 'a short password is refused with the portal\'s message');
$r = set_password($ua, $page, new => $new, confirm => "$new!");
like($r->decoded_content, qr/ne correspond pas/, 'a different confirmation is refused');
$r = set_password($ua, $page, new => 'rosa and her password', confirm => 'rosa and her password');
like($r->decoded_content, qr/nom d'utilisateur|ne doit pas/, 'a password with the name is refused');

# ---- success ----
my $n = mail_count();
$r = set_password($ua, $page, new => $new, confirm => $new);
is($r->code, 200, 'the new password is set');
like($r->decoded_content, qr/Toutes vos sessions ont été fermées/, 'and the page says every session ended');
ok(!grep({ /seances_session=[^;]/ } set_cookie_lines($r)), 'no session cookie is issued (SEC-58)');
is(login_as(ua(), 'rosa', $old)->code, 200, 'the old password fails (the form again)');
is(login_as(ua(), 'rosa', $new)->code, 303, 'the new one works');
for my $i (0, 1) {
    is($others[$i]->get('/app/env.pl')->code, 302, "the other session $i is dead");
}

# ---- the notice ----
my $notice = wait_mail($email, $n);
ok($notice, 'a "password changed" mail arrives (SEC-58, SEC-83)');
like($notice->{header}{subject} // '', qr/Mot de passe changé/, 'with its subject');
ok($notice && index($notice->{raw}, $new) < 0 && index($notice->{raw}, $token) < 0,
   'and neither the password nor the token');

# ---- once only ----
$r = open_link(ua(), $token);
is($r->code, 410, 'the link does not work a second time');
like($r->decoded_content, qr{href="/forgot"}, 'the page links to a new request');
$r = set_password($ua, $page, new => "$new 3", confirm => "$new 3");
is($r->code, 410, 'nor does its form');

# ---- a newer request kills the older link; expiry ----
my ($t1) = link_of(ask_reset($ua, 'rosa', $email));
my ($t2) = link_of(ask_reset($ua, 'rosa', $email));
is(open_link(ua(), $t1)->code, 410, 'the first of two links is dead (SEC-52)');
is(open_link(ua(), $t2)->code, 200, 'the second works');
sql('UPDATE reset_tokens SET expires = 1000');
is(open_link(ua(), $t2)->code, 410, 'an expired link is refused');

# ---- the short code, from another device ----
SeancesLogin::clear_throttle();
my ($t3, $code3) = link_of(ask_reset($ua, 'rosa', $email));
my $other = ua();
$page = $other->get('/reset');
like($page->decoded_content, qr/name="mailcode"/, '/reset without a token asks for the account and the code');
$r = $other->post('/reset', [csrf => 'stale', username => 'rosa', mailcode => '0000 0000']);
like($r->decoded_content, qr/class="notice"[^>]*>Le formulaire a expiré.*name="mailcode"/s,
     'a stale CSRF token on the code form: the form again, with a notice');
like($r->decoded_content, qr/name="username" type="text" value="rosa"/, 'the name kept');
is(sql(q{SELECT max(tries) FROM reset_tokens})->[0], 0, 'and no try of the code used up');
my %cf = form_fields($page);
$r = $other->post('/reset', [csrf => $cf{csrf}, username => 'rosa', mailcode => '0000 0000']);
is($r->code, 410, 'a wrong code is refused');
$r = $other->post('/reset', [csrf => $cf{csrf}, username => 'rosa', mailcode => $code3]);
like($r->decoded_content, qr/name="new"/, 'the right code leads to the password form');
my $newer = 'yet another password 4';
$r = set_password($other, $r, new => $newer, confirm => $newer);
like($r->decoded_content, qr/Toutes vos sessions/, 'and sets the password');
is(login_as(ua(), 'rosa', $newer)->code, 303, 'which works at the login');

Apache::TestRequest::module('default');
