# Issue 10: every status the module answers with is a themed page in the page language, with
# a way forward (SEC-21 for the 503, SEC-67: no cookie reflected, SEC-68: only GET and POST).
# The themed page also serves an application's errors through ErrorDocument (seances-error).
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;

plan tests => 37;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

# A themed page: our frame (the stylesheet with its nonce, the language switch), not Apache's.
sub themed {
    my ($r, $status, $title, $what) = @_;
    my $html = $r->decoded_content // '';
    is($r->code, $status, "$what: $status");
    ok(index($html, "<h1>$title</h1>") >= 0 && $html =~ /<nav class="langs"/ &&
       $html !~ /Apache|<address>/, "$what: the themed page \"$title\"")
        or diag(substr($html, 0, 400));
}

my $ua = ua();
# --- 404 below the module's handlers -------------------------------------------------------
my $r = $ua->get('/login/nope', Cookie => 'secret_cookie=s3cr3t-value');
themed($r, 404, 'Page introuvable', 'GET /login/nope');
unlike($r->decoded_content, qr/s3cr3t-value/, 'the page reflects no cookie (SEC-67)');
like($r->decoded_content, qr/href="\/">Retour à l&#39;accueil</, 'a way forward: the home page');
is($r->header('Cache-Control'), 'no-store', 'with the security headers');
$r = $ua->get('/logout/x/y');
themed($r, 404, 'Page introuvable', 'GET /logout/x/y');
$r = $ua->get('/login/nope', 'Accept-Language' => 'de');
themed($r, 404, 'Seite nicht gefunden', 'in German for a German browser');

# --- 405 (SEC-68) ----------------------------------------------------------------------------
$r = $ua->request(HTTP::Request->new(PUT => url('/login'), [ 'Content-Type' => 'text/plain' ], 'x'));
themed($r, 405, 'Action non prise en charge', 'PUT /login');
is($r->header('Allow'), 'GET, HEAD, POST', 'Allow: what the page takes, no TRACE');
$r = $ua->request(HTTP::Request->new(DELETE => url('/logout')));
themed($r, 405, 'Action non prise en charge', 'DELETE /logout');

# --- 400, 413, 415 from the login form -----------------------------------------------------------
my $token = form_token($ua);
$r = $ua->post('/login', Content_Type => 'application/x-www-form-urlencoded',
               Content => "csrf=$token&username=%zz&password=x");
themed($r, 400, 'Requête invalide', 'a malformed form');
$r = $ua->post('/login', Content_Type => 'application/x-www-form-urlencoded',
               Content => 'username=' . ('a' x 20000));
themed($r, 413, 'Données trop volumineuses', 'a form past 16 KiB');
$r = $ua->post('/login', Content_Type => 'text/plain', Content => 'username=alice');
themed($r, 415, 'Requête invalide', 'a body that is not a form');

# --- an application's errors through ErrorDocument -------------------------------------------------
$r = $ua->get('/themed/missing.html?lang=it');
themed($r, 404, 'Pagina non trovata', 'ErrorDocument 404 of the app, switched to Italian');
like($r->decoded_content, qr/href="\/themed\/missing\.html\?lang=en"/,
     'the language switch stays on the page that failed');
$r = ua()->get('/themed/denied/x.html');
themed($r, 403, 'Accès refusé', 'ErrorDocument 403 of the app');
like($r->decoded_content, qr/Vous n&#39;avez pas accès à cette page/, 'it says what happened');

# --- 503: try again in 30 s, the same URL, nothing about internals, no "Se reconnecter" ------------
my $db = broken_db_path();
admin({db => $db, stdin => "a broken day password\n"}, 'user', 'add', 'frida', '--password-stdin');
Apache::TestRequest::module('seances_broken');
my $base = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');
my $bua = ua();
$r = login_as($bua, 'frida', 'a broken day password', base => $base);
is($r->code, 303, 'frida logs in while the database is fine');
break_db($db);
$r = $bua->get("$base/app/env.pl?x=1");
my $html = $r->decoded_content;
themed($r, 503, 'Service temporairement indisponible', 'a signed-in user while the database is down');
is($r->header('Retry-After'), '30', 'Retry-After: 30');
like($html, qr/réessayer dans 30\x{a0}?\s?secondes/, 'the page says: try again in 30 seconds');
like($html, qr/<a class="button" href="\/app\/env\.pl\?x=1">Réessayer<\/a>/, '"Réessayer" is the same URL');
unlike($html, qr/Se reconnecter|href="\/login[?"]/, 'no "Se reconnecter" for a user who is signed in');
unlike($html, qr/base de données|database|SQL|sqlite|pgsql/i, 'nothing about internals');
$r = login_as(ua(), 'frida', 'a broken day password', base => $base);
themed($r, 503, 'Service temporairement indisponible', 'a login while the database is down');
repair_db($db);
is($bua->get("$base/app/env.pl")->code, 200, 'the same URL works once the database is back');
