# Checklist items that are properties of the tree rather than of one request (test/SECURITY.md):
# SEC-10 no hints or security questions, SEC-11 forms that password managers can fill,
# SEC-05 no password expiry, SEC-12 no default account, SEC-32 server time only,
# SEC-79 every secret from the CSPRNG, SEC-80 constant-time comparison of secrets.
# Nothing here needs the server; it runs in both halves of the matrix all the same.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;

plan tests => 27;
Test::More->builder->failure_output(\*STDERR);

my $top = top_dir();
sub slurp { my $f = shift; open my $fh, '<', $f or die "$f: $!"; local $/; return <$fh> }
my @sources = (glob("$top/src/*/*.c"), "$top/mod_seances_auth.c");
my %src = map { $_ => slurp($_) } @sources;
my @templates = glob("$top/htdocs/seances/*.html");
my $schema = join '', map { slurp($_) } glob("$top/conf/schema-*.sql");

# --- SEC-10: no hints, no security questions ------------------------------------------------
unlike($schema, qr/\b\w*(hint|question|answer)\w*\s+(TEXT|INTEGER|VARCHAR|BYTEA)/i,
       'SEC-10: no hint, question or answer column in either schema');
my @asking = grep { slurp($_) =~ /<input[^>]+name="[^"]*(hint|question|answer)[^"]*"/i } @templates;
is("@asking", '', 'SEC-10: no page asks for a hint or a security question');

# --- SEC-11: password managers and paste -----------------------------------------------------
my $login = slurp("$top/htdocs/seances/login.html");
like($login, qr/<input[^>]+name="username"[^>]+autocomplete="username"/, 'SEC-11: login: autocomplete="username"');
like($login, qr/<input[^>]+name="password"[^>]+type="password"[^>]+autocomplete="current-password"/,
     'SEC-11: login: a masked password field marked current-password');
my $portal = slurp("$top/htdocs/seances/portal.html");
like($portal, qr/<input[^>]+name="current"[^>]+type="password"[^>]+autocomplete="current-password"/,
     'SEC-11: portal: the current password is current-password');
is(scalar(() = $portal =~ /<input[^>]+type="password"[^>]+autocomplete="new-password"/g), 2,
   'SEC-11: portal: new and confirm are new-password');
my @blocking = grep { slurp($_) =~ /onpaste|oncopy|ondrop|autocomplete="off"[^>]*type="password"|type="password"[^>]*autocomplete="off"/i } @templates;
is("@blocking", '', 'SEC-11: no page blocks paste or turns autocomplete off on a password');
# one script (show-password box and Caps Lock hint, issue 10), under the CSP nonce, and it
# never touches paste, copy or autocomplete
my @scripts = grep { slurp($_) =~ /<script(?![^>]*\bnonce="\{\{nonce\}\}")/i } @templates;
is("@scripts", '', 'SEC-11: every script of the pages runs under the CSP nonce');
my @js = glob("$top/htdocs/seances/*.js");
ok(@js, 'SEC-11: the pages\' script is found');
my @meddling = grep { slurp($_) =~ /paste|copy|autocomplete|preventDefault/i } @js;
is("@meddling", '', 'SEC-11: the script blocks no paste or copy and leaves autocomplete alone');

# --- SEC-05: no periodic expiry ------------------------------------------------------------------
my $names = join ' ', map { slurp($_) =~ /"(Seances\w+)"/g } glob("$top/src/cfg/*.h"), glob("$top/src/cfg/*.c");
ok(length $names > 200, 'SEC-05: the directive names were found');
# SeancesResetExpiry is the life of a reset link, not of a password
unlike($names, qr/Seances(?!ResetExpiry)\w*(MaxAge|Expir|Rotation|History)\w*/i, 'SEC-05: no directive makes passwords expire');
unlike(slurp("$top/src/core/i18n.c"), qr/"pw_expired|password expired|mot de passe (a )?expiré/i,
       'SEC-05: no "password expired" message exists');

# --- SEC-12: no default accounts -----------------------------------------------------------------
my $dir = File::Temp->newdir;
my $db = "$dir/fresh.db";
is(system("$top/seances-admin", '--dbd', 'sqlite3', '--db', $db, 'init') >> 8, 0, 'SEC-12: a fresh database');
my $list = `$top/seances-admin --dbd sqlite3 --db $db user list 2>&1`;
is($? >> 8, 0, 'SEC-12: user list on it');
is($list, '', 'SEC-12: a fresh installation has no account at all');
unlike(slurp("$top/conf/schema-sqlite3.sql") . $schema, qr/INSERT\s+INTO\s+users/i, 'SEC-12: the schemas insert no user');

# --- SEC-32: server time only -------------------------------------------------------------------
my @time_input = grep { $src{$_} =~ /headers_in,\s*"Date"|apr_date_parse|"(time|now|ts|timestamp)"\s*\)/ } @sources;
is("@time_input", '', 'SEC-32: no source reads a time from the request (Date header or a time field)');
like($src{"$top/src/handle/login.c"}, qr/r->request_time|apr_time_now\(\)/, 'SEC-32: the login takes the server clock');

# --- SEC-79: every secret from the CSPRNG --------------------------------------------------------
my @weak = grep { $src{$_} =~ /\b(s?rand|random|drand48|lrand48)\s*\(|UNIQUE_ID|apr_uuid_get|apr_generate_random_bytes/ } @sources;
is("@weak", '', 'SEC-79: no rand(), random(), UNIQUE_ID or UUID anywhere in the sources');
like($src{"$top/src/core/token.c"}, qr/RAND_bytes/, 'SEC-79: tokens come from RAND_bytes');
my @ivs = $src{"$top/src/core/crypto.c"} =~ /RAND_bytes\(iv/g;
is(scalar @ivs, 1, 'SEC-79: the cookie IV comes from RAND_bytes');
my @callers = grep { $src{$_} =~ /sa_token_new|sa_random_bytes|sa_token_random/ } @sources;
ok(@callers >= 3, 'SEC-79: sessions, CSRF and secrets go through the token module (' . scalar(@callers) . ' files)');

# --- SEC-80: constant-time comparison ------------------------------------------------------------
like($src{"$top/src/core/crypto.c"}, qr/CRYPTO_memcmp\(mac,/, 'SEC-80: the cookie MAC is compared with CRYPTO_memcmp');
like($src{"$top/src/web/crypto.c"}, qr/return sa_ct_streq\(web_csrf_token/, 'SEC-80: the CSRF token with sa_ct_streq');
like($src{"$top/src/core/totp.c"}, qr/sa_ct_streq\(expected, code\)/, 'SEC-80: the TOTP code with sa_ct_streq');
my $secret = qr/[\w>.-]*(mac|tag|token|csrf|secret|digest|otp)\w*/i;
my @plain = grep { $src{$_} =~ /\b(memcmp|strn?cmp|strn?casecmp)\s*\(\s*($secret\s*,|[^,;()]+,\s*$secret\s*[,)])/ } @sources;
is("@plain", '', 'SEC-80: no memcmp/strcmp with a MAC, tag, token, secret or digest as an argument');
