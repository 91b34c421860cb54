#!/bin/sh
# Every log line of the module carries a stable SALOG(nnnn) identifier, each number is used
# once, and the README's table lists exactly the numbers in use.
set -eu
cd "$(dirname "$0")/.."
exec perl -e '
use strict; use warnings;
my ($bad, %where) = (0);
for my $file (sort(glob("src/*/*.c"), "mod_seances_auth.c")) {
    open my $fh, "<", $file or die "$file: $!";
    local $/; my $text = <$fh>;
    while ($text =~ /\bap_log_(?:r|p|c)?error\s*\((.*?)\);/sg) {
        my $call = $1;
        my $line = 1 + (substr($text, 0, $-[0]) =~ tr/\n//);
        my ($id) = $call =~ /SALOG\((\d{4})\)/;
        if (!$id) { print "$file:$line: a log line without SALOG(nnnn)\n"; $bad++; next }
        if ($where{$id}) { print "$file:$line: SEANCES$id is also used at $where{$id}\n"; $bad++ }
        $where{$id} = "$file:$line";
    }
}
open my $rd, "<", "README" or die "README: $!";
my %doc = map { /^\|\s*SEANCES(\d{4})\s*\|/ ? ($1 => 1) : () } <$rd>;
for my $id (sort keys %where) { next if $doc{$id}; print "SEANCES$id ($where{$id}) is not in the README\n"; $bad++ }
for my $id (sort keys %doc) { next if $where{$id}; print "the README lists SEANCES$id, which no log line uses\n"; $bad++ }
if ($bad) { print "log identifiers: $bad problem(s)\n"; exit 1 }
printf "log identifiers: %d, ok\n", scalar keys %where;
'
