# The portal (/portal): every section for a seeded user, the links in and out, the times in
# Europe/Zurich in the page's language, the four languages, escaping, the 2FA section with
# SeancesTwoFactor off, CSRF refusal, fixed message keys, and 503 without a database.
# Checklist (test/SECURITY.md): SEC-60 every state change: POST + CSRF, SEC-62 login history safe
# to render, SEC-64 redirect targets validated, SEC-66 context-correct output encoding.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use POSIX ();
use URI::Escape qw(uri_escape);
use SeancesTest;
use SeancesLogin;
use SeancesPortal;

plan tests => 105;
Test::More->builder->failure_output(\*STDERR);
binmode Test::More->builder->$_, ':utf8' for qw(output failure_output todo_output);
clear_throttle();

my $PW = 'sees the whole portal 2026';
my $FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
my $IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 '
    . '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

# The long date the portal writes, computed here from the Zurich zone of the system.
my %MONTHS = (
    fr => [qw(janvier février mars avril mai juin juillet août septembre octobre novembre décembre)],
    de => [qw(Januar Februar März April Mai Juni Juli August September Oktober November Dezember)],
    it => [qw(gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre)],
    en => [qw(January February March April May June July August September October November December)],
);
sub zurich_date {
    my ($t, $lang) = @_;
    local $ENV{TZ} = 'Europe/Zurich';
    POSIX::tzset();
    my @l = localtime $t;
    POSIX::tzset();
    my ($d, $m, $y, $time) = ($l[3], $MONTHS{$lang}[$l[4]], $l[5] + 1900, sprintf('%02d:%02d', @l[2, 1]));
    return "$d. $m $y, $time" if $lang eq 'de';
    return ($d == 1 ? '1er' : $d) . " $m $y à $time" if $lang eq 'fr';
    return "$d $m $y, $time";
}
sub newest_session_of {
    my $name = shift;
    # max(): the same on sqlite3 and PostgreSQL (which has no rowid)
    return sql("SELECT max(s.created) FROM sessions s JOIN users u ON u.id = s.user_id "
        . "WHERE u.name = '$name'")->[0];
}

# --- not signed in: the login, then back here ----------------------------------------------
my $r = ua()->get('/portal?return=/app/env.pl');
is($r->code, 302, 'without a session the portal redirects');
is($r->header('Location'), '/login?return=' . uri_escape('/portal?return=' . uri_escape('/app/env.pl')),
   '... to the login, which will come back to the portal with its return target');
$r = ua()->post('/portal', [action => 'end_others']);
is($r->code, 303, 'a POST without a session is sent to the login too');
like($r->header('Location') // '', qr{^/login\?return=%2Fportal$}, '... and changes nothing');

my $ua = ua();
$ua->agent($FIREFOX);
$r = login_as($ua, 'paul', $PW, return => '/portal?return=/app/env.pl');
is($r->code, 303, 'paul logs in from the login page the portal sent him to');
is($r->header('Location'), '/portal?return=/app/env.pl', 'and lands on the portal');

# --- every section -------------------------------------------------------------------------
$r = $ua->get('/portal?return=/app/env.pl');
is($r->code, 200, 'the portal answers 200');
my $page = portal_page($r);
like($page->{html}, qr/<html lang="fr">/, 'in French by default');
is($r->header('Cache-Control'), 'no-store', 'not stored by caches');
like($r->header('Content-Security-Policy') // '', qr/default-src 'none'/, 'with the pages\' CSP');
like($page->{html}, qr{<h1>Mon portail</h1>}, 'titled "Mon portail"');
for my $id (qw(connexion mot-de-passe deux-facteurs applications connexions sessions)) {
    ok(exists $page->{sections}{$id}, "section #$id is there");
}

my $created = newest_session_of('paul');
my $changed = sql("SELECT password_changed FROM users WHERE name = 'paul'")->[0];
my $login = section_text($page, 'connexion');
like($login, qr/Nom d'utilisateur paul /, 'Connexion: the user name');
like($login, qr/Adresse e-mail paul\.meier\@example\.ch /, 'Connexion: the e-mail address');
like($login, qr/Session ouverte le \Q${\ zurich_date($created, 'fr')}\E /,
     'Connexion: when this session started, in Zurich time, written in French');
like($page->{sections}{connexion}, qr/<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00">/,
     '... with a machine-readable <time> in the zone\'s offset');
like($login, qr/Depuis 127\.0\.0\.1 · Firefox sur Windows /, 'Connexion: from where and with what');
like($login, qr/Rester connecté non /, 'Connexion: not remembered');
like($login, qr/Authentification à deux facteurs désactivée /, 'Connexion: 2FA is off');
like($login, qr/Mot de passe changé le \Q${\ zurich_date($changed, 'fr')}\E/,
     'Connexion: when the password was last changed');

my $pwsec = $page->{sections}{'mot-de-passe'};
for my $field (qw(current new confirm)) {
    like($pwsec, qr/<input id="$field" name="$field" type="password"/, "Mot de passe: field $field");
}
like($pwsec, qr/name="csrf" value="[^"]{20,}"/, 'Mot de passe: the CSRF token');
like($pwsec, qr/autocomplete="current-password".*autocomplete="new-password"/s,
     'Mot de passe: hints for password managers');
like(section_text($page, 'mot-de-passe'), qr/Au moins 12 caractères/, 'Mot de passe: the rule is said');

my $tf = $page->{sections}{'deux-facteurs'};
like($tf, qr{<form method="get" action="/2fa/setup">}, '2FA: the switch leads to /2fa/setup (GET, no state change)');
like($tf, qr{<button type="submit" class="switch" role="switch" aria-checked="false">},
     '2FA: a real control, a switch for screen readers, off');
like($tf, qr{<span class="switch-label">Authentification à deux facteurs</span></button>},
     '2FA: its accessible name');
unlike($tf, qr/disabled/, '2FA: usable when the organisation allows it');
unlike($tf, qr/Codes de récupération/, '2FA: no recovery codes while it is off');

like($page->{sections}{applications}, qr{<li><a href="/app/">App pour les séances</a></li>},
     'Applications: the granted app with its title and link');
unlike($page->{sections}{applications}, qr/Agenda/, 'Applications: not the app paul has no grant for');

my $hist = section_text($page, 'connexions');
like($hist, qr/\Q${\ zurich_date($created, 'fr')}\E Connexion réussie Adresse IP 127\.0\.0\.1 · Firefox sur Windows/,
     'Connexions récentes: this login, its time, result, address and browser');

my $sess = section_text($page, 'sessions');
like($sess, qr/Firefox sur Windows Cette session Adresse IP 127\.0\.0\.1 Ouverte le/, 'Sessions: this session, marked');
is(scalar @{ session_ids($page) }, 1, 'Sessions: one open session, with its own Déconnecter');
like($sess, qr/Aucune autre session n'est ouverte\./, 'Sessions: no other session, so no "all others" button');

# --- the links ------------------------------------------------------------------------------
like($page->{html}, qr{<a href="/app/env\.pl">← Retour à l&#39;application</a>},
     '"Retour à l\'application" goes back where the portal was opened from');
my ($logout) = $page->{html} =~ m{<a href="([^"]+)">Se déconnecter</a>};
is($logout, '/logout?return=' . uri_escape('/portal?return=' . uri_escape('/app/env.pl')),
   '"Se déconnecter" leads to the logout page, which can come back here');
$r = $ua->get($logout);
is($r->code, 200, 'the logout page answers');
like($r->decoded_content, qr{<a href="/portal\?return=%2Fapp%2Fenv\.pl">Annuler</a>},
     'its "Annuler" goes back to the portal');
like($ua->get('/logout?return=/app/env.pl')->decoded_content, qr{<a href="/app/env\.pl">Annuler</a>},
     '"Annuler" goes back to the page the user came from');
like($ua->get('/logout')->decoded_content, qr{<a href="/">Annuler</a>}, '... or to / when none is known');
like($ua->get('/logout?return=//evil.example/')->decoded_content, qr{<a href="/">Annuler</a>},
     '... never to another site');
$page = portal_page($ua->get('/portal'));
like($page->{html}, qr{<a href="/">← Retour}, 'without a return target, "Retour" goes to /');
$page = portal_page($ua->get('/portal?return=https://evil.example/'));
like($page->{html}, qr{<a href="/">← Retour}, 'a foreign return target is dropped');
unlike($page->{html}, qr/evil\.example/, '... and not carried in the forms');
$page = portal_page($ua->get('/portal?return=' . uri_escape('/x"><script>alert(1)</script>')));
unlike($page->{html}, qr/"><script>alert/, 'a return target with markup cannot break out of the attribute');
is($ua->get('/app/env.pl')->code, 200, 'paul is still signed in after visiting the logout page');

# --- the four languages --------------------------------------------------------------------
my %lang = (
    de => ['Mein Portal', 'Letzte Anmeldungen', 'Offene Sitzungen', 'Firefox auf Windows', 'Zurück zur Anwendung'],
    it => ['Il mio portale', 'Accessi recenti', 'Sessioni aperte', 'Firefox su Windows', "Torna all'applicazione"],
    en => ['My portal', 'Recent sign-ins', 'Open sessions', 'Firefox on Windows', 'Back to the application'],
);
for my $code (sort keys %lang) {
    my ($title, $history, $sessions, $browser, $back) = @{ $lang{$code} };
    $r = $ua->get('/portal', 'Accept-Language' => "$code-CH,$code;q=0.9,fr;q=0.5");
    my $p = portal_page($r);
    like($p->{html}, qr/<html lang="$code">/, "$code: <html lang>");
    like($p->{html}, qr{<h1>\Q$title\E</h1>}, "$code: the title");
    like(section_text($p, 'connexions'), qr/^ \Q$history\E .*\Q$browser\E/, "$code: history heading and browser in words");
    like(section_text($p, 'sessions'), qr/^ \Q$sessions\E /, "$code: sessions heading");
    like(section_text($p, 'connexion'), qr/\Q${\ zurich_date($created, $code)}\E/, "$code: the date in $code");
    like(HTML::Entities::decode_entities($p->{html}), qr/\Q$back\E/, "$code: the way back");
}

# --- escaping --------------------------------------------------------------------------------
my $m = signed_in('<b>mallory</b>', 'markup in the name 2026', agent => '<script>alert(1)</script>');
$page = portal_page($m->get('/portal'));
is($page->{code}, 200, 'a user whose name holds markup sees the portal');
like($page->{sections}{connexion}, qr{<dd class="user-name">&lt;b&gt;mallory&lt;/b&gt;</dd>}, 'the name is shown as text');
unlike($page->{html}, qr{<b>mallory|<script>alert}, 'no markup from the name or the browser reaches the page');
like(section_text($page, 'sessions'), qr/Navigateur inconnu/, 'an unknown user agent is "Navigateur inconnu"');
my $ines = signed_in('ines', 'may use both apps here 8');
$page = portal_page($ines->get('/portal'));
like($page->{sections}{applications}, qr{<a href="/agenda/">Agenda des commissions &lt;b&gt;</a>},
     'an application title with markup is escaped too');

# --- the 2FA section --------------------------------------------------------------------------
$page = portal_page($ua->get('/portal-no2fa'));
is($page->{code}, 200, 'the portal where SeancesTwoFactor is off');
like($page->{sections}{'deux-facteurs'}, qr{role="switch" aria-checked="false" disabled>}, 'off: the switch is disabled');
like(section_text($page, 'deux-facteurs'), qr/Votre organisation ne permet pas l'authentification à deux facteurs\./,
     'off: one sentence says the organisation does not allow it');
is(() = $page->{html} =~ /Votre organisation ne permet pas/g, 1, '... once');
unlike(portal_page($ua->get('/portal'))->{html}, qr/ne permet pas/, 'optional: no such sentence');
my $paul_id = user_id_of('paul');
sql({}, "UPDATE users SET totp_enabled = 1 WHERE id = $paul_id");
sql("INSERT INTO recovery_codes (user_id, code_hash, used) VALUES ($paul_id, 'h1', 0), ($paul_id, 'h2', 1), ($paul_id, 'h3', 0)");
$page = portal_page($ua->get('/portal'));
like($page->{sections}{'deux-facteurs'}, qr{role="switch" aria-checked="true">}, 'on: the switch shows it');
like(section_text($page, 'deux-facteurs'), qr/Codes de récupération inutilisés : 2 /, 'on: the unused recovery codes are counted');
like(section_text($page, 'connexion'), qr/Authentification à deux facteurs activée/, 'on: the Connexion section says so');
sql("UPDATE users SET totp_enabled = 0 WHERE id = $paul_id");
sql("DELETE FROM recovery_codes WHERE user_id = $paul_id");

# --- CSRF, actions, messages ----------------------------------------------------------------
my $bob = signed_in('bob', 'the builder has a passphrase 2026');
my $bob_token = portal_page($bob->get('/portal'))->{csrf};
my $other = signed_in('paul', $PW, agent => $IPHONE);
my $before = sql("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'paul'")->[0];
my $off = error_log_size();
$r = portal_post($ua, 'end_others', csrf => undef);
is($r->code, 403, 'an action without the CSRF token is refused');
like($r->decoded_content, qr/Le formulaire a expiré/, '... with a page that says so');
ok(error_log_wait($off, qr/SEANCES0604: portal form of paul with a missing or wrong CSRF token refused/, 5),
   '... and an audit line');
is(portal_post($ua, 'end_others', csrf => 'forged-token-0123456789abcdef')->code, 403, 'a wrong token is refused');
is(portal_post($ua, 'end_others', csrf => $bob_token)->code, 403, "another session's token is refused");
my $other_token = portal_page($other->get('/portal'))->{csrf};
is(portal_post($ua, 'end_others', csrf => $other_token)->code, 403,
   "the token of paul's other session is refused: tokens are bound to the session");
is(sql("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'paul'")->[0], $before,
   'no refused request ended anything');
is($other->get('/app/env.pl')->code, 200, "paul's other session still works");
$r = $ua->get('/portal?action=end_others');
is($r->code, 200, 'a GET with an action in the query only shows the page');
is($other->get('/app/env.pl')->code, 200, '... and ends nothing');
$r = portal_post($ua, 'format_disk');
is($r->code, 400, 'an unknown action is a 400');
$r = $ua->post('/portal', Content_Type => 'text/plain', Content => 'action=end_others');
is($r->code, 415, 'a body that is not a form is refused');

$page = portal_page($ua->get('/portal?msg=' . uri_escape('<script>alert(1)</script>')));
unlike($page->{html}, qr/<script>alert|role="alert"|role="status"/, 'a message key that is not known shows nothing');
$page = portal_page($ua->get('/portal?msg=login_title'));
unlike($page->{html}, qr/role="(alert|status)"/, '... not even another text of the catalogue');
$page = portal_page($ua->get('/portal?msg=pw_too_short'));
like(section_text($page, 'mot-de-passe'), qr/il faut au moins 12 caractères/,
     'a known key shows its fixed text, with the configured number');

# --- 503 without a database ----------------------------------------------------------------
my $db = broken_db_path();
my ($rc) = admin({ db => $db, stdin => "portal on a broken day 1\n" }, 'user', 'add', 'fiona', '--password-stdin');
is($rc, 0, 'a user on the seances_broken server');
Apache::TestRequest::module('seances_broken');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');
my $f = ua();
login_as($f, 'fiona', 'portal on a broken day 1', base => $base);
is($f->get("$base/portal")->code, 200, 'her portal works while the database does');
break_db($db);
$r = $f->get("$base/portal");
repair_db($db);
is($r->code, 503, 'with the database unusable the portal answers 503');
like($r->decoded_content, qr/Service temporairement indisponible/, '... with the page that says why');
is($f->get("$base/portal")->code, 200, 'and works again once the database is back');
