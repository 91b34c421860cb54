package SeancesTest;
# Helpers for the mod_seances_auth Apache::Test suite (test/*.t).
#
#   use SeancesTest;        # test/TEST puts test/lib on @INC for every .t
#
#   my $ua = ua();                         # own cookie jar, no redirects, 20 s timeout
#   my $r  = $ua->get('/private/');        # relative URLs go to the test server
#   $r = $ua->post('/login', [user => 'alice', password => 'pw']);
#   url('/x')                              # http://localhost:8529/x
#   driver()                               # 'sqlite3' or 'pgsql' (SEANCES_TEST_DRIVER)
#   db_path(), broken_db_path()            # the databases of the main and the seances_broken
#                                          # servers: a file (sqlite3) or a conninfo (pgsql)
#   my $rows = sql('SELECT name FROM users ORDER BY name');   # ['alice', 'bob']
#   my ($rc, $out, $err) = admin('user', 'list');
#   ($rc, $out, $err) = admin({ stdin => "pw\npw\n" }, 'user', 'add', 'carol');
#   my $text = db_dump($db);                # tables, indexes and rows, to compare
#   pg('restart'); pg_params('seances_test')   # test/pg.sh
#   break_db($db); ...; repair_db($db)     # unusable: chmod 000 (sqlite3), or connections
#                                          # refused (pgsql: ALLOW_CONNECTIONS false)
#   only_on('sqlite3', 'chmod on the database file');          # else skip_all
#
# The suite runs once per driver (make apache-test, test/matrix.sh): every .t that touches
# storage must pass on both, so the SQL given to sql() must mean the same on sqlite3 and
# PostgreSQL (no strftime, no sqlite_master; CAST(x AS TEXT) before mixing types in COALESCE).
#   my ($rc, $output) = apache_t("SeancesAuth On\n");        # apache2 -t
#   my $off = error_log_size(); ...; like(scalar error_log_since($off), qr/AH/);
#   error_log_wait($off, qr/login failed/, 5)
#
# When the suite runs as root on sqlite3, sql() and admin() run their command
# as the user and group of httpd's children (vars user/group, i.e. nobody:nogroup),
# so sqlite never leaves a root-owned journal, -wal or -shm file that httpd
# could not write.  Pass { as_root => 1 } as first argument to keep root.
# On pgsql they connect over TCP as the role seances, whoever runs them.
use strict;
use warnings;

use Carp qw(croak);
use Cwd ();
use Exporter 'import';
use File::Basename qw(dirname);
use File::Temp ();
use POSIX ();

use Apache::Test ();
use Apache::TestRequest ();
use HTTP::Cookies ();

our @EXPORT = qw(ua url top_dir driver only_on db_path broken_db_path sql admin db_dump
                 pg pg_params break_db repair_db apache_t
                 error_log_path error_log_size error_log_since error_log_wait);

my $TOP = Cwd::abs_path(dirname(__FILE__) . '/../..');

sub top_dir { $TOP }

sub _vars { Apache::Test::vars(@_) }

# ---- HTTP ----------------------------------------------------------------

# A fresh user agent: its own cookie jar, redirects returned as they are
# (3xx, check Location yourself), 20 s per request instead of Apache::Test's
# 600 s.  Options go to LWP::UserAgent->new, e.g. ua(timeout => 5).
sub ua {
    my %opt = @_;
    my $timeout = delete $opt{timeout} // 20;
    my $ua = SeancesTest::UA->new(cookie_jar => HTTP::Cookies->new, %opt);
    $ua->requests_redirectable([]);
    $ua->timeout($timeout);
    return $ua;
}

sub url { Apache::TestRequest::resolve_url(shift) }

# ---- database and CLI ----------------------------------------------------

sub driver { _vars('seances_driver') // 'sqlite3' }

# Skips the whole file unless the suite runs on $driver; $why says what the file needs.
sub only_on {
    my ($want, $why) = @_;
    return if driver() eq $want;
    require Test::More;
    Test::More::plan(skip_all => "$why: runs in the $want half of the matrix only");
}

sub db_path        { _vars('seances_db') }
sub broken_db_path { _vars('seances_broken_db') }

sub pg_params {
    my $name = shift;
    my $params = `sh $TOP/test/pg.sh params $name`;
    chomp $params;
    return $params;
}

# test/pg.sh with these arguments; returns its exit code.
sub pg { return system('sh', "$TOP/test/pg.sh", @_) >> 8 }

# Makes a database unusable for the servers, and usable again: on sqlite3 the file becomes
# unreadable; on pgsql the database refuses new connections (as during maintenance), which a
# server with DBDPersist Off sees at its next request.
sub break_db  { _db_access(shift, 0) }
sub repair_db { _db_access(shift, 1) }

sub _db_access {
    my ($db, $on) = @_;
    if (driver() eq 'pgsql') {
        my ($name) = $db =~ /\bdbname=(\w+)/ or croak "no dbname in '$db'";
        my $allow = $on ? 'true' : 'false';
        pg('su', 'postgres', "ALTER DATABASE $name ALLOW_CONNECTIONS $allow") == 0
            or croak "ALTER DATABASE $name ALLOW_CONNECTIONS $allow failed";
    }
    else {
        chmod $on ? 0644 : 0000, $db or croak "chmod $db: $!";
    }
}

# Runs SQL on the test database (or on $db): the sqlite3 CLI, or psql as the role seances.
# Returns an arrayref of rows, columns joined by '|' (NULL as '').  Dies on an error.
sub sql {
    my $opt = ref $_[0] eq 'HASH' ? shift : {};
    my ($query, $db) = @_;
    $db //= db_path();
    my ($rc, $out, $err);
    if (driver() eq 'pgsql') {
        ($rc, $out, $err) = _psql($db, $query);
        croak "psql failed (exit $rc) on: $query\n$err" if $rc;
    }
    else {
        ($rc, $out, $err) = _run($opt, 'sqlite3', '-batch', '-noheader',
            '-separator', '|', '-cmd', '.timeout 5000', $db, $query);
        croak "sqlite3 failed (exit $rc) on: $query\n$err" if $rc || $err =~ /\S/;
    }
    return [ split /\n/, $out ];
}

sub _psql {
    my ($db, $query, $stdin) = @_;
    local $ENV{PGCLIENTENCODING} = 'UTF8';
    my @cmd = ('psql', '-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', $db);
    push @cmd, '-c', $query if defined $query;
    return _run({ as_root => 1, stdin => $stdin }, @cmd);
}

# The whole database as text, to show that a command changed nothing: sqlite3's .dump, or on
# pgsql the columns, the indexes and every row of every table.  A sequence that a refused
# INSERT advanced is not shown: PostgreSQL never gives a number back, and no row changed.
sub db_dump {
    my ($db) = @_;
    $db //= db_path();
    return join "\n", @{ sql({ as_root => 1 }, '.dump', $db) } if driver() ne 'pgsql';
    my ($rc, $out, $err) = _psql($db, undef, <<'SQL');
SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
       || coalesce(column_default, '')
  FROM information_schema.columns WHERE table_schema = 'public'
 ORDER BY table_name, ordinal_position;
SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname;
SELECT format('SELECT %L, x::text FROM %I x ORDER BY 2', table_name, table_name)
  FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name \gexec
SQL
    croak "dumping $db failed (exit $rc)\n$err" if $rc;
    return $out;
}

# Runs the CLI on the test database: seances-admin --dbd <driver> --db <db> @args.
# Options (hashref first): stdin => text, db => other database, as_root => 1.
# Returns (exit code, stdout, stderr).
sub admin {
    my $opt = ref $_[0] eq 'HASH' ? shift : {};
    my $db = $opt->{db} // db_path();
    $opt = { %$opt, as_root => 1 } if driver() eq 'pgsql';
    return _run($opt, "$TOP/seances-admin", '--dbd', driver(), '--db', $db, @_);
}

sub _server_ids {
    my ($user, $group) = (_vars('user'), _vars('group'));
    my $uid = $user  =~ /^#(\d+)$/ ? $1 : (getpwnam $user)[2];
    my $gid = $group =~ /^#(\d+)$/ ? $1 : (getgrnam $group)[2];
    croak "unknown user/group $user/$group" unless defined $uid && defined $gid;
    return ($uid, $gid);
}

# Runs a command, stdin from $opt->{stdin}; returns (exit code, stdout, stderr).
# The exit code is 128+N when the command died from signal N.
sub _run {
    my ($opt, @cmd) = @_;
    my @ids = ($> == 0 && !$opt->{as_root}) ? _server_ids() : ();
    my ($in, $out, $err) = map { File::Temp->new } 1 .. 3;
    print $in $opt->{stdin} // '';
    close $in;

    my $pid = fork // croak "fork: $!";
    if ($pid == 0) {
        open STDIN,  '<',  $in->filename or POSIX::_exit(126);
        open STDOUT, '>&', $out          or POSIX::_exit(126);
        open STDERR, '>&', $err          or POSIX::_exit(126);
        if (@ids) {
            my ($uid, $gid) = @ids;
            $) = "$gid $gid";
            $( = $gid;
            POSIX::setgid($gid);
            POSIX::setuid($uid) or do { print STDERR "setuid $uid: $!\n"; POSIX::_exit(126) };
        }
        chdir $TOP;
        { no warnings 'exec'; exec { $cmd[0] } @cmd; }
        print STDERR "exec $cmd[0]: $!\n";
        POSIX::_exit(127);
    }
    waitpid $pid, 0;
    my $status = $?;
    my $rc = $status & 127 ? 128 + ($status & 127) : $status >> 8;
    return ($rc, _slurp($out->filename), _slurp($err->filename));
}

sub _slurp {
    my $file = shift;
    open my $fh, '<', $file or return '';
    local $/;
    my $text = <$fh>;
    return $text // '';
}

# ---- configuration check -------------------------------------------------

# Runs "apache2 -t" on $conf_text wrapped with the suite's modules.conf (MPM
# first), our module, a ServerName and an ErrorLog, all in a temporary file.
# Returns (exit code, stdout + stderr + whatever reached the ErrorLog).
# Options: load_module => 0 leaves our LoadModule out.
sub apache_t {
    my ($conf_text, %opt) = @_;
    my $dir  = File::Temp->newdir;
    my $file = "$dir/check.conf";
    my $load = ($opt{load_module} // 1)
        ? qq{LoadModule seances_auth_module "$TOP/.libs/mod_seances_auth.so"\n} : '';
    open my $fh, '>', $file or croak "$file: $!";
    print $fh <<"EOF";
Include "$TOP/test/conf/modules.conf"
$load
ServerName localhost
ErrorLog "$dir/error_log"
DefaultRuntimeDir "$dir"
PidFile "$dir/httpd.pid"

$conf_text
EOF
    close $fh;
    my $httpd = $ENV{APACHE_TEST_HTTPD} || '/usr/sbin/apache2';
    my ($rc, $out, $err) = _run({ as_root => 1 }, $httpd, '-t', '-d', $TOP, '-f', $file);
    return ($rc, $out . $err . _slurp("$dir/error_log"));
}

# ---- error_log -----------------------------------------------------------

sub error_log_path { _vars('t_logs') . '/error_log' }

sub error_log_size { -s error_log_path() // 0 }

# What test/logs/error_log gained since $offset (from error_log_size()):
# the text in scalar context, the lines in list context.
sub error_log_since {
    my $offset = shift // 0;
    open my $fh, '<', error_log_path() or return wantarray ? () : '';
    seek $fh, $offset, 0;
    local $/;
    my $text = <$fh> // '';
    return wantarray ? split(/\n/, $text) : $text;
}

# Waits up to $secs (default 5) for a line matching $re after $offset; httpd
# writes some lines (e.g. from the logging phase) after the response is sent.
# Returns the first matching line, or undef.
sub error_log_wait {
    my ($offset, $re, $secs) = @_;
    my $deadline = time + ($secs // 5);
    while (1) {
        my @hit = grep { $_ =~ $re } error_log_since($offset);
        return $hit[0] if @hit;
        return undef if time > $deadline;
        select undef, undef, undef, 0.1;
    }
}

# ---- the user agent class ------------------------------------------------

package SeancesTest::UA;
# Apache::TestRequest's agent with relative URLs resolved against the test
# server, and LWP's own handling of redirects (requests_redirectable) and of
# credentials ($ua->credentials(...)), which Apache::TestRequest replaces with
# globals.
use strict;
use warnings;
our @ISA = ('Apache::TestRequest');

sub prepare_request {
    my ($self, $req) = @_;
    my $uri = $req->uri;
    $req->uri(Apache::TestRequest::resolve_url("$uri")) unless $uri->scheme;
    return $self->SUPER::prepare_request($req);
}

sub redirect_ok           { shift->LWP::UserAgent::redirect_ok(@_) }
sub credentials           { shift->LWP::UserAgent::credentials(@_) }
sub get_basic_credentials { shift->LWP::UserAgent::get_basic_credentials(@_) }

1;
