#!/bin/sh
# Keeps the source folders layered: a file may include its own folder and the folders below
# it, never one above, and no two modules (a .c with its .h) may include each other.
#   store < core < cache, mail < cfg < web < handle;   cli sits beside cache on core and store.
set -eu
cd "$(dirname "$0")/.."
exec perl -e '
use strict; use warnings;
my %rank = (store => 0, core => 1, cache => 2, mail => 2, cli => 2, cfg => 3, web => 4,
            handle => 5);
my (%deps, $bad);
for my $file (sort glob("src/*/*.[ch]")) {
    my ($dir, $mod) = $file =~ m{^src/([^/]+)/([^/.]+)\.[ch]$} or next;
    defined $rank{$dir} or do { print "$file: folder $dir has no place in the layers\n"; $bad++; next };
    open my $fh, "<", $file or die "$file: $!";
    while (<$fh>) {
        my ($to, $tomod) = m{^\s*#\s*include\s+"([^/"]+)/([^/".]+)\.h"} or next;
        defined $rank{$to} or do { print "$file includes $to/$tomod.h: unknown folder\n"; $bad++; next };
        if ($to ne $dir && ($rank{$to} >= $rank{$dir} || ($dir eq "cli") != ($to eq "cli") && $rank{$to} >= 2)) {
            print "$file includes $to/$tomod.h: $dir may not depend on $to\n";
            $bad++;
        }
        $deps{"$dir/$mod"}{"$to/$tomod"} = 1 unless "$dir/$mod" eq "$to/$tomod";
    }
}
for my $a (sort keys %deps) {
    for my $b (sort keys %{ $deps{$a} }) {
        next unless $a lt $b && $deps{$b}{$a};
        print "$a and $b include each other\n";
        $bad++;
    }
}
if ($bad) { print "layers: $bad problem(s)\n"; exit 1 }
print "layers: ok\n";
'
