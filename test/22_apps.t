# The portal's application list and "Require seances-app NAME" give one answer: for every
# seeded user and every declared app, the app is listed exactly when its location admits the
# user, also right after "seances-admin grant/revoke". A database failure answers 503. The
# directives (Require seances-app, SeancesTimeZone) are checked by apachectl -t.
# Checklist (test/SECURITY.md): SEC-63 apps list shows only the user's own, SEC-65 security headers
# on module pages.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesPortal;

plan tests => 44;
Test::More->builder->failure_output(\*STDERR);
binmode Test::More->builder->$_, ':utf8' for qw(output failure_output todo_output);
clear_throttle();

my %APPS = (seances => '/apponly/env.pl', agenda => '/agenda/env.pl');
my %USERS = (
    paul => ['sees the whole portal 2026', ['seances']],
    nina => ['has no app at all here 7', []],
    ines => ['may use both apps here 8', ['agenda', 'seances']],
);

# The apps the portal lists, by the link of each (the link is the app's SeancesApp url).
my %BY_URL = ('/app/' => 'seances', '/agenda/' => 'agenda');
sub listed {
    my $ua = shift;
    my $page = portal_page($ua->get('/portal'));
    return [ sort map { $BY_URL{$_} // "?$_" } $page->{sections}{applications} =~ /<li><a href="([^"]+)">/g ];
}
sub admitted {
    my $ua = shift;
    return [ sort grep { $ua->get($APPS{$_})->code == 200 } keys %APPS ];
}

my %ua;
for my $name (sort keys %USERS) {
    my ($pw, $want) = @{ $USERS{$name} };
    $ua{$name} = signed_in($name, $pw);
    is_deeply(listed($ua{$name}), $want, "$name: the portal lists @{[ @$want ? qq{@$want} : 'no app' ]}");
    is_deeply(admitted($ua{$name}), $want, "$name: Require seances-app admits exactly the same");
}
like(section_text(portal_page($ua{nina}->get('/portal')), 'applications'),
     qr/Aucune application ne vous est attribuée\./, 'nina: the section says there is none');
my $r = $ua{nina}->get('/apponly/env.pl');
is($r->code, 403, 'a signed-in user without the grant gets 403 (AuthzSendForbiddenOnFailure)');
$r = ua()->get('/apponly/env.pl');
is($r->code, 302, 'nobody signed in: the login first');
like($r->header('Location'), qr{^/login\?return=%2Fapponly%2Fenv\.pl$}, '... which comes back to the app');
like($ua{paul}->get('/apponly/env.pl')->content, qr/^REMOTE_USER=paul$/m, 'the admitted user reaches the app as himself');

# --- grant and revoke change both at once ----------------------------------------------------
my ($rc, $out) = admin('grant', 'nina', 'agenda');
is($rc, 0, 'seances-admin grant nina agenda');
is_deeply(listed($ua{nina}), ['agenda'], 'the portal lists it at once (same session)');
is_deeply(admitted($ua{nina}), ['agenda'], 'and the location admits her at once');
($rc, $out) = admin('revoke', 'ines', 'seances');
is($rc, 0, 'seances-admin revoke ines seances');
is_deeply(listed($ua{ines}), ['agenda'], 'the portal no longer lists it');
is_deeply(admitted($ua{ines}), ['agenda'], 'and the location refuses her');
($rc, $out) = admin('revoke', 'nina', 'agenda');
admin('grant', 'ines', 'seances');
is_deeply([ listed($ua{nina}), admitted($ua{nina}) ], [[], []], 'revoked again: neither lists nor admits');
($rc, $out) = admin('grant', 'nina', 'ghost');
is($rc, 0, 'a grant for an app no SeancesApp declares is stored');
is_deeply(listed($ua{nina}), [], 'but not listed: the portal shows declared apps only');
admin('revoke', 'nina', 'ghost');

my $off = error_log_size();
is($ua{paul}->get('/undeclared/env.pl')->code, 403, 'Require seances-app for an undeclared app admits nobody');
ok(error_log_wait($off, qr/SEANCES0602: Require seances-app nowhere: no SeancesApp nowhere is configured/, 5),
   '... and the error log says why');

# --- a database failure answers 503, never admits ---------------------------------------------
my $db = broken_db_path();
($rc) = admin({ db => $db, stdin => "basic and broken 2026\n" }, 'user', 'add', 'gina', '--password-stdin');
is($rc, 0, 'gina in the database of the seances_broken server');
admin({ db => $db }, 'grant', 'gina', 'seances');
admin({ db => $db, stdin => "basic and broken 2026\n" }, 'user', 'add', 'hugo', '--password-stdin');
my $htpasswd = Apache::Test::vars('t_state') . '/basic.htpasswd';
for (['-cbB', 'gina'], ['-bB', 'hugo']) {
    my ($flags, $who) = @$_;
    system("htpasswd $flags '$htpasswd' $who '$who basic password' 2>/dev/null") == 0
        or die "htpasswd failed\n";
}
chmod 0644, $htpasswd;
Apache::TestRequest::module('seances_broken');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');
my $basic = ua();
$basic->credentials(Apache::TestRequest::hostport(), 'basic', 'gina', 'gina basic password');
sub basic_get {
    my ($user, $pw) = @_;
    my $u = ua();
    (my $hp = $base) =~ s{^http://}{};
    $u->credentials($hp, 'basic', $user, $pw);
    return $u->get("$base/basic-app/env.pl");
}
is(basic_get('gina', 'gina basic password')->code, 200,
   'another AuthType (Basic) with Require seances-app: a granted user is admitted');
is(basic_get('hugo', 'hugo basic password')->code, 401, '... one without the grant is not');
break_db($db);
$off = error_log_size();
$r = basic_get('gina', 'gina basic password');
repair_db($db);
is($r->code, 503, 'with the database unusable the rule answers 503, never admits');
unlike($r->content, qr/REMOTE_USER/, 'the app is not reached');
like($r->decoded_content, qr/Service temporairement indisponible/, 'the page says why');
is($r->header('Content-Type'), 'text/html; charset=utf-8', 'as UTF-8');
is($r->header('Retry-After'), '30', 'with Retry-After');
like($r->header('Content-Security-Policy') // '', qr/style-src 'nonce-/, 'with its CSP');
ok(error_log_wait($off, qr/SEANCES0304: database failure while reading the grants of Require seances-app/, 5),
   'the error log tells the admin');
is(basic_get('gina', 'gina basic password')->code, 200, 'once the database is back, she is admitted again');

# --- apachectl -t ------------------------------------------------------------------------------
my $loc = sub { "<Location \"/x\">\n  AuthType Basic\n  AuthName x\n  $_[0]\n</Location>\n" };
($rc, $out) = apache_t($loc->('Require seances-app seances'));
is($rc, 0, 'Require seances-app NAME is accepted') or diag $out;
for my $bad (['Require seances-app', 'no name'], ['Require seances-app a b', 'two names'],
             ['Require seances-app bad/name', 'a bad name']) {
    ($rc, $out) = apache_t($loc->($bad->[0]));
    isnt($rc, 0, "Require seances-app with $bad->[1] is refused");
    like($out, qr/Require seances-app: give one application name/, '... with a message that says how');
}
($rc, $out) = apache_t("SeancesTimeZone America/New_York\n");
is($rc, 0, 'SeancesTimeZone with a zone of the tz database is accepted') or diag $out;
($rc, $out) = apache_t("SeancesTimeZone Nowhere/City\n");
isnt($rc, 0, 'SeancesTimeZone with an unknown zone is refused');
like($out, qr/SeancesTimeZone: 'Nowhere\/City': no such zone/, '... naming the directive and the zone');
($rc, $out) = apache_t("SeancesTimeZone ../../../etc/passwd\n");
like($out, qr/SeancesTimeZone: .*not a zone name/, 'a path is not a zone');
