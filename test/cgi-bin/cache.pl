#!/usr/bin/perl
# CGI for 73_backend.t: answers with the Cache-Control given as query string (URL-decoded;
# none when empty) and prints the Cookie header it received.
use strict;
use warnings;

binmode STDOUT;
(my $cc = $ENV{QUERY_STRING} // '') =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
print "Content-Type: text/plain\r\n";
print "Cache-Control: $cc\r\n" if length $cc;
print "\r\n", 'HTTP_COOKIE=', $ENV{HTTP_COOKIE} // '', "\n";
