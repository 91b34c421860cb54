#!/usr/bin/perl
# CGI for the interop tests: asks stock mod_session (SessionHeader X-Replace-Session) to store
# the query string's key=value pairs in the session, which stock mod_session_crypto encrypts.
use strict;
use warnings;

my $pairs = $ENV{QUERY_STRING} // '';
$pairs =~ s/[\r\n]//g;
print "X-Replace-Session: $pairs\r\n";
print "Content-Type: text/plain\r\n\r\n";
print "stored\n";
