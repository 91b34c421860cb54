# The portal's password change: each policy error says what is wrong, a wrong current password
# counts toward the lockout and is in the history, the change ends every other session and
# keeps this one, the old password is refused afterwards, and Post/Redirect/Get.
# Checklist (test/SECURITY.md): SEC-01 minimum length, SEC-04 unicode accepted, normalised
# consistently, SEC-06 blocklist, SEC-07 change password needs the current password, SEC-45
# persistent cookie only on request, bounded, revocable, SEC-49 password change/reset ends other
# sessions, SEC-81 authentication events logged.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Unicode::Normalize qw(NFC NFD);
use SeancesTest;
use SeancesLogin;
use SeancesPortal;

plan tests => 58;
Test::More->builder->failure_output(\*STDERR);
binmode Test::More->builder->$_, ':utf8' for qw(output failure_output todo_output);
clear_throttle();

my $OLD = 'changes it soon enough 2026';
my $NEW = 'Été à Genève, très beau 2026';    # typed decomposed (NFD) below
my $FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
my $IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 '
    . '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
my $pia = user_id_of('pia');
sub events_of_pia { sql("SELECT result FROM login_events WHERE user_id = $pia ORDER BY id") }
sub count_of { scalar @{ events_of_pia() } }
sub hash_of_pia { sql("SELECT password_hash FROM users WHERE id = $pia")->[0] }
sub sessions_of_pia { sql("SELECT count(*) FROM sessions WHERE user_id = $pia")->[0] }

my $ua = signed_in('pia', $OLD, agent => $FIREFOX);
my $phone = signed_in('pia', $OLD, agent => $IPHONE, remember => 1);
my $laptop = signed_in('pia', $OLD);
is(sessions_of_pia(), 3, 'pia has three sessions');

# Posts a change and follows the redirect; returns (the POST response, the message shown).
sub change {
    my (%f) = @_;
    # character strings: URI sends them as UTF-8
    my $r = portal_post($ua, 'password', map { defined $f{$_} ? ($_ => $f{$_}) : () } qw(current new confirm));
    my $page = $r->code == 303 ? portal_page($ua->get($r->header('Location'))) : undef;
    my $msg = $page ? section_text($page, 'mot-de-passe') : '';
    return ($r, $msg);
}

# --- each error says what is wrong, and costs nothing -------------------------------------------
my $hash = hash_of_pia();
my @cases = (
    [{ current => $OLD, new => '', confirm => '' }, 'pw_fields_missing',
     qr/Remplissez les trois champs : mot de passe actuel, nouveau mot de passe et confirmation\./],
    [{ current => $OLD, new => 'long enough password 1', confirm => 'long enough password 2' }, 'pw_mismatch',
     qr/La confirmation ne correspond pas au nouveau mot de passe\./],
    [{ current => $OLD, new => 'short 1', confirm => 'short 1' }, 'pw_too_short',
     qr/Le nouveau mot de passe est trop court : il faut au moins 12 caractères\./],
    [{ current => $OLD, new => 'x' x 129, confirm => 'x' x 129 }, 'pw_too_long',
     qr/Le nouveau mot de passe est trop long : il peut compter au plus 128 caractères\./],
    [{ current => $OLD, new => 'my name is PIA, 2026', confirm => 'my name is PIA, 2026' }, 'pw_contains_name',
     qr/Le mot de passe ne doit pas contenir votre nom d'utilisateur ou votre adresse e-mail\./],
    [{ current => $OLD, new => 'Bienvenue-2026!', confirm => 'Bienvenue-2026!' }, 'pw_blocklisted',
     qr/Ce mot de passe est trop courant\./],
);
for my $c (@cases) {
    my ($fields, $key, $text) = @$c;
    my ($r, $msg) = change(%$fields);
    is($r->code, 303, "$key: answered with a redirect");
    my %q = redirect_query($r);
    is($q{msg}, $key, "$key: to the page with the message key");
    like($msg, $text, "$key: the message says what is wrong");
}
my %q = redirect_query((change(current => $OLD, new => 'a long new one 1', confirm => 'a long new one 2'))[0]);
is($q{_fragment}, 'mot-de-passe', 'the redirect brings the user back to the password section');
is(hash_of_pia(), $hash, 'no refused form changed the password');
is(count_of(), 3, 'none of them is in the history (only the three logins are)');
is(sql("SELECT count(*) FROM throttle WHERE key = 'user:pia'")->[0], 0, 'none counted toward the lockout');

# URI would encode a Perl string as UTF-8: the body is written by hand, with a raw 0xFF byte
my $csrf = portal_page($ua->get('/portal'))->{csrf};
(my $old_enc = $OLD) =~ s/ /+/g;
my $r = $ua->post('/portal', Content_Type => 'application/x-www-form-urlencoded',
    Content => "action=password&csrf=$csrf&current=$old_enc&new=bad+%FF+byte+here&confirm=bad+%FF+byte+here");
%q = redirect_query($r);
is($q{msg}, 'pw_not_utf8', 'bytes that are not UTF-8 are refused');
like(section_text(portal_page($ua->get($r->header('Location'))), 'mot-de-passe'),
     qr/Le mot de passe contient des caractères non valables\./, '... saying so');

# --- a wrong current password ------------------------------------------------------------------
my $off = error_log_size();
my ($resp, $msg) = change(current => 'not the password at all', new => $NEW, confirm => $NEW);
%q = redirect_query($resp);
is($q{msg}, 'pw_current_wrong', 'a wrong current password is refused');
like($msg, qr/Le mot de passe actuel est incorrect\./, '... and the page says which field is wrong');
is(events_of_pia()->[-1], 'bad_current_password', 'it is recorded in the history');
is(sql("SELECT ip || ' ' || user_agent FROM login_events WHERE user_id = $pia ORDER BY id DESC LIMIT 1")->[0],
   "127.0.0.1 $FIREFOX", '... with the address and the browser');
is(sql("SELECT failures FROM throttle WHERE key = 'user:pia'")->[0], 1, 'it counts toward the account lockout');
is(sql("SELECT failures FROM throttle WHERE key = 'ip:127.0.0.1'")->[0], 1, '... and the address lockout');
ok(error_log_wait($off, qr/SEANCES0606: password change of pia from 127\.0\.0\.1 refused: pw_current_wrong/, 5),
   'an audit line says so');
like(section_text(portal_page($ua->get('/portal')), 'connexions'),
     qr/Échec : mot de passe actuel erroné \(changement du mot de passe\)/, 'the portal shows it among the logins');
my $n = count_of();
$ua->get($resp->header('Location')) for 1 .. 3;
is(count_of(), $n, 'reloading the page after the redirect repeats nothing');
is(hash_of_pia(), $hash, 'the password is unchanged');

# --- the change --------------------------------------------------------------------------------
# both other browsers were used just now: the session cache holds their sessions
is($phone->get('/app/env.pl')->code + $laptop->get('/app/env.pl')->code, 400, 'the other sessions work before');
$off = error_log_size();
($resp, $msg) = change(current => $OLD, new => NFD($NEW), confirm => NFD($NEW));
%q = redirect_query($resp);
is($q{msg}, 'pw_changed', 'the right current password and a good new one: changed');
like($msg, qr/Votre mot de passe a été changé\. Vos autres sessions ont été fermées ; celle-ci reste ouverte\./,
     'the page confirms it');
like($ua->get($resp->header('Location'))->decoded_content, qr/class="ok" role="status"/,
     '... as a status message');
isnt(hash_of_pia(), $hash, 'the stored hash changed');
is(events_of_pia()->[-1], 'password_changed', 'the change is in the history');
ok(error_log_wait($off, qr/SEANCES0605: password of pia changed in the portal from 127\.0\.0\.1; 2 other sessions ended/, 5),
   'an audit line with the number of sessions ended');
is(sql("SELECT count(*) FROM throttle WHERE key = 'user:pia'")->[0], 0, 'the right current password cleared the account counter');

is($ua->get('/app/env.pl')->code, 200, 'this session continues');
is($phone->get('/app/env.pl')->code, 302, 'the remembered session on the phone has ended');
is($laptop->get('/app/env.pl')->code, 302, 'the other browser session has ended');
is(sessions_of_pia(), 1, 'one session is left');
my $page = portal_page($ua->get('/portal'));
like(section_text($page, 'sessions'), qr/Aucune autre session n'est ouverte\./, 'the portal lists only this one');
like(section_text($page, 'connexion'), qr/Mot de passe changé le \d+/, 'and when the password changed');

$n = count_of();
$ua->get($resp->header('Location'));
is(count_of(), $n, 'reloading after the change changes nothing more');

$r = login_as(ua(), 'pia', $OLD);
is($r->code, 200, 'the old password no longer logs in');
like($r->decoded_content, qr/Nom d&#39;utilisateur ou mot de passe incorrect/, '... it is a wrong password');
$r = login_as(ua(), 'pia', NFC($NEW));
is($r->code, 303, 'the new password logs in, typed composed (NFC) although it was set decomposed');

# --- the lockout covers the change form and the login ------------------------------------------------
clear_throttle();
for my $i (1 .. 3) {
    ($resp) = change(current => "wrong guess number $i", new => 'another new passphrase 1', confirm => 'another new passphrase 1');
}
%q = redirect_query($resp);
is($q{msg}, 'pw_current_wrong', 'three wrong current passwords (SeancesLockout 3)');
($resp, $msg) = change(current => NFC($NEW), new => 'another new passphrase 1', confirm => 'another new passphrase 1');
%q = redirect_query($resp);
is($q{msg}, 'pw_throttled', 'then even the right one is refused: the account is locked');
like($msg, qr/Trop de tentatives erronées : le compte est bloqué pendant quelques minutes\. Le mot de passe n'a pas été changé\./,
     '... and the page says so');
$r = login_as(ua(), 'pia', NFC($NEW));
is($r->code, 200, 'the login of the account is locked too');
is($ua->get('/portal')->code, 200, 'this session still works meanwhile');
clear_throttle();
