# Issue 13, finding 7: every output of seances-admin escapes control characters. A User-Agent
# with tabs, C0 and C1 controls, DEL, bidi overrides (and invalid UTF-8 on sqlite, which
# stores any bytes) makes no fake column and reaches no terminal, in history, sessions,
# user list and user show. Checklist: SEC-77 (no log injection), SEC-62 (history safe to render).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use SeancesTest;

plan tests => 14;
Test::More->builder->failure_output(\*STDERR);

my $pg = driver() eq 'pgsql';
my $chr = $pg ? 'chr' : 'char';
# Firefox<TAB>fake<ESC>[31m<DEL><NEL><CSI><RLO>txt.exe<LF>ok<CR> (+ a stray 0xFF byte on sqlite)
my $nasty = join ' || ', "'Firefox'", "$chr(9)", "'fake'", "$chr(27)", "'[31m'", "$chr(127)",
    "$chr(133)", "$chr(155)", "$chr(8238)", "'txt.exe'", "$chr(10)", "'ok'", "$chr(13)",
    ($pg ? () : ("CAST(X'FF' AS TEXT)"));
my $uid = sql(q{SELECT id FROM users WHERE name = 'alice'})->[0];
my $now = time;
sql("INSERT INTO login_events (time, user_id, username, ip, user_agent, result, factor) "
    . "VALUES ($now, $uid, 'alice', '192.0.2.7', $nasty, 'bad_password', 'password')");
sql("INSERT INTO sessions (id_hash, user_id, created, last_seen, expires, remember, level, ip, "
    . "user_agent) VALUES ('feedc0de72' || '0123456789abcdef', $uid, $now, $now, "
    . ($now + 3600) . ", 0, 1, '192.0.2.7', $nasty)");
sql("INSERT INTO users (name, name_key, email, created) VALUES ('escape72', 'escape72', "
    . "'e72' || $chr(9) || 'x' || $chr(27) || '\@example.ch', $now)");
sql("INSERT INTO grants (user_id, app) SELECT id, 'app' || $chr(10) || 'forged' FROM users "
    . "WHERE name = 'escape72'");

my $raw = qr/[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xff/;

my ($rc, $out) = admin('history', 'alice', '--limit', '1');
is($rc, 0, 'history exits 0');
unlike($out, $raw, 'history: no raw control byte');
is(scalar(() = $out =~ /\t/g), 4, 'history: one line of five columns, no fake column');
like($out, qr/Firefox\\tfake\\x1B\[31m\\x7F\\u\{0085\}\\u\{009B\}\\u\{202E\}txt\.exe\\nok\\r/,
     'history: each control written as an escape');
SKIP: {
    skip 'PostgreSQL stores only valid UTF-8', 1 if $pg;
    like($out, qr/\\r\\xFF\t?$/m, 'history: the invalid byte as \xFF');
}

($rc, $out) = admin('sessions', 'alice');
is($rc, 0, 'sessions exits 0');
my ($line) = grep { /^feedc0de72/ } split /\n/, $out;
ok(defined $line && $line !~ $raw, 'sessions: no raw control byte');
is(scalar(() = ($line // '') =~ /\t/g), 5, 'sessions: six columns, no fake column');

($rc, $out) = admin('user', 'list');
($line) = grep { /^escape72\t/ } split /\n/, $out;
ok(defined $line && $line !~ $raw, 'user list: no raw control byte');
like($line // '', qr/^escape72\te72\\tx\\x1B\@example\.ch\t/, 'user list: the e-mail escaped');

($rc, $out) = admin('user', 'show', 'escape72');
is($rc, 0, 'user show exits 0');
unlike($out, $raw, 'user show: no raw control byte');
like($out, qr/^apps: app\\nforged$/m, 'user show: the app name escaped, no forged line');
like($out, qr/^email: e72\\tx\\x1B\@example\.ch$/m, 'user show: the e-mail escaped');

admin('user', 'delete', 'escape72');
sql(q{DELETE FROM sessions WHERE id_hash LIKE 'feedc0de72%'});
