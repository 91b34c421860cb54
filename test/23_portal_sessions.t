# The portal's history and open sessions: paging newest first, failures in words, browsers in
# words from real User-Agent strings, signing out one session or all others (the revoked
# cookies open nothing afterwards), and the CLI showing and changing the same rows.
# Checklist (test/SECURITY.md): SEC-44 sessions listed and ended by the user, SEC-61 no IDOR.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Time::Local qw(timegm);
use URI::Escape qw(uri_escape);
use SeancesTest;
use SeancesLogin;
use SeancesPortal;

plan tests => 81;
Test::More->builder->failure_output(\*STDERR);
binmode Test::More->builder->$_, ':utf8' for qw(output failure_output todo_output);
clear_throttle();

my $PW = 'tests every session here 9';
my ($rc, $out) = admin({ stdin => "$PW\n" }, 'user', 'add', 'quentin', '--email', 'q@example.ch', '--password-stdin');
is($rc, 0, 'a user for these tests');
my $qid = user_id_of('quentin');

# Real agents and how the portal names them (more in the C unit test of the summariser).
my @AGENTS = (
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox sur Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) '
     . 'Version/17.5 Mobile/15E148 Safari/604.1', 'Safari sur iPhone'],
    ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 '
     . 'Mobile Safari/537.36', 'Chrome sur Android'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) '
     . 'Version/17.5 Safari/605.1.15', 'Safari sur macOS'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) '
     . 'Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87', 'Edge sur Windows'],
    ['curl/7.88.1', 'curl'],
    ['', 'Navigateur inconnu'],
);
# result, factor, how the portal says it, shown as a failure
my @RESULTS = (
    ['ok', 'password', 'Connexion réussie', 0], ['bad_password', 'password', "Échec\x{202F}: mot de passe erroné", 1],
    ['throttled', 'password', "Refusée\x{202F}: trop de tentatives", 1], ['disabled', 'password', "Refusée\x{202F}: compte désactivé", 1],
    ['bad_code', 'totp', "Échec\x{202F}: code erroné", 1], ['some_new_result', 'password', 'some_new_result', 0],
    ['ok', 'recovery', 'Connexion réussie, avec un code de récupération', 0],
    ['totp_enabled', 'totp', 'Authentification à deux facteurs activée', 0],
);

# --- 25 older events, then a real login: 26 in all --------------------------------------------
my $T0 = 1790000000;
my @values;
for my $i (0 .. 24) {
    my $agent = $AGENTS[$i % @AGENTS][0];
    my ($result, $factor) = @{ $RESULTS[$i % @RESULTS] };
    (my $q = $agent) =~ s/'/''/g;
    push @values, sprintf("(%d, %d, 'quentin', '192.0.2.%d', '%s', '%s', '%s')",
                          $T0 + 60 * int($i / 2), $qid, $i, $q, $result, $factor);
}
sql('INSERT INTO login_events (time, user_id, username, ip, user_agent, result, factor) VALUES '
    . join(', ', @values));
my $ua = signed_in('quentin', $PW, agent => $AGENTS[0][0]);

# The events of a page, in order: [ip, result text, browser, failure?, iso time]
sub events_on {
    my ($page) = @_;
    my @ev;
    while ($page->{sections}{connexions} =~ m{<li class="event( failure)?"><time datetime="([^"]+)">[^<]*</time> <span class="result">([^<]*)</span><br><span class="meta">Adresse IP ([^ ]+) · ([^<]*)</span></li>}g) {
        push @ev, { failure => $1 ? 1 : 0, iso => $2, result => HTML::Entities::decode_entities($3),
                    ip => $4, browser => HTML::Entities::decode_entities($5) };
    }
    return @ev;
}
sub link_of {
    my ($page, $rel) = @_;
    my ($href) = $page->{sections}{connexions} =~ /<a href="([^"]+)" rel="$rel">/;
    return defined $href ? HTML::Entities::decode_entities($href) : undef;
}

my $page = portal_page($ua->get('/portal?return=/app/env.pl'));
my @p1 = events_on($page);
is(scalar @p1, 10, 'the first page holds 10 events');
is($p1[0]{ip}, '127.0.0.1', 'the newest first: this login');
is_deeply([ map { $_->{ip} } @p1[1 .. 9] ], [ map { "192.0.2.$_" } reverse 16 .. 24 ],
          'then the inserted ones, newest first (ties broken by insertion order)');
my $older = link_of($page, 'next');
like($older // '', qr{^/portal\?return=%2Fapp%2Fenv\.pl&before=\d+\.\d+#connexions$},
     'a link to older logins, keeping the return target');
is(link_of($page, 'first'), undef, 'no link to the newest on the newest page');
$page = portal_page($ua->get($older));
my @p2 = events_on($page);
is_deeply([ map { $_->{ip} } @p2 ], [ map { "192.0.2.$_" } reverse 6 .. 15 ], 'the second page: the next 10');
like(link_of($page, 'first') // '', qr{^/portal\?return=%2Fapp%2Fenv\.pl#connexions$}, 'with a link back to the newest');
$page = portal_page($ua->get(link_of($page, 'next')));
my @p3 = events_on($page);
is_deeply([ map { $_->{ip} } @p3 ], [ map { "192.0.2.$_" } reverse 0 .. 5 ], 'the third page: the last 6');
is(link_of($page, 'next'), undef, 'and no older page');
my %seen;
$seen{"$_->{ip} $_->{iso}"}++ for @p1, @p2, @p3;
is(scalar keys %seen, 26, 'every event once over the three pages');
is(scalar(events_on(portal_page($ua->get('/portal?before=abc')))), 10, 'a malformed cursor shows the newest page');

for my $ev (@p2, @p3) {
    my ($n) = $ev->{ip} =~ /(\d+)$/;
    my ($agent, $words) = @{ $AGENTS[$n % @AGENTS] };
    my ($result, $factor, $text, $failure) = @{ $RESULTS[$n % @RESULTS] };
    is($ev->{browser}, $words, "event $n: the browser in words ($words)") if $n <= @AGENTS;
    if ($n >= 6 && $n <= 13) {
        is($ev->{result}, $text, "event $n: the result in words ($result, $factor)");
        is($ev->{failure}, $failure, "event $n: marked as a failure: $failure");
    }
}

# --- the same rows in the CLI --------------------------------------------------------------------
sub iso_to_epoch {
    my ($y, $mo, $d, $h, $mi, $s, $sign, $oh, $om) = $_[0] =~ /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)([+-])(\d\d):(\d\d)$/;
    return timegm($s, $mi, $h, $d, $mo - 1, $y) - ($sign eq '-' ? -1 : 1) * ($oh * 3600 + $om * 60);
}
{
    local $ENV{TZ} = 'UTC';
    ($rc, $out) = admin('history', 'quentin', '--limit', '10');
}
my @cli = map { [ split /\t/ ] } split /\n/, $out;
is(scalar @cli, 10, 'seances-admin history quentin --limit 10: ten lines');
is_deeply([ map { my ($y, $mo, $d, $h, $mi, $s) = $_->[0] =~ /(\d+)/g; timegm($s, $mi, $h, $d, $mo - 1, $y) } @cli ],
          [ map { iso_to_epoch($_->{iso}) } @p1 ], 'the same events at the same times as the portal\'s first page');
is_deeply([ map { $_->[3] } @cli ], [ map { $_->{ip} } @p1 ], '... from the same addresses');

# --- open sessions: one, all others, this one -------------------------------------------------------
my $phone = signed_in('quentin', $PW, agent => $AGENTS[1][0], remember => 1);
my $android = signed_in('quentin', $PW, agent => $AGENTS[2][0]);
$page = portal_page($ua->get('/portal'));
my $sess = section_text($page, 'sessions');
like($sess, qr/Firefox sur Windows Cette session/, 'this session is marked');
like($sess, qr/Safari sur iPhone Rester connecté/, 'the phone is there, remembered');
like($sess, qr/Chrome sur Android Adresse IP/, 'the Android browser is there');
my @ids = @{ session_ids($page) };
is(scalar @ids, 3, 'three sessions, each with its own Déconnecter');
like($page->{sections}{sessions}, qr/<button type="submit" class="secondary">Déconnecter toutes les autres sessions<\/button>/,
     'and "Déconnecter toutes les autres sessions"');

# the CLI lists the same sessions
($rc, $out) = admin('sessions', 'quentin');
is_deeply([ sort map { (split /\t/)[0] } split /\n/, $out ], [ sort map { substr $_, 0, 12 } @ids ],
          'seances-admin sessions quentin lists the same sessions');

my ($phone_id) = $page->{sections}{sessions} =~ /Safari sur iPhone.*?name="session" value="([0-9a-f]{64})"/s;
# the phone was used just now: the session cache (SeancesSessionRecheck) holds its session
is($phone->get('/app/env.pl')->code, 200, 'the phone works before');
my $off = error_log_size();
my $r = portal_post($ua, 'end_session', session => $phone_id);
is($r->code, 303, 'Déconnecter on the phone session');
my %q = redirect_query($r);
is($q{msg}, 'session_ended', '... redirects with its message');
is($q{_fragment}, 'sessions', '... to the sessions section');
is($phone->get('/app/env.pl')->code, 302, "the phone's cookie opens nothing any more");
is($phone->get('/portal')->code, 302, '... not even the portal');
is($ua->get('/app/env.pl')->code, 200, 'this session continues');
is($android->get('/app/env.pl')->code, 200, 'the other one too');
ok(error_log_wait($off, qr/SEANCES0607: session [0-9a-f]{12} of quentin ended in the portal from 127\.0\.0\.1/, 5),
   'an audit line');
$page = portal_page($ua->get($r->header('Location')));
like(section_text($page, 'sessions'), qr/La session a été fermée\./, 'the page says so');
is(scalar @{ session_ids($page) }, 2, 'two sessions left');
$r = portal_post($ua, 'end_session', session => $phone_id);
%q = redirect_query($r);
is($q{msg}, 'session_unknown', 'ending it again: it is no longer open');

my $bob = signed_in('bob', 'the builder has a passphrase 2026');
my $bob_id = sql("SELECT s.id_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'bob' "
                 . "ORDER BY s.created DESC LIMIT 1")->[0];
%q = redirect_query(portal_post($ua, 'end_session', session => $bob_id));
is($q{msg}, 'session_unknown', "another user's session id ends nothing");
is($bob->get('/app/env.pl')->code, 200, "bob's session is untouched");
is(portal_post($ua, 'end_session', session => 'not-a-session')->code, 400, 'a malformed id is a 400');

is($android->get('/app/env.pl')->code, 200, 'the Android browser works before');
$off = error_log_size();
$r = portal_post($ua, 'end_others');
%q = redirect_query($r);
is($q{msg}, 'others_ended', '"Déconnecter toutes les autres sessions"');
is($android->get('/app/env.pl')->code, 302, 'the Android cookie opens nothing any more');
is($ua->get('/app/env.pl')->code, 200, 'this session continues');
ok(error_log_wait($off, qr/SEANCES0608: 1 other session of quentin ended in the portal/, 5), 'an audit line');
$page = portal_page($ua->get($r->header('Location')));
like(section_text($page, 'sessions'), qr/Toutes vos autres sessions ont été fermées\..*Aucune autre session n'est ouverte\./,
     'the page says so, and the button is gone');

# --- the CLI changes what the portal shows ----------------------------------------------------
my $tablet = signed_in('quentin', $PW, agent => $AGENTS[3][0]);
$page = portal_page($ua->get('/portal'));
my ($tablet_id) = $page->{sections}{sessions} =~ /Safari sur macOS.*?name="session" value="([0-9a-f]{64})"/s;
($rc, $out) = admin('sessions', 'quentin', '--revoke', substr($tablet_id, 0, 12));
is($rc, 0, 'seances-admin sessions quentin --revoke ID');
like($out, qr/session \Q${\ substr($tablet_id, 0, 12)}\E of quentin ended/, '... says so');
is($tablet->get('/app/env.pl')->code, 302, 'that cookie opens nothing');
unlike(portal_page($ua->get('/portal'))->{html}, qr/\Q$tablet_id\E/, 'and the portal no longer lists it');
($rc, $out) = admin('sessions', 'quentin', '--revoke', 'abcdef');
isnt($rc, 0, '--revoke with too short an id is refused');
($rc, $out, my $err) = admin('sessions', 'quentin', '--revoke', 'ffffffffffff');
like($err, qr/quentin has no open session ffffffffffff/, '--revoke of an unknown id says so');

# --- this very session ------------------------------------------------------------------------------
$page = portal_page($ua->get('/portal'));
my ($mine) = $page->{sections}{sessions} =~ /Cette session.*?name="session" value="([0-9a-f]{64})"/s;
$off = error_log_size();
$r = portal_post($ua, 'end_session', session => $mine);
is($r->code, 303, 'Déconnecter on this session');
is($r->header('Location'), '/logout', '... leads to the logout page');
ok(grep(/^seances_session=;Max-Age=0;/, @{ cookies_of($r) }), '... and clears the cookie');
ok(error_log_wait($off, qr/SEANCES0611: session [0-9a-f]{12} of quentin ended in the portal .*\(this session\)/, 5),
   'an audit line');
like($ua->get('/logout')->decoded_content, qr/Vous êtes déconnecté/, 'which says the user is signed out');
is($ua->get('/portal')->code, 302, 'the portal now sends to the login');
is(sql("SELECT count(*) FROM sessions WHERE user_id = $qid")->[0], 0, 'quentin has no session left');

my $again = signed_in('quentin', $PW);
($rc, $out) = admin('sessions', 'quentin', '--revoke-all');
like($out, qr/1 session of quentin ended/, 'seances-admin sessions --revoke-all');
is($again->get('/portal')->code, 302, 'the portal of a revoked session sends to the login');
