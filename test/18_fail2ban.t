# The sample fail2ban filter (conf/fail2ban/seances.conf) against real error_log lines:
# every failed login of this run is matched with the client's address, nothing else is.
# Checklist (test/SECURITY.md): SEC-81 authentication events logged.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;
use SeancesLogin;

my $regex = '/usr/bin/fail2ban-regex';
plan tests => 7;
Test::More->builder->failure_output(\*STDERR);

my $off = error_log_size();
login_as(ua(), 'f2b-nobody', 'wrong password one');
login_as(ua(), 'alice', 'wrong password two');
login_as(ua(), 'carol', 'disabled for now 99 ok');
my $r = login_as(ua(), 'bob', 'the builder has a passphrase 2026');
is($r->code, 303, 'and one good login in between');
ok(error_log_wait($off, qr/SEANCES0102: login of bob/, 5), 'whose line is in the log');
ok(error_log_wait($off, qr/SEANCES0101: login failed for carol/, 5), 'as are the failures');

my $dir = File::Temp->newdir;
my $log = "$dir/error_log";
open my $fh, '>', $log or die "$log: $!";
print $fh scalar error_log_since($off);
close $fh;

my $filter = top_dir() . '/conf/fail2ban/seances.conf';
my ($rc, $out, $err) = SeancesTest::_run({ as_root => 1 }, $regex, '--print-all-matched', $log, $filter);
is($rc, 0, 'fail2ban-regex accepts the filter') or diag $err;
like($out, qr/^Lines: \d+ lines, 0 ignored, 3 matched/m, 'exactly the three failures match');
my ($matched) = $out =~ /^\|- Matched line\(s\):\n(.*?)^`-/ms;
my @hosts = ($matched // '') =~ /\[client ([0-9.]+):\d+\] SEANCES0101/g;
is_deeply(\@hosts, [('127.0.0.1') x 3], 'each with its client address');
unlike($matched // 'none', qr/SEANCES0102/, 'the successful login is not matched');
