package SeancesReliability;
# Helpers for the reliability tests (test/40_* to test/44_*): a lock held by another process,
# requests in parallel, the status counters, a graceful restart.
#
#   my $lock = hold_lock($db, 2.5);           # sqlite3 holds BEGIN EXCLUSIVE for 2.5 s
#   ...; release_wait($lock);                 # returns when that process has ended
#   my @results = in_parallel(8, sub { my $i = shift; ...; return $code });
#   my $c = status_counters($base);           # {'seances_logins_total{result="ok"}' => 3, ...}
#   graceful_restart();                       # SIGUSR1, back when the new generation serves
use strict;
use warnings;

use Exporter 'import';
use File::Temp ();
use IO::Handle ();
use POSIX ();
use Time::HiRes qw(time sleep);

use Apache::Test ();
use SeancesTest;

our @EXPORT = qw(hold_lock release_wait in_parallel status_counters graceful_restart
                 server_ids csrf_session);

sub server_ids {
    my ($user, $group) = (Apache::Test::vars('user'), Apache::Test::vars('group'));
    my $uid = $user  =~ /^#(\d+)$/ ? $1 : (getpwnam $user)[2];
    my $gid = $group =~ /^#(\d+)$/ ? $1 : (getgrnam $group)[2];
    return ($uid, $gid);
}

sub _become_server_user {
    return unless $> == 0;
    my ($uid, $gid) = server_ids();
    $) = "$gid $gid";
    $( = $gid;
    POSIX::setgid($gid);
    POSIX::setuid($uid) or POSIX::_exit(126);
}

# Another process (the sqlite3 tool, as the server's user) takes the write lock of $db with
# BEGIN EXCLUSIVE and keeps it $secs seconds. Returns once the lock is held.
sub hold_lock {
    my ($db, $secs) = @_;
    my $script = File::Temp->new;
    print $script "BEGIN EXCLUSIVE;\nSELECT 'locked';\n.shell sleep $secs\nCOMMIT;\n";
    close $script;
    pipe(my $r, my $w) or die "pipe: $!";
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        close $r;
        open STDIN, '<', $script->filename or POSIX::_exit(126);
        open STDOUT, '>&', $w or POSIX::_exit(126);
        _become_server_user();
        exec 'sqlite3', '-batch', $db or POSIX::_exit(127);
    }
    close $w;
    my $line = <$r> // '';
    die "sqlite3 could not lock $db\n" unless $line =~ /locked/;
    return { pid => $pid, pipe => $r, tmp => $script, until => time + $secs };
}

sub release_wait {
    my $lock = shift;
    waitpid $lock->{pid}, 0;
    return $? == 0;
}

# Runs $code->($i) in $n processes that start together; returns their results in order of $i
# (each result a string, e.g. "303 0.42").
sub in_parallel {
    my ($n, $code) = @_;
    my $start = time + 1;    # every child is ready by then, even on a loaded machine
    my @kids;
    for my $i (0 .. $n - 1) {
        pipe(my $r, my $w) or die "pipe: $!";
        my $pid = fork // die "fork: $!";
        if ($pid == 0) {
            close $r;
            my $now = time;
            sleep($start - $now) if $start > $now;
            my $out = eval { $code->($i) } // "error $@";
            print {$w} $out;
            close $w;
            POSIX::_exit(0);
        }
        close $w;
        push @kids, [$pid, $r];
    }
    my @results;
    for my $k (@kids) {
        my ($pid, $r) = @$k;
        local $/;
        push @results, scalar(<$r>) // '';
        waitpid $pid, 0;
    }
    return @results;
}

# The counters of seances-status?auto at $base, as {"name{labels}" => value}.
sub status_counters {
    my ($base) = @_;
    my $r = ua()->get(($base // '') . '/seances-status?auto');
    die 'seances-status answered ' . $r->code . "\n" unless $r->code == 200;
    my %c;
    for (split /\n/, $r->decoded_content) {
        next if /^#/;
        $c{$1} = $2 if /^(\S+) (-?\d+)$/;
    }
    return \%c;
}

# A user agent holding the login form's CSRF pre-session for $base, and the token.
sub csrf_session {
    my ($base) = @_;
    my $ua = ua();
    my $r = $ua->get(($base // '') . '/login');
    my ($token) = $r->decoded_content =~ /name="csrf" value="([^"]+)"/;
    return ($ua, $token);
}

# Graceful restart of the test server; returns when the new generation answers.
sub graceful_restart {
    my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';
    open my $fh, '<', $pidfile or die "$pidfile: $!";
    my ($pid) = <$fh> =~ /(\d+)/;
    close $fh;
    my $off = error_log_size();
    kill 'USR1', $pid or die "kill USR1 $pid: $!";
    error_log_wait($off, qr/resuming normal operations/, 30)
        or die "no new generation after a graceful restart\n";
}

1;
