# Issue 13, finding 3: no timing oracle through hashes imported from htpasswd. A wrong
# password for an account still on {SHA}, apr1 or bcrypt costs what an unknown name or an
# argon2id account costs (the legacy check is padded with one argon2id run). Measured as
# the median of per-round ratios against an unknown name, so that a loaded machine's bursts
# cancel out.
# Checklist: SEC-14 (no timing oracle on usernames), SEC-13.
use strict;
use warnings;

use File::Temp ();
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

# One kept-alive connection: every try is served by the same child over the same socket, so
# that what is timed is the login's own work, not which child answered or a TCP handshake.
my $ua = ua(keep_alive => 1);
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
my $UNKNOWN = 'no-such-user-71';
my @names = ('alice', map { $_->[0] } @LEGACY);
sub median { my @s = sort { $a <=> $b } @_; return $s[int(@s / 2)] }

# Each round times the unknown name and then every account, and keeps each account's time
# divided by the unknown name's of the same round: a burst of load on the machine slows a
# round as a whole and cancels out. The verdict is the median of these ratios. Should one lie
# outside the bounds, up to two more batches of rounds are added and the median taken over all
# of them: a loaded machine's noise fades with more rounds, a real oracle (a legacy check
# unpadded costs under 1 ms against argon2id's tens) stays far outside at any count.
my %ratios;
my $in_bounds = sub { my $m = median(@_); $m > 0.7 && $m < 1.4 };
$try->($_) for $UNKNOWN, @names;    # warm-up: the child has its argon2 area
for my $batch (1 .. 3) {
    for (1 .. $ROUNDS) {
        my $unknown = $try->($UNKNOWN);
        push @{ $ratios{$_} }, $try->($_) / $unknown for @names;
    }
    last unless grep { !$in_bounds->(@{ $ratios{$_} }) } @names;
    diag("batch $batch: a ratio is out of bounds, timing $ROUNDS more rounds");
}
my %m = map { $_ => median(@{ $ratios{$_} }) } @names;
diag(sprintf '%s: median ratio %.2f over %d rounds (min %.2f, max %.2f)', $_, $m{$_},
     scalar @{ $ratios{$_} }, (sort { $a <=> $b } @{ $ratios{$_} })[0, -1]) for @names;
ok($in_bounds->(@{ $ratios{alice} }), sprintf 'argon2id account vs unknown name: ratio %.2f',
   $m{alice});
for (@LEGACY) {
    my ($name, undef, $scheme) = @$_;
    like(sql("SELECT password_hash FROM users WHERE name = '$name'")->[0],
         $scheme eq '{SHA}' ? qr/^\{SHA\}/ : $scheme eq 'apr1' ? qr/^\$apr1\$/ : qr/^\$2y\$05\$/,
         "$name is still on $scheme (no login yet)");
    ok($in_bounds->(@{ $ratios{$name} }), sprintf '%s account vs unknown name: ratio %.2f',
       $scheme, $m{$name});
}
admin('user', 'delete', $_->[0]) for @LEGACY;
clear_throttle();
