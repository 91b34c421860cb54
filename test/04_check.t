# seances-admin --version and check: the version is debian/changelog's; check prints one line
# per check and exits 1 on each kind of problem it knows (owner, mode, schema, passphrase
# file), with the fix in the line, and changes nothing.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;

# the checks are about a sqlite file and its directory; the CLI's pgsql access is 02_cli.t's
only_on('sqlite3', 'seances-admin check looks at sqlite files and modes');
plan tests => 53;
Test::More->builder->failure_output(\*STDERR);

my $top   = top_dir();
my $ADMIN = "$top/seances-admin";
delete $ENV{SEANCES_DB};

my $tmp  = File::Temp->newdir;
my $dir  = "$tmp/seances";
my $db   = "$dir/seances.db";
my $pass = "$tmp/seances.passphrase";
my ($www_uid, $www_gid) = (getpwnam 'www-data')[2, 3];
die "no user www-data" unless defined $www_uid;

sub raw { return SeancesTest::_run({ as_root => 1 }, $ADMIN, @_) }
sub check { return raw('--db', $db, 'check', '--passphrase-file', $pass, @_) }
sub line_of { my ($out, $what) = @_; my ($l) = grep { /^\S+\s+\Q$what\E/ } split /\n/, $out; return $l // '' }
sub dump_db { return join "\n", @{ sql({ as_root => 1 }, '.dump', $db) } }

# ---- --version ----

open my $cl, '<', "$top/debian/changelog" or die "debian/changelog: $!";
my ($version) = <$cl> =~ /\(([^)]+)\)/;
close $cl;
my ($rc, $out, $err) = raw('--version');
is($rc, 0, '--version exits 0');
is($out, "seances-admin $version\n", "--version prints debian/changelog's version ($version)");

# ---- a good installation, as the package makes it ----

mkdir $dir or die $!;
($rc, $out, $err) = raw('--db', $db, 'init');
is($rc, 0, 'init') or diag $err;
chown $www_uid, $www_gid, $dir, $db;
chmod 0750, $dir;
chmod 0640, $db;
open my $fh, '>', $pass or die $!;
# (a random-looking passphrase: 44 x "x" fails the strength check since issue 13)
print $fh "# a comment\n", "k3T9qZ+u1mW/8rLx0aYbVc2dHe4fJg5h6i7Lp0Qr8sTu", "\n";
close $fh;
chmod 0600, $pass;

my $before = dump_db();
($rc, $out, $err) = check();
is($rc, 0, 'check passes on a good installation') or diag "$out$err";
is($err, '', 'and says nothing on stderr');
my @lines = split /\n/, $out;
is(scalar @lines, 4, 'one line per check');
is((grep { /^ok  / } @lines), 4, 'all four ok');
like(line_of($out, 'database directory'), qr/^ok    database directory \Q$dir\E: owner www-data, mode 0750$/, 'the directory line');
like(line_of($out, 'database file'), qr/^ok    database file \Q$db\E: owner www-data, mode 0640$/, 'the file line');
like(line_of($out, 'database schema'), qr/^ok    database schema: version \d+, up to date$/, 'the schema line');
like(line_of($out, 'passphrase file'), qr/^ok    passphrase file \Q$pass\E: owner root, mode 0600$/, 'the passphrase line');
is(dump_db(), $before, 'check changes nothing in the database');

# ---- each problem: exit 1, its FAIL line with the fix, a one-line summary on stderr ----

sub fails_with {
    my ($what, $re, $name, @args) = @_;
    my ($rc2, $out2, $err2) = check(@args);
    is($rc2, 1, "$name: exit 1");
    like(line_of($out2, $what), $re, "$name: the line says so");
    like($err2, qr/\Aseances-admin: 1 problem found\n\z/, "$name: one line on stderr");
}

chmod 0755, $dir;
fails_with('database directory', qr/^FAIL  database directory .*mode 0755, too open \(chmod o-rwx \Q$dir\E\)$/, 'a directory others may enter');
chmod 0750, $dir;

chmod 0644, $db;
fails_with('database file', qr/^FAIL  database file .*mode 0644, too open \(chmod o-rwx \Q$db\E\)$/, 'a database others may read');
chmod 0440, $db;
fails_with('database file', qr/^FAIL  database file .*mode 0440, its owner needs more \(chmod u\+rw \Q$db\E\)$/, 'a database its owner cannot write');
chmod 0640, $db;

chown 0, 0, $db;
fails_with('database file', qr/^FAIL  database file .*owner root, should be www-data \(chown www-data \Q$db\E\)$/, 'a database owned by root');
chown $www_uid, $www_gid, $db;

chmod 0640, $pass;
fails_with('passphrase file', qr/^FAIL  passphrase file .*mode 0640, too open \(chmod go-rwx \Q$pass\E\)$/, 'a passphrase the group may read');
chmod 0600, $pass;
chown $www_uid, $www_gid, $pass;
fails_with('passphrase file', qr/^FAIL  passphrase file .*owner www-data, should be root/, "a passphrase Apache's children could read");
chown 0, 0, $pass;

sql({ as_root => 1 }, 'UPDATE schema_version SET version = 1', $db);
fails_with('database schema', qr/^FAIL  database schema: version 1, this build has \d+: \d+ migrations? pending \(run: seances-admin migrate\)$/, 'migrations pending');
sql({ as_root => 1 }, 'UPDATE schema_version SET version = 99', $db);
fails_with('database schema', qr/^FAIL  database schema: version 99, newer than this build/, 'a newer schema');

# ---- the owner, missing files, PostgreSQL ----

($rc, $out, $err) = raw('--db', $db, 'check', '--passphrase-file', "$tmp/none", '--owner', 'nobody');
is($rc, 1, '--owner nobody, a missing passphrase file and a newer schema: exit 1');
like(line_of($out, 'database file'), qr/owner www-data, should be nobody/, '--owner is the owner checked');
like(line_of($out, 'passphrase file'), qr/^FAIL  passphrase file \Q$tmp\E\/none: No such file/, 'a passphrase file given and missing fails');
like($err, qr/\Aseances-admin: 4 problems found\n\z/, 'the summary counts them');

($rc, $out, $err) = raw('--db', $db, 'check', '--owner', 'no-such-user-here', '--passphrase-file', $pass);
like(line_of($out, 'database file'), qr/no user no-such-user-here on this system/, 'an unknown --owner is named');

($rc, $out, $err) = raw('--db', "$tmp/absent/seances.db", 'check', '--passphrase-file', $pass);
is($rc, 1, 'no database: exit 1');
like(line_of($out, 'database file'), qr/^FAIL  database file .*No such file/, 'the file line says it is missing');
like(line_of($out, 'database schema'), qr/^skip  database schema: no database file$/, 'the schema is skipped');
ok(!-e "$tmp/absent/seances.db", 'and check did not create it');

open my $empty, '>', "$tmp/empty.db" or die $!;
close $empty;
($rc, $out, $err) = raw('--db', "$tmp/empty.db", 'check', '--passphrase-file', $pass);
like(line_of($out, 'database schema'), qr/^FAIL  database schema: none found \(run: seances-admin init\)$/,
     'an empty database has no schema: run init');

SKIP: {
    skip 'a passphrase file exists at the default path of this machine', 1
        if -e '/etc/apache2/seances.passphrase';
    ($rc, $out, $err) = raw('--db', $db, 'check');
    like(line_of($out, 'passphrase file'), qr/^skip  passphrase file \/etc\/apache2\/seances.passphrase: absent/,
         'without --passphrase-file an absent default file is skipped');
}

($rc, $out, $err) = raw('--dbd', 'pgsql', '--db', 'host=127.0.0.1 port=1 dbname=none connect_timeout=2', 'check',
                        '--passphrase-file', $pass);
is($rc, 1, 'PostgreSQL out of reach: exit 1');
like(line_of($out, 'database file'), qr/^skip  database file: pgsql keeps no file here$/, 'no file checks for PostgreSQL');
like(line_of($out, 'database schema'), qr/^FAIL  database schema: the database cannot be opened/, 'the schema check says the database cannot be opened');

($rc, $out, $err) = raw('--db', $db, 'check', '--owner');
is($rc, 1, '--owner without a value: exit 1');
like($err, qr/\Aseances-admin: [^\n]+\n\z/, 'with a one-line message');

($rc, $out, $err) = raw('--help');
like($out, qr/^  check \[--owner USER\] \[--passphrase-file FILE\]$/m, '--help lists check');
