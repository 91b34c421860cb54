# Issue 10: SeancesOrganisation "name" [logo] on every page of the module, the logo and the
# favicon served by the module (cacheable), and a logo that is not usable fails apachectl -t.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

plan tests => 16;
Test::More->builder->failure_output(\*STDERR);

my $ua = ua();
for my $path ('/login', '/login/nope', '/logout', '/themed/missing.html') {
    my $html = $ua->get($path)->decoded_content;
    ok(index($html, '<small>Commune de Vaudrens</small>') >= 0 &&
       $html =~ m{<img class="logo" src="(/login/seances-logo\?v=\w+)" alt="">},
       "$path shows the organisation and its logo");
}
my $html = $ua->get('/login')->decoded_content;
my ($logo) = $html =~ m{<img class="logo" src="([^"]+)"};
my $r = $ua->get($logo);
is($r->code, 200, 'the logo is served by the module');
is($r->header('Content-Type'), 'image/svg+xml', 'with its type');
like($r->header('Cache-Control') // '', qr/^public, max-age=\d{6,}/, 'and cacheable');
open my $fh, '<', top_dir() . '/test/fixtures/logo.svg' or die $!;
is($r->content, do { local $/; <$fh> }, 'the file as configured');
my ($icon) = $html =~ m{<link rel="icon" type="image/svg\+xml" href="([^"]+)">};
$r = $ua->get($icon);
is($r->code . ' ' . $r->header('Content-Type'), '200 image/svg+xml', 'the favicon is served by the module');
is($r->header('X-Content-Type-Options'), 'nosniff', 'nosniff');

$html = $ua->get('/org-other/')->decoded_content;
like($html, qr{<small>Autre organisation</small>}, 'a section can name another organisation');
unlike($html, qr{class="logo"}, '... without the logo of the first');

my ($rc, $out) = apache_t(qq{SeancesCryptoPassphrase "0123456789abcdef0123"\nSeancesOrganisation "X" "/nonexistent/logo.png"});
isnt($rc, 0, 'a missing logo fails apachectl -t');
like($out, qr/SeancesOrganisation: the logo/, '... saying why');
($rc, $out) = apache_t(qq{SeancesCryptoPassphrase "0123456789abcdef0123"\nSeancesOrganisation "X" "} . top_dir() . '/README"');
isnt($rc, 0, 'a logo that is not an image fails too');
($rc, $out) = apache_t(qq{SeancesCryptoPassphrase "0123456789abcdef0123"\nSeancesOrganisation "Commune de Vaudrens" "} . top_dir() . '/test/fixtures/logo.svg"');
is($rc, 0, 'a good one passes') or diag($out);
