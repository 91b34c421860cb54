# Issue 13, finding 5: passphrase hygiene. apachectl -t refuses an obviously guessable
# passphrase (16 x "a", few different characters, a repeated piece, a run) and names the
# directive; a passphrase file that its group or others can read or write gets a warning at
# start-up (SEANCES0421), and seances-admin check fails on the same weak passphrases.
# Checklist: SEC-42 (keys: passphrase file readable only by root, strong secrets).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;

plan tests => 13;
Test::More->builder->failure_output(\*STDERR);

my $tmp = File::Temp->newdir;
sub file_with {
    my ($name, $text, $mode) = @_;
    my $f = "$tmp/$name";
    open my $fh, '>', $f or die "$f: $!";
    print $fh $text;
    close $fh;
    chmod $mode, $f;
    return $f;
}
my $site = qq{<Location "/app/">\nAuthType Seances\nRequire valid-user\n</Location>\n};

for (['16 x "a"', 'aaaaaaaaaaaaaaaa', qr/fewer than 8 different/],
     ['a word said twice', 'Secret123Secret123', qr/repeats a shorter piece/],
     ['a run', 'abcdefghijklmnopqr', qr/run of consecutive/]) {
    my ($what, $pp, $why) = @$_;
    my ($rc, $out) = apache_t(qq{SeancesCryptoPassphrase "$pp"\n$site});
    ok($rc != 0 && $out =~ /SeancesCryptoPassphrase: the passphrase/ && $out =~ $why,
       "apachectl -t refuses $what, naming SeancesCryptoPassphrase") or diag $out;
}
my ($rc, $out) = apache_t(qq{SeancesCryptoPassphrase "k3T9qZ+u1mW/8rLx0aYbVc2dHe4f"\n$site});
is($rc, 0, 'a random passphrase passes') or diag $out;

# --- the file ---------------------------------------------------------------------------------
my $weak = file_with('weak', "# rotated 2026\naaaaaaaaaaaaaaaa\n", 0600);
($rc, $out) = apache_t(qq{SeancesCryptoPassphraseFile "$weak"\n$site});
ok($rc != 0 && $out =~ /SeancesCryptoPassphraseFile: the passphrase has fewer than 8/
   && $out =~ /\Q$weak\E/, 'a weak passphrase in the file fails, naming the directive and file')
    or diag $out;

my $good = "k3T9qZ+u1mW/8rLx0aYbVc2dHe4f\n";
for my $mode (0666, 0644, 0640, 0604) {
    my $f = file_with(sprintf('open%o', $mode), $good, $mode);
    ($rc, $out) = apache_t(qq{SeancesCryptoPassphraseFile "$f"\n$site});
    ok($rc == 0 && $out =~ /SEANCES0421: SeancesCryptoPassphraseFile: the passphrase file '\Q$f\E' can be read/,
       sprintf('mode %04o: starts, with the warning SEANCES0421', $mode)) or diag $out;
}
my $closed = file_with('closed', $good, 0600);
($rc, $out) = apache_t(qq{SeancesCryptoPassphraseFile "$closed"\n$site});
ok($rc == 0 && $out !~ /SEANCES0421/, 'mode 0600: no warning') or diag $out;

# --- seances-admin check reads the same file ----------------------------------------------------
sub check_pass {
    my ($f) = @_;
    return SeancesTest::_run({ as_root => 1 }, top_dir() . '/seances-admin', '--db',
                             "$tmp/none.db", 'check', '--passphrase-file', $f);
}
my $weak_root = file_with('weak-root', "\"aaaaaaaaaaaaaaaa\" k3T9qZ+u1mW/8rLx0aYbVc2dHe4f\n", 0600);
($rc, $out) = check_pass($weak_root);
like($out, qr/^FAIL\s+passphrase 1 of \Q$weak_root\E: the passphrase has fewer than 8/m,
     'check: the weak first passphrase fails');
isnt($rc, 0, 'check exits non-zero');
($rc, $out) = check_pass($closed);
unlike($out, qr/^FAIL\s+passphrase \d+ of/m, 'check: a good one raises nothing');
