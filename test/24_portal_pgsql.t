# The portal's statements on PostgreSQL (the seances_pg server): the page with every section,
# the paged history, Require seances-app after a grant made with the CLI on PostgreSQL,
# ending a session, and the password change with its throttle and history.
# Checklist (test/SECURITY.md): SEC-44 sessions listed and ended by the user.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;
use SeancesPortal;

only_on('pgsql', 'the portal on the seances_pg server');
plan tests => 17;
Test::More->builder->failure_output(\*STDERR);
binmode Test::More->builder->$_, ':utf8' for qw(output failure_output todo_output);

my $pg = top_dir() . '/test/pg.sh';
system('sh', $pg, 'start') == 0 or die "PostgreSQL does not start\n";
my $params = Apache::Test::vars('seances_pg_params');
sub pg_admin {
    my $out = qx{"${\ top_dir()}/seances-admin" --dbd pgsql --db '$params' @_ 2>&1};
    return ($? >> 8, $out);
}
Apache::TestRequest::module('seances_pg');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

# a user of its own (other files log pat in), added through the CLI on PostgreSQL
my $PW = 'a portal on PostgreSQL 1';
my $out0 = qx{printf '%s\n' '$PW' | "${\ top_dir()}/seances-admin" --dbd pgsql --db '$params' user add pedro --email pedro\@example.ch --password-stdin 2>&1};
$? == 0 or die "seances-admin --dbd pgsql user add pedro: $out0";
my $FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
my $ua = ua();
$ua->agent($FIREFOX);
my $r = login_as($ua, 'pedro', $PW, base => $base);
is($r->code, 303, 'pedro logs in on PostgreSQL');
my $phone = ua();
login_as($phone, 'pedro', $PW, base => $base);

$r = $ua->get("$base/portal");
is($r->code, 200, 'the portal answers on PostgreSQL');
my $page = portal_page($r);
like(section_text($page, 'connexion'), qr/Adresse e-mail pedro\@example\.ch .*Firefox sur Windows/, 'Connexion');
like(section_text($page, 'connexions'), qr/Connexion réussie/, 'Connexions récentes');
is(scalar @{ session_ids($page) }, 2, 'Sessions ouvertes: both sessions');
like(section_text(portal_page($ua->get("$base/portal?before=99999999999.999999")), 'connexions'),
     qr/Connexion réussie/, 'the history with a cursor (keyset query)');

is($ua->get("$base/apponly/env.pl")->code, 403, 'no grant yet: Require seances-app refuses');
my ($rc, $out) = pg_admin('grant', 'pedro', 'seances');
is($rc, 0, 'seances-admin --dbd pgsql grant pedro seances') or diag $out;
is($ua->get("$base/apponly/env.pl")->code, 200, 'then it admits pedro');
like($ua->get("$base/portal")->decoded_content, qr{<li><a href="/app/">App pour les séances</a></li>},
     'and the portal lists the app');

my ($mine_id) = $page->{sections}{sessions} =~ /Cette session.*?name="session" value="([0-9a-f]{64})"/s;
my ($other) = grep { $_ ne $mine_id } @{ session_ids($page) };
$r = portal_post($ua, 'end_session', session => $other, path => "$base/portal");
my %q = redirect_query($r);
is($q{msg}, 'session_ended', 'ending the other session');
is($phone->get("$base/app/env.pl")->code, 302, 'its cookie opens nothing');

$r = portal_post($ua, 'password', path => "$base/portal", current => 'wrong', new => 'a new pg passphrase 1',
                 confirm => 'a new pg passphrase 1');
%q = redirect_query($r);
is($q{msg}, 'pw_current_wrong', 'a wrong current password on PostgreSQL');
($rc, $out) = pg_admin('history', 'pedro', '--limit', '1');
like($out, qr/\tbad_current_password\t/, 'recorded (seances-admin history shows it)');
$r = portal_post($ua, 'password', path => "$base/portal", current => $PW, new => 'a new pg passphrase 1',
                 confirm => 'a new pg passphrase 1');
%q = redirect_query($r);
is($q{msg}, 'pw_changed', 'the change on PostgreSQL (one transaction)');
is($ua->get("$base/app/env.pl")->code, 200, 'this session continues');
is(login_as(ua(), 'pedro', 'a new pg passphrase 1', base => $base)->code, 303, 'the new password logs in');
