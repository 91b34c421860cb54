# Thread safety and isolation (test/SECURITY.md, SEC-86): two users hammer the app at once from
# several processes, their requests interleaved on the server's threads (event MPM) and the
# session cache; every answer names the user whose cookie was sent, never the other one.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;
use SeancesLogin;
use POSIX ();

plan tests => 5;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

my %pw = (alice => 'correct horse battery staple', bob => 'the builder has a passphrase 2026');
my %cookie;
for my $u (sort keys %pw) {
    my $ua = ua();
    is(login_as($ua, $u, $pw{$u})->code, 303, "SEC-86: $u logs in");
    $cookie{$u} = session_cookie($ua);
}

my $workers = 4;
my $rounds = 150;    # per worker: 4 x 150 x 2 = 1200 requests
my @pids;
for my $w (1 .. $workers) {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        my $ua = ua(timeout => 30);
        my ($wrong, $failed) = (0, 0);
        for my $i (1 .. $rounds) {
            for my $u (($i + $w) % 2 ? qw(alice bob) : qw(bob alice)) {
                my $r = $ua->get('/app/env.pl', cookie_header($cookie{$u}));
                if ($r->code != 200) { $failed++; next }
                my ($seen) = $r->content =~ /^REMOTE_USER=(.*)$/m;
                $wrong++ if ($seen // '') ne $u;
            }
        }
        POSIX::_exit(($wrong ? 100 : 0) + ($failed ? 1 : 0));
    }
    push @pids, $pid;
}
my ($wrong, $failed) = (0, 0);
for my $pid (@pids) {
    waitpid $pid, 0;
    my $rc = $? >> 8;
    $wrong++ if $rc >= 100;
    $failed++ if $rc % 100;
}
is($wrong, 0, "SEC-86: $workers x $rounds x 2 interleaved requests: no answer named the other user");
is($failed, 0, 'SEC-86: every request was served');
my $damaged = $cookie{alice};
substr($damaged, 20, 1) = substr($damaged, 20, 1) eq 'A' ? 'B' : 'A';
my $dead = ua()->get('/app/env.pl', cookie_header($damaged));
isnt($dead->code, 200, 'SEC-86: and a damaged cookie still opens nothing afterwards');
