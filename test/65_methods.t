# Issue 13 finding 6 (SEC-68, SEC-67): the module's pages take GET and POST only. TRACE on
# them answered 200 and echoed the request, cookies included; the 405 answers carried
# "Allow: TRACE" (r->allowed instead of r->allowed_methods). Now TRACE on a location of the
# module is refused with the themed 405, and every 405 says Allow: GET, HEAD, POST.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use HTTP::Request;
use SeancesTest;

plan tests => 21;
Test::More->builder->failure_output(\*STDERR);

my $ua = ua();
my $SECRET = 'seances_session=echo-me-if-you-can';

for my $path ('/login', '/logout', '/seances-status', '/portal', '/login/sub') {
    my $r = $ua->request(HTTP::Request->new(TRACE => url($path), [ Cookie => $SECRET ]));
    is($r->code, 405, "TRACE $path: 405");
    unlike($r->content, qr/echo-me-if-you-can/, "TRACE $path: the cookie is not echoed");
    is($r->header('Allow'), 'GET, HEAD, POST', "TRACE $path: Allow without TRACE");
}
for my $m (qw(PUT DELETE OPTIONS)) {
    my $r = $ua->request(HTTP::Request->new($m => url('/login')));
    is($r->code . ' ' . ($r->header('Allow') // ''), '405 GET, HEAD, POST', "$m /login: 405, Allow: GET, HEAD, POST");
}
# elsewhere, TRACE stays the server's business (TraceEnable)
my $r = $ua->request(HTTP::Request->new(TRACE => url('/static/seances/seances.css')));
isnt($r->code, 405, 'TRACE outside the module is left to httpd');
my $html = $ua->request(HTTP::Request->new(TRACE => url('/login')))->decoded_content;
like($html, qr/<h1>Action non prise en charge<\/h1>/, 'the 405 is the themed page');
is($ua->head('/login')->code, 200, 'HEAD stays allowed');
