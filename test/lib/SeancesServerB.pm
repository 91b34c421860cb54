package SeancesServerB;
# A second Apache beside the suite's own, for the tests of several servers on one user base
# (17_servers.t): the built module, the same passphrases, cookie and lockout as the main server
# (test/conf/extra.conf.in), its own port, and its files in test/logs/server-b.
#
#   my $b = SeancesServerB->start(port => 8605, db => $conninfo);   # waits until it answers
#   $b->base                 # http://localhost:8605
#   $b->pids                 # [parent, children...] (sorted), to show they are the same later
#   my $off = $b->log_size; $b->log_wait($off, qr/SEANCES0303/, 5)
#   $b->stop                 # waits until every process is gone
#
# stop() is idempotent; test/TEST's stop() calls stop_leftover() in case a .t was killed before
# it could stop its server.
use strict;
use warnings;

use Carp qw(croak);
use File::Path ();
use IO::Socket::INET ();
use Time::HiRes ();

my $HTTPD = $ENV{APACHE_TEST_HTTPD} || '/usr/sbin/apache2';

sub dir_of { return "$_[0]/server-b" }

# Starts the server: %o needs port and db (a pgsql conninfo); user and group (httpd's children,
# when run as root) default to the main server's.
sub start {
    my ($class, %o) = @_;
    require Apache::Test;
    my $vars = Apache::Test::vars();
    my $self = bless { port => $o{port}, dir => dir_of($vars->{t_logs}), owner => $$ }, $class;
    stop_leftover($vars->{t_logs});
    File::Path::rmtree($self->{dir});
    File::Path::mkpath($self->{dir}, 0, 0755);
    $self->{conf} = "$self->{dir}/httpd.conf";
    open my $fh, '>', $self->{conf} or croak "$self->{conf}: $!";
    print $fh $self->_config($vars, $o{db}, $o{user} // $vars->{user}, $o{group} // $vars->{group});
    close $fh;
    system($HTTPD, '-d', $vars->{t_dir}, '-f', $self->{conf}, '-k', 'start') == 0
        or croak "the second server did not start: see $self->{dir}/error_log";
    $self->{started} = 1;
    my $deadline = Time::HiRes::time() + 30;
    until ($self->_answers && $self->_pid) {
        croak "the second server does not answer on port $o{port}: see $self->{dir}/error_log"
            if Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.1);
    }
    return $self;
}

sub base { return "http://localhost:$_[0]{port}" }

sub error_log_path { return "$_[0]{dir}/error_log" }

sub log_size { return -s $_[0]->error_log_path // 0 }

# The first line matching $re written after $offset, waiting up to $secs (default 5).
sub log_wait {
    my ($self, $offset, $re, $secs) = @_;
    my $deadline = time + ($secs // 5);
    while (1) {
        if (open my $fh, '<', $self->error_log_path) {
            seek $fh, $offset, 0;
            while (my $line = <$fh>) {
                return $line if $line =~ $re;
            }
        }
        return undef if time > $deadline;
        Time::HiRes::sleep(0.1);
    }
}

# The parent's pid, then its children's (sorted).
sub pids {
    my $self = shift;
    my $parent = $self->_pid or return [];
    return [ $parent, children_of($parent) ];
}

sub children_of {
    my $parent = shift;
    my @kids;
    for my $stat (glob '/proc/[0-9]*/stat') {
        open my $fh, '<', $stat or next;
        my $line = <$fh> // '';
        # pid (comm) state ppid ...
        push @kids, $1 if $line =~ /^(\d+) \(.*\) \S+ (\d+) / && $2 == $parent;
    }
    return sort { $a <=> $b } @kids;
}

sub stop {
    my $self = shift;
    return unless $self->{started};
    $self->{started} = 0;
    _stop_pid($self->_pid);
}

# also when the .t dies: the server never outlives the process that started it
sub DESTROY { $_[0]->stop if $_[0]{started} && $$ == $_[0]{owner} }

# Stops a second server left running under $t_logs (its pid file names an apache2).
sub stop_leftover {
    my $t_logs = shift;
    my $pid = _read_pid(dir_of($t_logs) . '/httpd.pid') or return;
    _stop_pid($pid);
}

sub _pid { return _read_pid("$_[0]{dir}/httpd.pid") }

sub _read_pid {
    my $file = shift;
    open my $fh, '<', $file or return undef;
    my ($pid) = (<$fh> // '') =~ /(\d+)/;
    return undef unless $pid && open my $c, '<', "/proc/$pid/cmdline";
    local $/;
    my $cmd = <$c> // '';
    return $cmd =~ m{(^|/)(apache2|httpd)\0} ? $pid : undef;
}

# SIGTERM to the parent, which stops its children; then wait until all are gone.
sub _stop_pid {
    my $pid = shift or return;
    my @all = ($pid, children_of($pid));
    kill 'TERM', $pid;
    my $deadline = time + 30;
    while (grep { -e "/proc/$_" && !_zombie($_) } @all) {
        if (time > $deadline) {
            kill 'KILL', @all;
            last;
        }
        Time::HiRes::sleep(0.1);
    }
}

sub _zombie {
    open my $fh, '<', "/proc/$_[0]/stat" or return 1;
    return (<$fh> // '') =~ /^\d+ \(.*\) Z/s;
}

sub _answers {
    my $self = shift;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{port},
                                     Proto => 'tcp', Timeout => 1);
    return defined $sock;
}

sub _config {
    my ($self, $vars, $db, $user, $group) = @_;
    my ($top, $t_dir, $dir) = ($vars->{top_dir}, $vars->{t_dir}, $self->{dir});
    my $run_as = $> == 0 ? "User $user\nGroup $group\n" : '';
    return <<"EOF";
# Generated by test/lib/SeancesServerB.pm: a second server on the main server's database.
Include "$top/test/conf/modules.conf"
LoadModule seances_auth_module "$top/.libs/mod_seances_auth.so"
ServerName localhost
Listen 127.0.0.1:$self->{port}
${run_as}PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
LogLevel info seances_auth:debug
DefaultRuntimeDir "$dir"
ScriptSock "$dir/cgisock"
TypesConfig "$t_dir/conf/mime.types"
DocumentRoot "$t_dir/htdocs"

# two processes of a few threads, each with its own pool of database connections
StartServers      2
ServerLimit       2
ThreadsPerChild   5
MaxRequestWorkers 10
MinSpareThreads   5
MaxSpareThreads   10

DBDriver pgsql
DBDParams "$db"

# what every server of one user base shares: the passphrases, the cookie and the lockout
SeancesCryptoPassphrase "test-passphrase-0123456789abcdef" "older-passphrase-0123456789abcdef"
SeancesCookieName seances_session Path=/; HttpOnly; SameSite=Lax
SeancesLockout 3 10m 10m 8

<Directory "$t_dir/cgi-bin">
    Require all granted
</Directory>
ScriptAlias /app/ "$t_dir/cgi-bin/"
<Location "/login">
    SetHandler seances-login
</Location>
<Location "/logout">
    SetHandler seances-logout
</Location>
<Location "/app/">
    AuthType Seances
    AuthName "seances"
    Require valid-user
</Location>
EOF
}

1;
