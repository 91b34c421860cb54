# Issue 13, finding 3: no timing oracle through hashes imported from htpasswd. A wrong
# password for an account still on {SHA}, apr1 or bcrypt costs what an unknown name or an
# argon2id account costs (the legacy check is padded with one argon2id run). Measured as
# ratios of medians of interleaved tries, so that a loaded machine slows every series alike.
# Checklist: SEC-14 (no timing oracle on usernames), SEC-13.
use strict;
use warnings;

use File::Temp ();
use List::Util qw(sum);
use Time::HiRes qw(time);

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use SeancesTest;
use SeancesLogin;

my $ROUNDS = 15;
my @LEGACY = (['tsha', '-s', '{SHA}'], ['tapr', '-m', 'apr1'], ['tbcrypt', '-B -C 5', 'bcrypt']);
plan tests => 2 + 2 * @LEGACY;
Test::More->builder->failure_output(\*STDERR);

Apache::TestRequest::module('seances_timing');
my $BASE = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('default');

my $dir = File::Temp->newdir;
chmod 0755, "$dir";
my $file = "$dir/legacy.htpasswd";
open my $fh, '>', $file or die "$file: $!";
for (@LEGACY) {
    my ($name, $opt) = @$_;
    my $line = `htpasswd -nb $opt $name 'legacy password of $name 1'`;
    $line =~ s/\s+\z//;
    print $fh "$line\n";
}
close $fh;
chmod 0644, $file;
my ($rc, $out, $err) = admin('import-htpasswd', $file);
is($rc, 0, 'three legacy accounts imported') or diag $err;

my $ua = ua();
my $token = form_token($ua, $BASE);
my $try = sub {
    my ($name) = @_;
    my $t0 = time;
    my $r = $ua->post("$BASE/login", [username => $name, password => 'not the password',
                                      return => '/', csrf => $token]);
    my $dt = time - $t0;
    die 'login answered ' . $r->code . "\n" unless $r->code == 200;
    return $dt;
};
my @series = ('no-such-user-71', 'alice', map { $_->[0] } @LEGACY);
my %t;
$try->($_) for @series;    # warm-up: every child has its argon2 area
for (1 .. $ROUNDS) {
    push @{ $t{$_} }, $try->($_) for @series;
}
sub median { my @s = sort { $a <=> $b } @_; return $s[int(@s / 2)] }
my %m = map { $_ => median(@{ $t{$_} }) } @series;
my $unknown = $m{'no-such-user-71'};
diag(sprintf '%s %.1f ms', $_, 1000 * $m{$_}) for @series;
my $r = $m{alice} / $unknown;
ok($r > 0.7 && $r < 1.4, sprintf 'argon2id account vs unknown name: ratio %.2f', $r);
for (@LEGACY) {
    my ($name, undef, $scheme) = @$_;
    like(sql("SELECT password_hash FROM users WHERE name = '$name'")->[0],
         $scheme eq '{SHA}' ? qr/^\{SHA\}/ : $scheme eq 'apr1' ? qr/^\$apr1\$/ : qr/^\$2y\$05\$/,
         "$name is still on $scheme (no login yet)");
    $r = $m{$name} / $unknown;
    ok($r > 0.7 && $r < 1.4, sprintf '%s account vs unknown name: ratio %.2f', $scheme, $r);
}
admin('user', 'delete', $_->[0]) for @LEGACY;
clear_throttle();
