#!/bin/sh
# Every field of the configuration structs (src/cfg/config.h) has a merge rule in
# mod_seances_auth.c and a default in src/cfg/defaults.c: a getter that reads it (falling back
# to core/defaults.c), or a mention in that file's list of fields without a default.
set -eu
cd "$(dirname "$0")/.."
exec perl -e '
use strict; use warnings;
sub slurp { open my $fh, "<", shift or die $!; local $/; <$fh> }
my $config = slurp("src/cfg/config.h");
my $module = slurp("mod_seances_auth.c");
my $defaults = slurp("src/cfg/defaults.c");
my $bad = 0;
for my $type (qw(cfg_dir_config cfg_srv_config)) {
    my ($body) = $config =~ /typedef struct \{\n((?:(?!typedef struct).)*?)\n\} \Q$type\E;/s
        or do { print "config.h: no struct $type\n"; exit 1 };
    my @fields = $body =~ /^\s+[^(){};\/]*?[\s*](\w+)(?:\[\d+\])?;/mg;
    my $merge = $type eq "cfg_dir_config" ? "merge_dir_config" : "merge_srv_config";
    my ($mbody) = $module =~ /static void \*\Q$merge\E\(.*?\n\{\n(.*?)\n\}/s
        or do { print "mod_seances_auth.c: no $merge\n"; exit 1 };
    for my $f (@fields) {
        unless ($mbody =~ /\b\Q$f\E\b/) { print "$type.$f has no merge rule in $merge\n"; $bad++ }
        unless ($defaults =~ /\b\Q$f\E\b/) { print "$type.$f has no default in src/cfg/defaults.c\n"; $bad++ }
    }
    printf "config %s: %d fields\n", $type, scalar @fields;
}
if ($bad) { print "configuration: $bad problem(s)\n"; exit 1 }
print "configuration: every field has a merge rule and a default\n";
'
