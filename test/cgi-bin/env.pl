#!/usr/bin/perl
# CGI for the Apache::Test suite: prints the CGI environment as sorted
# NAME=value lines, so tests can check what the server passed on
# (REMOTE_USER, AUTH_TYPE, HTTP_X_REMOTE_USER, HTTP_SESSION, ...).
# Inside a value, a newline is shown as \n, a CR as \r and a backslash as \\,
# so that every variable stays on one line.
use strict;
use warnings;

binmode STDOUT;
print "Content-Type: text/plain\r\n\r\n";
for my $name (sort keys %ENV) {
    (my $value = $ENV{$name}) =~ s/\\/\\\\/g;
    $value =~ s/\n/\\n/g;
    $value =~ s/\r/\\r/g;
    print "$name=$value\n";
}
