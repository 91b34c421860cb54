# seances-admin against a fresh database (a sqlite3 file in a temporary directory, or the
# PostgreSQL database seances_cli): every command, its effect checked in the database with
# sql(), and bad input refused with exit 1, a one-line message on stderr and no change at all
# (a full dump before and after).
# Checklist (test/SECURITY.md): SEC-49 password change/reset ends other sessions, SEC-50 disabled
# or deleted account ends all sessions.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;

plan tests => 265 + (driver() eq 'pgsql' ? 1 : 0);
Test::More->builder->failure_output(\*STDERR);

my $dir   = File::Temp->newdir;
my $PG    = driver() eq 'pgsql';
my $db    = $PG ? pg_params('seances_cli') : "$dir/cli.db";
!$PG or pg('createdb', 'seances_cli') == 0 or die "cannot create the database seances_cli\n";
my $ADMIN = top_dir() . '/seances-admin';
delete $ENV{SEANCES_DB};

# seances-admin --dbd <driver> --db $db @args, as root (the directory is root's).
sub cli {
    my $opt = ref $_[0] eq 'HASH' ? shift : {};
    return admin({ db => $db, as_root => 1, %$opt }, @_);
}

# seances-admin with exactly these arguments (no --db added).
sub raw_cli { return SeancesTest::_run({ as_root => 1 }, $ADMIN, @_) }

sub q1   { return sql({ as_root => 1 }, shift, $db) }
sub one  { my $rows = q1(shift); return $rows->[0] }
sub dump_db { return db_dump($db) }
sub tables {
    return q1($PG ? q{SELECT table_name FROM information_schema.tables
                      WHERE table_schema = 'public' ORDER BY table_name}
                  : q{SELECT name FROM sqlite_master WHERE type = 'table'
                      AND name NOT LIKE 'sqlite_%' ORDER BY name});
}

sub user_id { my $name = shift; return one("SELECT id FROM users WHERE name = '$name'") }

my $n_session = 0;
sub add_session {
    my ($uid, %f) = @_;
    $n_session++;
    my $hash = sprintf('%04d', $n_session) x 16;    # 64 characters, unique 12-character prefix
    my $now  = time;
    q1(sprintf q{INSERT INTO sessions (id_hash, user_id, created, last_seen, expires, remember,
                 level, ip, user_agent) VALUES ('%s', %d, %d, %d, %d, %d, 1, '%s', '%s')},
       $hash, $uid, $now - 100, $now - 10, $now + 3600, $f{remember} // 0,
       $f{ip} // '192.0.2.1', $f{ua} // 'TestAgent/1.0');
    return $hash;
}
sub sessions_of { my $uid = shift; return one("SELECT count(*) FROM sessions WHERE user_id = $uid") }

my $ONE_LINE = qr/\Aseances-admin: [^\n]+\n\z/;

# ---- --help, init -----------------------------------------------------------

my ($rc, $out, $err) = raw_cli('--help');
is($rc, 0, '--help exits 0');
like($out, qr/^usage: seances-admin .*--db PARAMS COMMAND/m, '--help prints the usage');

($rc, $out, $err) = cli('init');
is($rc, 0, 'init on a new database exits 0') or diag $err;
like($out, qr/database ready \(schema version 6\)/, 'init says the database is ready');
ok($PG || -f $db, 'init created the database file (sqlite3)');
is_deeply(tables(),
          [qw(grants login_events login_pending notice_outbox recovery_codes reset_tokens schema_version
              sessions throttle users)], 'init created every table');
is_deeply(q1('SELECT version FROM schema_version'), ['6'], 'one schema_version row: 6');

my $before = dump_db();
($rc, $out, $err) = cli('init');
is($rc, 0, 'init a second time exits 0') or diag $err;
is(dump_db(), $before, 'init a second time changes nothing');
is_deeply(q1('SELECT count(*) FROM schema_version'), ['1'], 'still one schema_version row');

# ---- user add, list, show ---------------------------------------------------

my $ALICE_PW = 'Velo rouge au bord du lac';
my $t0 = time;
($rc, $out, $err) = cli({ stdin => "$ALICE_PW\n" }, 'user', 'add', 'alice',
                        '--email', 'alice@example.ch', '--password-stdin');
is($rc, 0, 'user add alice --email --password-stdin exits 0') or diag $err;
like($out, qr/^user alice added$/m, 'user add says so');
is($err, '', 'user add writes nothing on stderr');
my ($row) = @{ q1(q{SELECT name, name_key, email, disabled, totp_enabled FROM users}) };
is($row, 'alice|alice|alice@example.ch|0|0', 'alice is in the users table');
my $alice_hash = one(q{SELECT password_hash FROM users WHERE name = 'alice'});
like($alice_hash, qr/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+\/]{22}\$[A-Za-z0-9+\/]{43}$/,
     'the password is stored as an argon2id hash');
unlike($alice_hash, qr/\Q$ALICE_PW\E/, 'the password itself is not stored');
my $created = one(q{SELECT created FROM users WHERE name = 'alice'});
ok($created >= $t0 - 1 && $created <= time + 1, 'created is now');
my $alice = user_id('alice');

($rc, $out, $err) = cli('user', 'add', 'bob');
is($rc, 0, 'user add bob (no e-mail, no password) exits 0') or diag $err;
like($out, qr/no password yet/, 'user add warns that bob has no password');
is_deeply(q1(q{SELECT email, password_hash FROM users WHERE name = 'bob'}), ['|'],
          'bob has no e-mail and no password hash');
my $bob = user_id('bob');

my $name256 = 'n' x 256;
($rc, $out, $err) = cli('user', 'add', $name256);
is($rc, 0, 'a name of 256 bytes is accepted') or diag $err;
is(one(q{SELECT length(name) FROM users WHERE name LIKE 'nnn%'}), 256, 'stored with 256 bytes');
($rc, $out, $err) = cli('user', 'add', 'Zoë Müller');
is($rc, 0, 'a UTF-8 name with a space inside is accepted') or diag $err;

($rc, $out, $err) = cli('user', 'list');
is($rc, 0, 'user list exits 0');
my @lines = split /\n/, $out;
is(scalar @lines, 4, 'user list prints one line per user');
like($lines[0], qr/^alice\talice\@example\.ch\tenabled\t2fa:off\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
     'alice: name, e-mail, status, 2fa, created');
like($lines[1], qr/^bob\t-\tenabled\t2fa:off\t/, 'bob: no e-mail shown as -');

($rc, $out, $err) = cli('user', 'show', 'ALICE');
is($rc, 0, 'user show finds alice under another case') or diag $err;
like($out, qr/^name: alice$/m, 'show: name');
like($out, qr/^email: alice\@example\.ch$/m, 'show: email');
like($out, qr/^status: enabled$/m, 'show: enabled');
like($out, qr/^password: argon2id$/m, 'show: hash scheme');
like($out, qr/^apps:$/m, 'show: no apps');
like($out, qr/^sessions: 0$/m, 'show: no sessions');
like($out, qr/^2fa: off$/m, 'show: 2fa off');

# ---- user passwd --------------------------------------------------------------

my @alice_sessions = (add_session($alice), add_session($alice, remember => 1));
my $bob_session = add_session($bob);
is(sessions_of($alice), 2, 'alice has 2 sessions before passwd');
($rc, $out, $err) = cli('user', 'show', 'alice');
like($out, qr/^sessions: 2$/m, 'user show counts the sessions');
q1("UPDATE users SET password_changed = 1000 WHERE id = $alice");
($rc, $out, $err) = cli({ stdin => "Un autre mot de passe long\n" }, 'user', 'passwd', 'alice',
                        '--password-stdin');
is($rc, 0, 'user passwd exits 0') or diag $err;
like($out, qr/password of alice changed; 2 sessions ended/, 'passwd reports the ended sessions');
my $new_hash = one(q{SELECT password_hash FROM users WHERE name = 'alice'});
like($new_hash, qr/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'the new hash is argon2id');
isnt($new_hash, $alice_hash, 'the hash changed');
is(sessions_of($alice), 0, "alice's sessions are deleted");
is(sessions_of($bob), 1, "bob's session is kept");
cmp_ok(one(q{SELECT password_changed FROM users WHERE name = 'alice'}), '>=', $t0 - 1,
       'password_changed is updated');

# ---- disable / enable ---------------------------------------------------------

add_session($alice);
($rc, $out, $err) = cli('user', 'disable', 'alice');
is($rc, 0, 'user disable exits 0') or diag $err;
like($out, qr/user alice disabled; 1 session ended/, 'disable reports the ended session');
is(one(q{SELECT disabled FROM users WHERE name = 'alice'}), 1, 'disabled = 1 in the database');
is(sessions_of($alice), 0, 'disable ends the sessions');
($rc, $out) = cli('user', 'show', 'alice');
like($out, qr/^status: disabled$/m, 'user show says disabled');
($rc, $out, $err) = cli('user', 'enable', 'alice');
is($rc, 0, 'user enable exits 0') or diag $err;
is(one(q{SELECT disabled FROM users WHERE name = 'alice'}), 0, 'disabled = 0 in the database');

# ---- grant / revoke -----------------------------------------------------------

($rc, $out, $err) = cli('grant', 'alice', 'seances');
is($rc, 0, 'grant alice seances exits 0') or diag $err;
like($out, qr/alice may use seances/, 'grant says so');
($rc, $out, $err) = cli('grant', 'alice', 'seances');
is($rc, 0, 'granting twice is fine');
($rc, $out, $err) = cli('grant', 'Alice', 'wiki.v2');
is($rc, 0, 'grant under another case of the name') or diag $err;
is_deeply(q1("SELECT app FROM grants WHERE user_id = $alice ORDER BY app"), [qw(seances wiki.v2)],
          'grants table: seances and wiki.v2, once each');
($rc, $out) = cli('user', 'show', 'alice');
like($out, qr/^apps: seances wiki\.v2$/m, 'user show lists the apps');
($rc, $out, $err) = cli('revoke', 'alice', 'wiki.v2');
is($rc, 0, 'revoke exits 0') or diag $err;
is_deeply(q1("SELECT app FROM grants WHERE user_id = $alice"), ['seances'], 'the grant is gone');
$before = dump_db();
($rc, $out, $err) = cli('revoke', 'alice', 'wiki.v2');
is($rc, 1, 'revoking a grant that does not exist exits 1');
like($err, $ONE_LINE, '... with a one-line message');
is(dump_db(), $before, '... and changes nothing');

# ---- 2fa reset ----------------------------------------------------------------

q1("UPDATE users SET totp_pending = 'pending-secret', totp_pending_created = 1700000000
    WHERE id = $bob");
($rc, $out) = cli('user', 'show', 'bob');
like($out, qr/^2fa: off \(enrolment started \d{4}-\d\d-\d\d [\d:]+, not confirmed\)$/m,
     'user show tells an enrolment that was not confirmed');
q1("UPDATE users SET totp_secret = 'encrypted-secret', totp_enabled = 1, totp_last_step = 42,
    totp_pending = 'new-secret', totp_pending_created = 1700000000 WHERE id = $alice");
q1("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($alice, 'h1'), ($alice, 'h2'),
    ($bob, 'h3')");
q1("INSERT INTO recovery_codes (user_id, code_hash, used) VALUES ($alice, 'h4', 1700000000)");
q1("INSERT INTO login_pending (id_hash, user_id, step, created, expires) VALUES
    ('p1', $alice, 'code', 1, 9999999999)");
add_session($alice);
($rc, $out) = cli('user', 'list');
like($out, qr/^alice\t.*\t2fa:on\t/m, 'user list shows 2fa:on');
($rc, $out) = cli('user', 'show', 'alice');
like($out, qr/^2fa: on \(2 recovery codes left\)$/m, 'user show: 2fa on, with the unused codes');
($rc, $out, $err) = cli('2fa', 'reset', 'alice');
is($rc, 0, '2fa reset exits 0') or diag $err;
like($out, qr/2FA of alice turned off; 1 session ended/, '2fa reset says so');
is(one("SELECT totp_enabled || '|' || totp_secret || '|' || totp_last_step || '|' ||
        totp_pending || '|' || totp_pending_created FROM users WHERE id = $alice"), '0||0||0',
   'TOTP secret, flag, last step and a pending enrolment are cleared');
is(one("SELECT count(*) FROM login_pending WHERE user_id = $alice"), 0,
   'a login waiting for her code is gone');
is(one("SELECT result || ' ' || factor FROM login_events WHERE user_id = $alice ORDER BY id DESC
        LIMIT 1"), 'totp_reset admin', 'the reset is in her history');
($rc, $out) = cli('user', 'show', 'alice');
like($out, qr/^2fa: off$/m, 'user show: 2fa off after the reset');
q1("DELETE FROM login_events");    # the history tests below count their own rows
is(one("SELECT count(*) FROM recovery_codes WHERE user_id = $alice"), 0,
   "alice's recovery codes are deleted");
is(one("SELECT count(*) FROM recovery_codes WHERE user_id = $bob"), 1, "bob's code is kept");
is(sessions_of($alice), 0, '2fa reset ends the sessions');

# ---- unlock -------------------------------------------------------------------

q1("INSERT INTO throttle (key, failures, window_start, banned_until) VALUES
    ('user:alice', 0, 1, 9999999999), ('user:bob', 3, 1, 0), ('ip:192.0.2.1', 7, 1, 0)");
($rc, $out, $err) = cli('unlock', 'Alice');
is($rc, 0, 'unlock exits 0') or diag $err;
like($out, qr/login ban on Alice lifted/, 'unlock says so');
is_deeply(q1('SELECT key FROM throttle ORDER BY key'), ['ip:192.0.2.1', 'user:bob'],
          "only alice's throttle row is deleted (name matched without case)");

# ---- sessions -----------------------------------------------------------------

my $s1 = add_session($alice, ip => '198.51.100.7', ua => 'Firefox/140');
my $s2 = add_session($alice, ip => '', ua => '', remember => 1);
($rc, $out, $err) = cli('sessions', 'alice');
is($rc, 0, 'sessions NAME exits 0') or diag $err;
@lines = split /\n/, $out;
is(scalar @lines, 2, 'two sessions listed');
my ($l1) = grep { /^\Q${\ substr($s1, 0, 12)}\E\t/ } @lines;
my ($l2) = grep { /^\Q${\ substr($s2, 0, 12)}\E\t/ } @lines;
like($l1 // '', qr/\tbrowser\t198\.51\.100\.7\tFirefox\/140$/, 'first session: ip and agent');
like($l2 // '', qr/\tremembered\t-\t-$/, 'second session: remembered, no ip or agent');
unlike($out, qr/\Q$s1\E/, 'only a prefix of the id hash is shown');
($rc, $out, $err) = cli('sessions', 'alice', '--revoke-all');
is($rc, 0, 'sessions --revoke-all exits 0') or diag $err;
like($out, qr/2 sessions of alice ended/, '--revoke-all counts');
is(sessions_of($alice), 0, "alice's sessions are gone");
is(sessions_of($bob), 1, "bob's session is kept");
($rc, $out) = cli('sessions', 'alice');
is($out, '', 'sessions lists nothing now');

# ---- history ------------------------------------------------------------------

q1("INSERT INTO login_events (time, user_id, username, ip, user_agent, result, factor) VALUES
    (1700000000, $alice, 'alice', '192.0.2.10', 'Agent-A', 'bad_password', 'password'),
    (1700000100, $alice, 'alice', '192.0.2.11', 'Agent-B', 'ok', 'password'),
    (1700000200, $alice, 'Alice', '', '', 'bad_code', 'totp'),
    (1700000300, $bob, 'bob', '192.0.2.12', 'Agent-C', 'ok', 'password'),
    (1700000400, NULL, 'alice2', '192.0.2.13', 'Agent-D', 'unknown_user', 'password')");
($rc, $out, $err) = cli('history', 'alice');
is($rc, 0, 'history exits 0') or diag $err;
@lines = split /\n/, $out;
is(scalar @lines, 3, "history shows alice's 3 events only");
like($lines[0], qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\tbad_code\ttotp\t-\t-$/, 'newest first');
like($lines[1], qr/\tok\tpassword\t192\.0\.2\.11\tAgent-B$/, 'second: ok');
like($lines[2], qr/\tbad_password\tpassword\t192\.0\.2\.10\tAgent-A$/, 'oldest last');
($rc, $out, $err) = cli('history', 'alice', '--limit', '2');
is($rc, 0, 'history --limit 2 exits 0') or diag $err;
@lines = split /\n/, $out;
is(scalar @lines, 2, '--limit 2 shows two events');
like($lines[1], qr/\tok\t/, '... the two newest');

# ---- import-htpasswd ----------------------------------------------------------

sub htpasswd_line {
    my ($name, $pw) = @_;
    my $line = `htpasswd -nbB '$name' '$pw'`;
    $line =~ s/\s+\z//;
    return $line;
}
my $carol_line = htpasswd_line('carol', 'Carol secret pass 1');
like($carol_line, qr/^carol:\$2y\$/, 'htpasswd -nbB makes a bcrypt line');
my $file = "$dir/users.htpasswd";
open my $fh, '>', $file or die "$file: $!";
print $fh "# exported from the old server\n", "$carol_line\n", "this line has no colon\n",
          "\n", "dave:plaintext-password\n", "eve:{SHA}L55TUjtiq8FBorTWAZ0jy6g129A=\n";
close $fh;
($rc, $out, $err) = cli('import-htpasswd', $file);
is($rc, 0, 'import-htpasswd exits 0') or diag $err;
like($out, qr/^2 users added, 0 updated/, 'two users added');
like($err, qr/^seances-admin: line 3 skipped: no ':'/m, 'the line without colon is reported as line 3');
like($err, qr/^seances-admin: line 5 skipped: unsupported hash/m,
     'the unsupported hash is reported as line 5');
my $carol_hash = (split /:/, $carol_line, 2)[1];
is(one(q{SELECT password_hash FROM users WHERE name = 'carol'}), $carol_hash,
   'carol is stored with her $2y$ hash');
like(one(q{SELECT password_hash FROM users WHERE name = 'eve'}), qr/^\{SHA\}/, 'eve with {SHA}');
is(one(q{SELECT count(*) FROM users WHERE name = 'dave'}), 0, 'dave is not imported');
($rc, $out) = cli('user', 'show', 'carol');
like($out, qr/^password: bcrypt$/m, 'user show: bcrypt');

my $carol_line2 = htpasswd_line('Carol', 'Carol second pass 2');
open $fh, '>', $file or die "$file: $!";
print $fh "$carol_line2\n";
close $fh;
$before = dump_db();
($rc, $out, $err) = cli('import-htpasswd', $file);
is($rc, 0, 'a second import without --update exits 0') or diag $err;
like($err, qr/line 1 skipped: user Carol exists \(use --update\)/, '... and skips the user');
like($out, qr/^0 users added, 0 updated/, '... nothing added or updated');
is(dump_db(), $before, '... and changes nothing');
($rc, $out, $err) = cli('import-htpasswd', $file, '--update');
is($rc, 0, 'import with --update exits 0') or diag $err;
like($out, qr/^0 users added, 1 updated/, '... one updated');
is(one(q{SELECT password_hash FROM users WHERE name = 'carol'}), (split /:/, $carol_line2, 2)[1],
   '... the hash is replaced');
is(one(q{SELECT count(*) FROM users WHERE name_key = 'carol'}), 1, '... no second carol');

# ---- delete -------------------------------------------------------------------

cli('grant', 'bob', 'seances');
cli('grant', 'bob', 'wiki');
q1("INSERT INTO reset_tokens (token_hash, user_id, created, expires) VALUES ('t1', $bob, 1, 2)");
is(one("SELECT count(*) FROM grants WHERE user_id = $bob"), 2, 'bob has two grants');
($rc, $out, $err) = cli('user', 'delete', 'bob');
is($rc, 0, 'user delete exits 0') or diag $err;
like($out, qr/user bob deleted/, 'delete says so');
is(one("SELECT count(*) FROM users WHERE id = $bob"), 0, 'the users row is gone');
is(one("SELECT count(*) FROM grants WHERE user_id = $bob"), 0, 'the grants are gone');
is(sessions_of($bob), 0, 'the sessions are gone');
is(one("SELECT count(*) FROM recovery_codes WHERE user_id = $bob"), 0, 'the recovery codes are gone');
is(one("SELECT count(*) FROM reset_tokens WHERE user_id = $bob"), 0, 'the reset tokens are gone');
is(one("SELECT count(*) FROM grants WHERE user_id = $alice"), 1, "alice's grant is kept");

# ---- bad input: exit 1, one line on stderr, nothing changed ---------------------

my @bad = (
    ['empty name',                 {}, 'user', 'add', ''],
    ['name of 257 bytes',          {}, 'user', 'add', 'n' x 257],
    ['name with a tab',            {}, 'user', 'add', "a\tb"],
    ['name with a newline',        {}, 'user', 'add', "a\nb"],
    ['name with \x01',             {}, 'user', 'add', "a\x01b"],
    ['name with DEL',              {}, 'user', 'add', "a\x7fb"],
    ['name not UTF-8',             {}, 'user', 'add', "caf\xe9"],
    ['name with a leading space',  {}, 'user', 'add', ' frank'],
    ['bad e-mail',                 {}, 'user', 'add', 'frank', '--email', 'not an address'],
    ['e-mail without domain',      {}, 'user', 'add', 'frank', '--email', 'frank@'],
    ['--email without value',      {}, 'user', 'add', 'frank', '--email'],
    ['too-short password',         { stdin => "short pw\n" },
     'user', 'add', 'frank', '--password-stdin'],
    ['password with the user name', { stdin => "frank-is-the-best-2024\n" },
     'user', 'add', 'frank', '--password-stdin'],
    ['password with the e-mail local part', { stdin => "my frank.m address 99\n" },
     'user', 'add', 'frank', '--email', 'frank.m@example.ch', '--password-stdin'],
    ['no password on stdin',       { stdin => '' }, 'user', 'add', 'frank', '--password-stdin'],
    ['passwd: too-short password', { stdin => "short\n" },
     'user', 'passwd', 'alice', '--password-stdin'],
    ['passwd: password with the name', { stdin => "xxALICExx-long-enough\n" },
     'user', 'passwd', 'alice', '--password-stdin'],
    ['passwd without --password-stdin', { stdin => "Un mot de passe assez long\n" },
     'user', 'passwd', 'alice'],
    ['duplicate user',             {}, 'user', 'add', 'alice'],
    ['duplicate user, other case', {}, 'user', 'add', 'Alice'],
    ['duplicate user, upper case', {}, 'user', 'add', 'ALICE', '--email', 'a@example.ch'],
    ['grant: bad app name',        {}, 'grant', 'alice', 'a b'],
    ['grant: app name with /',     {}, 'grant', 'alice', 'a/b'],
    ['grant: empty app name',      {}, 'grant', 'alice', ''],
    ['history --limit 0',          {}, 'history', 'alice', '--limit', '0'],
    ['history --limit -1',         {}, 'history', 'alice', '--limit', '-1'],
    ['history --limit abc',        {}, 'history', 'alice', '--limit', 'abc'],
    ['history --limit without value', {}, 'history', 'alice', '--limit'],
    ['unknown command',            {}, 'frobnicate'],
    ['unknown user subcommand',    {}, 'user', 'frobnicate', 'alice'],
    ['no command',                 {}],
    ['too many arguments',         {}, 'user', 'show', 'alice', 'bob'],
    ['too few arguments',          {}, 'grant', 'alice'],
    ['unknown option',             {}, 'user', 'list', '--frobnicate'],
    (map { ["unknown user: @$_", {}, @$_] }
        ['user', 'show', 'ghost'], ['user', 'disable', 'ghost'], ['user', 'enable', 'ghost'],
        ['user', 'delete', 'ghost'], ['grant', 'ghost', 'seances'], ['revoke', 'ghost', 'seances'],
        ['2fa', 'reset', 'ghost'], ['sessions', 'ghost'], ['sessions', 'ghost', '--revoke-all'],
        ['history', 'ghost']),
    ['unknown user: user passwd ghost', { stdin => "Un mot de passe assez long\n" },
     'user', 'passwd', 'ghost', '--password-stdin'],
    ['import of a missing file',   {}, 'import-htpasswd', "$dir/no-such-file"],
);

$before = dump_db();
for my $case (@bad) {
    my ($what, $opt, @args) = @$case;
    ($rc, $out, $err) = cli($opt, @args);
    is($rc, 1, "$what: exit 1") or diag "stdout: $out\nstderr: $err";
    ok($err =~ $ONE_LINE && $out eq '', "$what: one line on stderr, nothing on stdout")
        or diag "stdout: $out\nstderr: $err";
    # each case's state after is the next one's before (one dump per case)
    my $after = dump_db();
    is($after, $before, "$what: the database is unchanged");
    $before = $after;
}

# no --db, no SEANCES_DB
$before = dump_db();
($rc, $out, $err) = raw_cli('--dbd', driver(), 'user', 'list');
is($rc, 1, 'missing --db: exit 1');
like($err, qr/\Aseances-admin: no database given[^\n]*\n\z/, 'missing --db: one-line message');

if ($PG) {
    # a database that does not exist, and a server that does not answer
    my $nope = pg_params('never_created') . ' password=not-for-the-logs';
    ($rc, $out, $err) = raw_cli('--dbd', 'pgsql', '--db', $nope, 'user', 'list');
    is($rc, 1, 'missing database: exit 1');
    like($err, qr/\Aseances-admin: cannot open the pgsql database: [^\n]*never_created[^\n]*\n\z/,
         'missing database: one line that names it') or diag $err;
    unlike($err, qr/not-for-the-logs/, 'and the password in the conninfo is not repeated');
    (my $closed = $db) =~ s/\bport=\d+/port=1/;
    ($rc, $out, $err) = raw_cli('--dbd', 'pgsql', '--db', $closed, 'user', 'list');
    ok($rc == 1 && $err =~ /\Aseances-admin: cannot open the pgsql database: [^\n]*\n\z/,
       'no server on that port: exit 1 and one line') or diag $err;
}
else {
    # a database file that was never created: refused, and not created either
    my $nope = "$dir/never-created.db";
    ($rc, $out, $err) = raw_cli('--db', $nope, 'user', 'list');
    is($rc, 1, 'missing database file: exit 1');
    like($err, qr/\Aseances-admin: database '\Q$nope\E' not found[^\n]*init[^\n]*\n\z/,
         'missing database file: one line that suggests init');
    ok(!-e $nope, 'the missing database file is not created');
}
is(dump_db(), $before, 'the real database is unchanged by these runs');
