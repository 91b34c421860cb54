# Issue 10: the language of the module's pages. The order: the cookie seances_lang (strictly
# fr, de, it or en), then Accept-Language, then SeancesLanguage. The switch on every page is a
# link to the same page with ?lang=xx: it sets the cookie and shows the page, with no redirect
# (so no open redirect, SEC-64), and keeps the page's other parameters.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 20;
Test::More->builder->failure_output(\*STDERR);

sub lang_of { ($_[0]->decoded_content =~ /<html lang="(\w+)">/)[0] // '' }

my $ua = ua();
my $r = $ua->get('/login?return=/app/env.pl');
my $html = $r->decoded_content;
for my $code (qw(fr de it en)) {
    like($html, qr{<a href="/login\?return=%2[fF]app%2[fF]env\.pl&amp;lang=$code" lang="$code" hreflang="$code"},
         "the switch offers $code on the same page, keeping ?return=");
}
like($html, qr/aria-current="true">FR</, 'French is marked as the current language');

$r = $ua->get('/login?return=/app/env.pl&lang=de');
is($r->code, 200, 'the switch answers the page itself (no redirect)');
is(lang_of($r), 'de', 'in German');
my ($set) = grep /^seances_lang=/, @{ cookies_of($r) };
like($set // '', qr/^seances_lang=de;Max-Age=31536000;Path=\/; HttpOnly; SameSite=Lax/, 'and remembers it for a year');
like($r->decoded_content, qr/name="return" value="\/app\/env\.pl"/, 'the return target stays');

$r = $ua->get('/login', 'Accept-Language' => 'it');
is(lang_of($r), 'de', 'the cookie beats Accept-Language');
$r = $ua->get('/login/none', 'Accept-Language' => 'it');
is(lang_of($r), 'de', 'on every page of the module (the 404 too)');

for my $bad ('DE', 'xx', 'english') {
    $r = ua()->get('/login', Cookie => "seances_lang=$bad", 'Accept-Language' => 'it');
    is(lang_of($r), 'it', "a cookie \"$bad\" is ignored: Accept-Language decides");
}
$r = ua()->get('/login?lang=xx', 'Accept-Language' => 'en');
is(lang_of($r), 'en', 'an unknown ?lang= is ignored');
ok(!grep(/^seances_lang=/, @{ cookies_of($r) }), '... and sets no cookie');

# SeancesLanguage de at /org-other/: the last resort
is(lang_of(ua()->get('/org-other/')), 'de', 'without cookie or Accept-Language: SeancesLanguage');
is(lang_of(ua()->get('/org-other/', Cookie => 'seances_lang=en')), 'en', 'the cookie beats SeancesLanguage');

# the switch's links keep only what is safe of the page's query (SEC-64, SEC-66)
$html = ua()->get('/login?return=//evil.example/&x=%3Cscript%3E&page=2')->decoded_content;
unlike($html, qr/evil\.example|<script>|%3Cscript/i, 'a hostile return target or parameter is not carried');
like($html, qr{href="/login\?return=%2[fF]&amp;page=2&amp;lang=de"}, 'a plain one is');
