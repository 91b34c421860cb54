# The return target after login is a local path or "/": no open redirect.
# Checklist (test/SECURITY.md): SEC-64 redirect targets validated, SEC-76 strict form parsing.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;

my @hostile = (
    '//evil.example', '///evil.example', '////evil.example', '/\\evil.example', '\\\\evil.example',
    '/\\/evil.example', '/%2f%2fevil.example', '/%2F/evil.example', '/%5cevil.example',
    '/%5Cevil.example', 'http://evil.example/', 'https://evil.example', 'https:evil.example',
    '//127.0.0.1:1@evil.example/', 'http://127.0.0.1:1@evil.example/', 'javascript:alert(1)',
    'data:text/html,x', "/\r\nSet-Cookie: x=1", '/%0d%0aSet-Cookie:x=1', '/%0aLocation:x',
    "/\tevil", '/%09/evil.example', '/%00', 'evil.example', '.evil.example',
    '', ' /app/', "/app/\x7f", '/%E0%A4%A', "/\x{e9}vil",
);
my @friendly = ('/app/env.pl', '/app/env.pl?a=1&b=2', '/app/dir/', '/', '/app/x%20y', '/app/env.pl#frag');

plan tests => 2 * @hostile + @friendly + 3;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my $pw = 'correct horse battery staple';
for my $target (@hostile) {
    my $ua = ua();
    my $r = login_as($ua, 'alice', $pw, return => $target);
    (my $shown = $target) =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord $1)/ge;
    is($r->header('Location'), '/', "return '$shown' lands on /");
    my $form = $ua->get('/login?return=' . uri_escape_all($target));
    like($form->decoded_content, qr/name="return" value="\/"/, "the form does not carry '$shown'");
}
for my $target (@friendly) {
    my $r = login_as(ua(), 'alice', $pw, return => $target);
    is($r->header('Location'), $target, "return '$target' is kept");
}
my $r = login_as(ua(), 'alice', $pw, return => "/\x00evil");
is($r->code, 400, 'a NUL byte in the form is refused outright');
$r = ua()->get('/app/env.pl?next=//evil.example');
like($r->header('Location'), qr{^/login\?return=%2Fapp%2Fenv\.pl%3Fnext%3D%2F%2Fevil\.example$}, 'the redirect to the form encodes the target');
$r = login_as(ua(), 'alice', $pw, return => '/app/env.pl?next=//evil.example');
is($r->header('Location'), '/app/env.pl?next=//evil.example', 'a query string may hold anything');

sub uri_escape_all { my $s = shift; utf8::encode($s) if utf8::is_utf8($s); $s =~ s/([^A-Za-z0-9])/sprintf('%%%02X', ord $1)/ge; return $s }
