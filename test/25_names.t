# The user's name as read back from the database reaches every place it is used: the session
# cookie opens the app, and REMOTE_USER, X-Remote-User, the SEANCES0102 log line and the
# seances-user key inside the cookie (decrypted by stock mod_session_crypto, /stock/) are the
# user's name, byte for byte; for an ASCII name and one beyond ASCII. On both drivers.
#
# This is the test that the PostgreSQL use-after-free of issue 6 failed: values read with
# apr_dbd_get_entry pointed into a result that the pgsql driver had already freed, so the log
# said "login of  from", the cookie had no seances-user, and the cookie opened nothing.
# Checklist (test/SECURITY.md): SEC-73 header values CR/LF-free and encoded.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Encode qw(encode_utf8);
use URI::Escape qw(uri_unescape);
use SeancesTest;
use SeancesLogin;

my @users = (['alice', 'correct horse battery staple'],
             ['Zoë Brändli', 'Zoë a un mot de passe 7']);
plan tests => 9 * @users;
Test::More->builder->failure_output(\*STDERR);
clear_throttle();

# httpd writes the bytes of a log message above 0x7e as \xNN
sub as_logged { return encode_utf8($_[0]) =~ s/([\x7f-\xff])/sprintf('\\x%02x', ord $1)/ger }

# The keys of a session as stock mod_session shows it (HTTP_SESSION: form-urlencoded pairs,
# a space as "+").
sub session_keys {
    my $session = shift // '';
    my $decode = sub { return uri_unescape(($_[0] // '') =~ tr/+/ /r) };
    return { map { my ($k, $v) = split /=/, $_, 2; ($decode->($k) => $decode->($v)) }
             split /&/, $session };
}

for my $user (@users) {
    my ($name, $password) = @$user;
    my $bytes = encode_utf8($name);
    my $what = $name eq $bytes ? 'an ASCII name' : 'a name beyond ASCII';
    my $ua = ua();
    my $off = error_log_size();
    # character strings: LWP sends them as UTF-8
    my $r = login_as($ua, $name, $password);
    is($r->code, 303, "$what: the login answers 303");
    my $cookie = session_cookie($ua);
    ok($cookie, "$what: and sets the session cookie");

    my $line = error_log_wait($off, qr/SEANCES0102/, 5) // '';
    like($line, qr/SEANCES0102: login of \Q${\ as_logged($name)}\E from 127\.0\.0\.1$/,
         "$what: the log line names the user") or diag $line;

    $r = ua()->get('/app/env.pl', cookie_header($cookie));
    is($r->code, 200, "$what: the cookie opens the app");
    my $env = $r->content;
    like($env, qr/^REMOTE_USER=\Q$bytes\E$/m, "$what: REMOTE_USER is the user's name");
    like($env, qr/^HTTP_X_REMOTE_USER=\Q$bytes\E$/m, "$what: so is X-Remote-User");
    $r = ua()->get('/app/env.pl', cookie_header($cookie));
    like($r->content, qr/^REMOTE_USER=\Q$bytes\E$/m, "$what: and again on the next request");

    my ($session) = ua()->get('/stock/env.pl', cookie_header($cookie))->content =~ /^HTTP_SESSION=(.*)$/m;
    my $keys = session_keys($session);
    is($keys->{'seances-user'}, $bytes, "$what: seances-user in the cookie is the user's name");
    like($keys->{'seances-sid'} // '', qr/^[A-Za-z0-9_-]{43,}$/, "$what: beside a session id");
}
