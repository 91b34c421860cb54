# Every directive of mod_seances_auth through "apache2 -t": good values give "Syntax OK",
# bad ones fail the check with a message that names the directive.  Also the cross-directive
# rule (AuthType Seances needs a passphrase in scope) and the context restrictions.
# Checklist (test/SECURITY.md): SEC-42 keys and ciphers.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use File::Temp ();
use SeancesTest;

only_on('sqlite3', 'configuration checks with apache2 -t, which open no database');

Test::More->builder->failure_output(\*STDERR);

# ---- fixtures -------------------------------------------------------------

my $tmp = File::Temp->newdir;
sub write_file {
    my ($name, $text) = @_;
    my $path = "$tmp/$name";
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh;
    return $path;
}

my $pass_two   = write_file('pass-two.txt', "# secrets for the session cookie\n"
                            . "first-passphrase-0123456789 second-passphrase-0123456789\n");
my $pass_lines = write_file('pass-lines.txt', "  first-passphrase-0123456789\n\n"
                            . "second-passphrase-0123456789  # the old one\n");
my $pass_none  = write_file('pass-none.txt', "# nothing but a comment\n\n   \n");
my $pass_short = write_file('pass-short.txt', "long-enough-passphrase-0123 short\n");
my $pass_dir   = "$tmp/a-directory";
mkdir $pass_dir or die "$pass_dir: $!";
my $missing    = "$tmp/does-not-exist";
my $templates  = "$tmp/templates";
mkdir $templates or die "$templates: $!";
my $blocklist  = write_file('blocklist.txt', "# refused\npassword123456\nmotdepasse1234\n");
my $smtp_pass  = write_file('smtp-pass', "smtp-secret\n");
my $ca_pem     = "$tmp/ca.pem";
system("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
       . "-subj /CN=check -keyout $tmp/ca.key -out $ca_pem >/dev/null 2>&1") == 0
    or die "openssl could not make a certificate\n";

my $PASS = 'SeancesCryptoPassphrase "test-passphrase-0123456789abcdef"';

sub loc { my $body = shift; return "<Location /x>\n$body\n</Location>\n" }

# ---- the table --------------------------------------------------------------
# [ what, config text, undef for "must pass" or the directive the error must name,
#   optional regex the output must also match ]

my @cases = (
    # the module alone
    ['module loads', '', undef],

    # SeancesCryptoPassphrase
    ['passphrase of 16 characters', 'SeancesCryptoPassphrase 0123456789abcdef', undef],
    ['two passphrases', 'SeancesCryptoPassphrase 0123456789abcdef fedcba9876543210', undef],
    ['passphrase in <Location>', loc('SeancesCryptoPassphrase 0123456789abcdef'), undef],
    ['passphrase of 15 characters', 'SeancesCryptoPassphrase 0123456789abcde',
     'SeancesCryptoPassphrase', qr/at least 16 characters/],
    ['short second passphrase', 'SeancesCryptoPassphrase 0123456789abcdef short',
     'SeancesCryptoPassphrase', qr/at least 16 characters/],
    ['passphrase without value', 'SeancesCryptoPassphrase', 'SeancesCryptoPassphrase'],

    # SeancesCryptoPassphraseFile
    ['passphrase file: two passphrases and a comment',
     qq{SeancesCryptoPassphraseFile "$pass_two"}, undef],
    ['passphrase file: one a line, trailing comment',
     qq{SeancesCryptoPassphraseFile "$pass_lines"}, undef],
    ['passphrase file in <Directory>',
     qq{<Directory "$tmp">\nSeancesCryptoPassphraseFile "$pass_two"\n</Directory>}, undef],
    ['passphrase file missing', qq{SeancesCryptoPassphraseFile "$missing"},
     'SeancesCryptoPassphraseFile', qr/cannot read/],
    ['passphrase file is a directory', qq{SeancesCryptoPassphraseFile "$pass_dir"},
     'SeancesCryptoPassphraseFile', qr/cannot read/],
    ['passphrase file without passphrase', qq{SeancesCryptoPassphraseFile "$pass_none"},
     'SeancesCryptoPassphraseFile', qr/holds no passphrase/],
    ['passphrase file with a short passphrase', qq{SeancesCryptoPassphraseFile "$pass_short"},
     'SeancesCryptoPassphraseFile', qr/at least 16 characters/],

    # SeancesCryptoCipher
    (map { ["cipher $_", "$PASS\nSeancesCryptoCipher $_", undef] }
         qw(aes256 aes192 aes128 3des192)),
    ['cipher bogus', "$PASS\nSeancesCryptoCipher bogus", 'SeancesCryptoCipher',
     qr/bogus.*aes256, aes192, aes128, 3des192/],
    ['cipher des (no key size)', 'SeancesCryptoCipher des', 'SeancesCryptoCipher',
     qr/aes256, aes192, aes128, 3des192/],

    # SeancesCookieName
    ['cookie name', 'SeancesCookieName seances_session', undef],
    ['cookie name with attributes', 'SeancesCookieName __Host-seances Path=/; HttpOnly; Secure',
     undef],
    ['cookie name in <Location>', loc('SeancesCookieName other_cookie'), undef],
    ['cookie name with =', 'SeancesCookieName bad=name', 'SeancesCookieName'],
    ['cookie name with ;', 'SeancesCookieName bad;name', 'SeancesCookieName'],
    ['cookie name with ,', 'SeancesCookieName bad,name', 'SeancesCookieName'],
    ['cookie name with a space', 'SeancesCookieName "bad name"', 'SeancesCookieName'],
    ['cookie name with a quote', q{SeancesCookieName 'bad"name'}, 'SeancesCookieName'],
    ['cookie name empty', 'SeancesCookieName ""', 'SeancesCookieName'],

    # SeancesSessionIdle / SeancesSessionMax
    (map {
        my $d = $_;
        ((map { ["$d $_", "$d $_", undef] } qw(30m 12h 90 45s 2d)),
         (map { ["$d $_", "$d $_", $d] } qw(-5 0 0s abc 10x 1.5h 5mm 99999999999999999999), ''),
         ["$d in <Location>", loc("$d 5m"), undef])
    } qw(SeancesSessionIdle SeancesSessionMax)),

    # SeancesRememberMe
    (map { ["SeancesRememberMe $_", "SeancesRememberMe $_", undef] } qw(30 off Off 45s 400)),
    (map { ["SeancesRememberMe $_", "SeancesRememberMe $_", 'SeancesRememberMe'] }
         qw(0 -1 1000 401 abc 5x), '""'),

    # SeancesLoginURL / SeancesPortalURL
    (map {
        my $d = $_;
        (["$d /login", "$d /login", undef],
         ["$d /a/b?x=1", "$d /a/b?x=1", undef],
         ["$d in <Location>", loc("$d /other"), undef],
         (map { ["$d $_", "$d $_", $d, qr/local path/] }
              qw(http://evil //evil login /\\evil /%2fevil javascript:alert(1))))
    } qw(SeancesLoginURL SeancesPortalURL)),

    # SeancesTwoFactor
    (map { ["SeancesTwoFactor $_", "SeancesTwoFactor $_", undef] } qw(off optional required)),
    ['SeancesTwoFactor maybe', 'SeancesTwoFactor maybe', 'SeancesTwoFactor',
     qr/off, optional or required/],

    # SeancesPassHeaders: directory context only
    ['SeancesPassHeaders on', loc('SeancesPassHeaders on'), undef],
    ['SeancesPassHeaders off', loc('SeancesPassHeaders off'), undef],
    ['SeancesPassHeaders in <Directory>', qq{<Directory "$tmp">\nSeancesPassHeaders On\n</Directory>},
     undef],
    ['SeancesPassHeaders maybe', loc('SeancesPassHeaders maybe'), 'SeancesPassHeaders'],
    ['SeancesPassHeaders at server level', 'SeancesPassHeaders on', 'SeancesPassHeaders',
     qr/not allowed here/],

    # SeancesLanguage
    (map { ["SeancesLanguage $_", "SeancesLanguage $_", undef] } qw(fr de it en)),
    ['SeancesLanguage in <Location>', loc('SeancesLanguage de'), undef],
    ['SeancesLanguage xx', 'SeancesLanguage xx', 'SeancesLanguage', qr/fr, de, it, en/],

    # SeancesTemplateDir
    ['SeancesTemplateDir existing', qq{SeancesTemplateDir "$templates"}, undef],
    ['SeancesTemplateDir missing', qq{SeancesTemplateDir "$missing"}, 'SeancesTemplateDir',
     qr/not a readable directory/],
    ['SeancesTemplateDir is a file', qq{SeancesTemplateDir "$blocklist"}, 'SeancesTemplateDir'],

    # SeancesIssuer
    ['SeancesIssuer', 'SeancesIssuer "Commune de Sion"', undef],
    ['SeancesIssuer with a colon', 'SeancesIssuer "Sion: séances"', 'SeancesIssuer'],
    ['SeancesIssuer of 65 characters', 'SeancesIssuer ' . ('x' x 65), 'SeancesIssuer'],
    ['SeancesIssuer in <Location>', loc('SeancesIssuer Sion'), 'SeancesIssuer',
     qr/not allowed/],

    # SeancesLockout
    ['SeancesLockout 5 15m 15m', 'SeancesLockout 5 15m 15m', undef],
    ['SeancesLockout 5 15m 15m 20', 'SeancesLockout 5 15m 15m 20', undef],
    ['SeancesLockout 0 15m 15m', 'SeancesLockout 0 15m 15m', 'SeancesLockout'],
    ['SeancesLockout with two arguments', 'SeancesLockout 5 15m', 'SeancesLockout'],
    ['SeancesLockout with five arguments', 'SeancesLockout 5 15m 15m 20 1', 'SeancesLockout'],
    ['SeancesLockout 5 0 15m', 'SeancesLockout 5 0 15m', 'SeancesLockout'],
    ['SeancesLockout 5 15m abc', 'SeancesLockout 5 15m abc', 'SeancesLockout'],
    ['SeancesLockout 5 15m 15m 0', 'SeancesLockout 5 15m 15m 0', 'SeancesLockout'],
    ['SeancesLockout x 15m 15m', 'SeancesLockout x 15m 15m', 'SeancesLockout'],

    # SeancesPasswordMinLength
    (map { ["SeancesPasswordMinLength $_", "SeancesPasswordMinLength $_", undef] } qw(12 20 128)),
    (map { ["SeancesPasswordMinLength $_", "SeancesPasswordMinLength $_",
            'SeancesPasswordMinLength'] } qw(8 11 129 200 abc -12)),

    # SeancesPasswordBlocklist
    ['SeancesPasswordBlocklist file', qq{SeancesPasswordBlocklist "$blocklist"}, undef],
    ['SeancesPasswordBlocklist missing', qq{SeancesPasswordBlocklist "$missing"},
     'SeancesPasswordBlocklist', qr/cannot read/],

    # SeancesBaseURL
    (map { ["SeancesBaseURL $_", "SeancesBaseURL $_", undef] }
         qw(https://x.ch https://x.ch/ http://127.0.0.1:8080 https://seances.example.ch/sion)),
    (map { ["SeancesBaseURL $_", "SeancesBaseURL $_", 'SeancesBaseURL'] }
         ('ftp://x', 'relative', '/seances', '//x.ch', 'https://', 'https://user@x.ch',
          'https://x.ch/?a=1', 'https://x.ch/#top')),

    # SeancesSMTPServer
    (map { ["SeancesSMTPServer $_", "SeancesSMTPServer $_", undef] }
         qw(localhost localhost:25 mail.example.ch:587 127.0.0.1:2525)),
    (map { ["SeancesSMTPServer $_", "SeancesSMTPServer $_", 'SeancesSMTPServer'] }
         qw(host:99999 host:0 host: host:x :25 host/x)),

    # SeancesSMTPFrom
    ['SeancesSMTPFrom', 'SeancesSMTPFrom seances@example.ch', undef],
    ['SeancesSMTPFrom not an address', 'SeancesSMTPFrom "not an address"', 'SeancesSMTPFrom'],
    ['SeancesSMTPFrom without @', 'SeancesSMTPFrom seances.example.ch', 'SeancesSMTPFrom'],
    ['SeancesSMTPFrom with a second recipient', 'SeancesSMTPFrom "a@x.ch,b@y.ch"',
     'SeancesSMTPFrom'],

    # SeancesSMTPAuth
    ['SeancesSMTPAuth', qq{SeancesSMTPAuth mailer "$smtp_pass"}, undef],
    ['SeancesSMTPAuth missing file', qq{SeancesSMTPAuth mailer "$missing"}, 'SeancesSMTPAuth',
     qr/cannot read/],
    ['SeancesSMTPAuth with one argument', 'SeancesSMTPAuth mailer', 'SeancesSMTPAuth'],

    # SeancesSMTPCACertificate
    ['SeancesSMTPCACertificate', qq{SeancesSMTPCACertificate "$ca_pem"}, undef],
    ['SeancesSMTPCACertificate missing file', qq{SeancesSMTPCACertificate "$missing"},
     'SeancesSMTPCACertificate', qr/cannot be read/],
    ['SeancesSMTPCACertificate without a certificate', qq{SeancesSMTPCACertificate "$smtp_pass"},
     'SeancesSMTPCACertificate', qr/holds no PEM certificate/],
    ['SeancesSMTPCACertificate of a key', qq{SeancesSMTPCACertificate "$tmp/ca.key"},
     'SeancesSMTPCACertificate', qr/holds no PEM certificate/],

    # SeancesSMTPStartTLS
    (map { ["SeancesSMTPStartTLS $_", "SeancesSMTPStartTLS $_", undef] } qw(on off required)),
    ['SeancesSMTPStartTLS maybe', 'SeancesSMTPStartTLS maybe', 'SeancesSMTPStartTLS'],

    # SeancesApp
    ['SeancesApp', 'SeancesApp seances "App pour les séances" /app/', undef],
    ['SeancesApp absolute URL', 'SeancesApp wiki.v2 "Wiki" https://wiki.example.ch/', undef],
    ['two SeancesApp', "SeancesApp a One /a/\nSeancesApp b Two /b/", undef],
    ['SeancesApp bad name', 'SeancesApp "a b" "Title" /app/', 'SeancesApp'],
    ['SeancesApp bad url', 'SeancesApp app "Title" ftp://x', 'SeancesApp'],
    ['SeancesApp empty title', 'SeancesApp app "" /app/', 'SeancesApp'],
    ['SeancesApp with two arguments', 'SeancesApp app "Title"', 'SeancesApp'],

    # server-only directives refuse a <Location>
    (map { ["$_->[0] in <Location>", loc(join ' ', @$_), $_->[0], qr/not allowed/] }
         (['SeancesLockout', qw(5 15m 15m)], ['SeancesPasswordMinLength', 12],
          ['SeancesBaseURL', 'https://x.ch'], ['SeancesSMTPServer', 'localhost'],
          ['SeancesSMTPFrom', 'a@x.ch'], ['SeancesSMTPStartTLS', 'on'],
          ['SeancesApp', qw(a A /a/)], ['SeancesPasswordBlocklist', qq{"$blocklist"}])),

    # AuthType Seances needs a passphrase in the same or an enclosing context
    ['AuthType Seances without passphrase',
     loc("AuthType Seances\nAuthName seances\nRequire valid-user"),
     'AuthType Seances', qr/SeancesCryptoPassphrase/],
    ['AuthType Seances with the passphrase at server level',
     "$PASS\n" . loc("AuthType Seances\nAuthName seances\nRequire valid-user"), undef],
    ['AuthType Seances with the passphrase in the same <Location>',
     loc("$PASS\nAuthType Seances\nAuthName seances\nRequire valid-user"), undef],
    ['AuthType Seances with a passphrase file at server level',
     qq{SeancesCryptoPassphraseFile "$pass_two"\n}
     . loc("AuthType Seances\nAuthName seances\nRequire valid-user"), undef],
    ['AuthType Seances with the passphrase only in another <Location>',
     "<Location /other>\n$PASS\n</Location>\n"
     . loc("AuthType Seances\nAuthName seances\nRequire valid-user"),
     'AuthType Seances', qr/SeancesCryptoPassphrase/],
    ['SetHandler seances-login without passphrase', loc('SetHandler seances-login'),
     'SetHandler seances-login', qr/SeancesCryptoPassphrase/],
    ['SetHandler seances-login with the passphrase', "$PASS\n" . loc('SetHandler seances-login'),
     undef],
);

plan tests => 2 * @cases + 3;

for my $case (@cases) {
    my ($what, $conf, $names, $why) = @$case;
    my ($rc, $out) = apache_t("$conf\n");
    if (!defined $names) {
        is($rc, 0, "$what: accepted") or diag "config:\n$conf\noutput:\n$out";
        like($out, qr/Syntax OK/, "$what: Syntax OK") or diag $out;
        next;
    }
    isnt($rc, 0, "$what: refused") or diag "config:\n$conf\noutput:\n$out";
    # The message must name the directive, not merely echo the line: Apache's syntax
    # error only shows "line N of FILE" and then our text.
    my $re = qr/\Q$names\E/;
    $re = qr/$re.*$why/s if $why;
    ok($out =~ $re && $out !~ /Syntax OK/, "$what: the error names $names")
        or diag "config:\n$conf\noutput:\n$out";
}

# A weak cipher is accepted with a warning; aes256 gives none.
my ($rc, $out) = apache_t("$PASS\nSeancesCryptoCipher aes128\n");
like($out, qr/SeancesCryptoCipher aes128 .*aes256 is recommended/,
     'aes128 logs a warning that recommends aes256');
($rc, $out) = apache_t("$PASS\nSeancesCryptoCipher aes256\n");
unlike($out, qr/recommended/, 'aes256 logs no warning');

# Without our LoadModule the directives are unknown: proves the table above ran our module.
($rc, $out) = apache_t("$PASS\n", load_module => 0);
ok($rc != 0 && $out =~ /Invalid command 'SeancesCryptoPassphrase'/,
   'without LoadModule the directives are unknown') or diag $out;
