# Schema versions: "seances-admin init" creates the newest schema; an older database (a
# version-1 schema kept in test/fixtures) is migrated by init or "migrate", keeps its rows, and
# ends up with exactly the tables, columns and indexes of a fresh one. On sqlite3 and on a
# real PostgreSQL.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;

plan tests => 27;
Test::More->builder->failure_output(\*STDERR);

my $dir   = File::Temp->newdir;
my $top   = top_dir();
my $ADMIN = "$top/seances-admin";
my $pg    = "$top/test/pg.sh";
delete $ENV{SEANCES_DB};

sub cli { my ($dbd, $db, @args) = @_; return SeancesTest::_run({ as_root => 1 }, $ADMIN, '--dbd', $dbd, '--db', $db, @args) }

sub slurp { open my $fh, '<', shift or die $!; local $/; return <$fh> }

# The shape of a sqlite schema: every table's columns (name, type, not null, default, key)
# and every index (name, table, columns), sorted.
sub sqlite_shape {
    my $db = shift;
    my @shape;
    for my $t (@{ sql({ as_root => 1 }, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", $db) }) {
        push @shape, map { "col $t $_" } @{ sql({ as_root => 1 }, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('$t')", $db) };
        for my $i (@{ sql({ as_root => 1 }, "SELECT name FROM pragma_index_list('$t') WHERE origin = 'c'", $db) }) {
            my $cols = join ',', @{ sql({ as_root => 1 }, "SELECT name FROM pragma_index_info('$i')", $db) };
            push @shape, "index $t $i $cols";
        }
    }
    return join "\n", sort @shape;
}

my ($rc, $out, $err);

# ---- sqlite3 (its half of the matrix: sql() speaks sqlite3 there) ----
SKIP: {
skip 'the sqlite3 schema: runs in the sqlite3 half of the matrix', 18 if driver() ne 'sqlite3';
my $fresh = "$dir/fresh.db";
($rc, $out, $err) = cli('sqlite3', $fresh, 'init');
is($rc, 0, 'init creates a fresh sqlite database') or diag $err;
like($out, qr/schema version 6\b/, 'at version 6');
is(sql({ as_root => 1 }, 'SELECT version FROM schema_version', $fresh)->[0], 6, 'and records it');

my $old = "$dir/old.db";
sql({ as_root => 1 }, "\n" . slurp("$top/test/fixtures/schema-v1-sqlite3.sql")
    . "INSERT INTO schema_version VALUES (1);"
    . "INSERT INTO users (name, name_key, email, created) VALUES ('Zoë', 'zoë', 'z\@example.ch', 1700000000);", $old);
($rc, $out) = cli('sqlite3', $old, 'migrate', '--dry-run');
is($rc, 0, 'migrate --dry-run on a version-1 database');
like($out, qr/schema version 1; this build has 6\nversion 2: indexes for retention.*\nversion 3: two-factor.*\nversion 4: user name keys.*\nversion 5: password reset.*\nversion 6: security notices/, 'lists the pending migrations');
is(sql({ as_root => 1 }, 'SELECT version FROM schema_version', $old)->[0], 1, 'and changes nothing');
isnt(sqlite_shape($old), sqlite_shape($fresh), 'a version-1 database differs from a fresh one');

($rc, $out, $err) = cli('sqlite3', $old, 'migrate');
is($rc, 0, 'migrate runs') or diag $err;
like($out, qr/migrated from schema version 1 to 6/, 'and says what it did');
is(sqlite_shape($old), sqlite_shape($fresh), 'the migrated database has the shape of a fresh one');
is(sql({ as_root => 1 }, "SELECT name || '|' || email FROM users", $old)->[0], 'Zoë|z@example.ch', 'rows survive');
($rc, $out) = cli('sqlite3', $old, 'init');
like($out, qr/nothing to do/, 'init on an up-to-date database does nothing');
($rc, $out) = cli('sqlite3', $old, 'migrate', '--dry-run');
like($out, qr/nothing to do/, 'and --dry-run says so');
($rc, $out, $err) = cli('sqlite3', $old, 'user', 'list');
is($rc, 0, 'the CLI works on the migrated database') or diag $err;

sql({ as_root => 1 }, 'UPDATE schema_version SET version = 99', $old);
($rc, $out, $err) = cli('sqlite3', $old, 'migrate');
is($rc, 1, 'a database newer than the build is refused');
like($err, qr/version 99 is newer than this tool knows \(6\)/, 'with a clear message');
($rc, $out, $err) = cli('sqlite3', "$dir/none.db", 'migrate');
is($rc, 1, 'migrate does not create a database');
ok(!-e "$dir/none.db", 'no file is left behind');
}

# ---- PostgreSQL (its half of the matrix, where test/pg.sh runs a server) ----
SKIP: {
skip 'the PostgreSQL schema: runs in the pgsql half of the matrix', 9 if driver() ne 'pgsql';
my $params = `sh $pg params seances_schema_old`;
chomp $params;
my $fparams = `sh $pg params seances_schema_new`;
chomp $fparams;
is(system('sh', $pg, 'createdb', $_), 0, "PostgreSQL database $_") for qw(seances_schema_old seances_schema_new);
($rc, $out, $err) = cli('pgsql', $fparams, 'init');
is($rc, 0, 'init creates a fresh PostgreSQL schema') or diag $err;

my ($port) = $params =~ /port=(\d+)/;
# as the role that owns the databases, like the version-1 schema an admin made with init
my @psql = ('psql', '-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', $port, '-U', 'seances', '-v', 'ON_ERROR_STOP=1');
sub pg_shape {
    my $dbname = shift;
    my $q = "SELECT 'col ' || table_name || ' ' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' UNION ALL SELECT 'index ' || tablename || ' ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1";
    my ($rc, $out) = SeancesTest::_run({ as_root => 1 }, @psql, '-d', $dbname, '-c', $q);
    return $rc == 0 ? $out : "psql failed: $rc";
}
my ($prc, undef, $perr) = SeancesTest::_run({ as_root => 1 }, @psql, '-d', 'seances_schema_old', '-c',
    slurp("$top/test/fixtures/schema-v1-pgsql.sql") . "INSERT INTO schema_version VALUES (1);");
is($prc, 0, 'a version-1 PostgreSQL schema') or diag $perr;
($rc, $out, $err) = cli('pgsql', $params, 'migrate');
is($rc, 0, 'is migrated') or diag $err;
like($out, qr/migrated from schema version 1 to 6/, 'from 1 to 6');
my $fresh_pg = pg_shape('seances_schema_new');
like($fresh_pg, qr/index throttle throttle_window/, 'the fresh PostgreSQL schema has the new index');
like($fresh_pg, qr/col login_pending tries bigint NO 0/, 'and the pending logins of two-factor authentication');
is(pg_shape('seances_schema_old'), $fresh_pg, 'the migrated one has the shape of the fresh one');
}
