# The harness itself: the server answers, /static and the CGI are mapped, the test database
# exists (a file owned by httpd's user, or a PostgreSQL database set up as admins do), and
# SeancesTest works.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use File::Find ();
use SeancesTest;

plan tests => 25;
Test::More->builder->failure_output(\*STDERR);

# The built-in per-request timeout is 600 s.
Apache::TestRequest::user_agent(reset => 1, cookie_jar => {})->timeout(20);

my $vars = Apache::Test::vars();

# Apache::Test's own document root (test/htdocs/index.html, generated).
my $r = GET('/index.html');
is($r->code, 200, 'GET /index.html answers 200');

# /static is the project's htdocs/.  Without an index page (and without
# mod_autoindex) the directory gives 404, logged at info level as
# "AH00129: Attempt to serve directory: <top>/htdocs/"; a file is served as it is.
my $off = error_log_size();
$r = GET('/static/');
is($r->code, 404, 'GET /static/ answers 404 (htdocs/ has no index page)');
ok(defined error_log_wait($off, qr{\Q${\ top_dir()}\E/htdocs/}, 5),
   'error_log_since(): /static/ was mapped to htdocs/');
my @files;
File::Find::find({ no_chdir => 1, wanted => sub { push @files, $_ if -f && !m{/\.} } },
                 top_dir() . '/htdocs');
ok(scalar @files, 'htdocs/ holds files');
{
    my ($file) = sort @files;
    (my $rel = $file) =~ s{^\Q${\ top_dir()}\E/htdocs/}{};
    $r = GET("/static/$rel");
    is($r->code, 200, "GET /static/$rel answers 200");
    open my $fh, '<:raw', $file or die "$file: $!";
    my $want = do { local $/; <$fh> };
    ok($r->content eq $want, "GET /static/$rel serves the file as it is");
}

# The CGI prints its environment, sorted.
my $ua = ua();
$r = $ua->get('/cgi/env.pl', 'X-Harness' => 'yes');
is($r->code, 200, 'GET /cgi/env.pl answers 200');
like($r->header('Content-Type'), qr{^text/plain}, 'the CGI answers text/plain');
my $body = $r->content;
like($body, qr{^GATEWAY_INTERFACE=CGI/1\.1$}m, 'the CGI shows GATEWAY_INTERFACE=CGI/1.1');
like($body, qr{^HTTP_X_HARNESS=yes$}m, 'request headers reach the CGI');
my @names = map { /^([^=]+)=/ ? $1 : () } split /\n/, $body;
is_deeply(\@names, [ sort @names ], 'the variables are sorted');

# ua(): redirects are not followed, relative URLs work, own cookie jar.
isa_ok($ua->cookie_jar, 'HTTP::Cookies');
is_deeply($ua->requests_redirectable, [], 'ua() follows no redirect');
is($ua->timeout, 20, 'ua() times out after 20 s');

# The database: created by seances-admin init; on sqlite3 a file owned by httpd's user, on
# pgsql a UTF-8 database in the C locale owned by a role that is not a superuser.
my $db = db_path();
is_deeply(sql(q{SELECT count(*) FROM users WHERE name = 'alice'}), ['1'],
          'sql() sees the users table and the seed');
SKIP: {
    skip 'the PostgreSQL set-up: pgsql half only', 5 unless driver() eq 'pgsql';
    like($db, qr/\bdbname=seances_test\b.*\buser=seances\b/, 'db_path() is the conninfo of seances_test');
    is_deeply(sql(q{SELECT current_user, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles
                    WHERE rolname = current_user}), ['seances|f|f|f'],
              'the module and the CLI connect as seances, who is no superuser');
    is_deeply(sql(q{SELECT pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate,
                           datctype FROM pg_database WHERE datname = current_database()}),
              ['seances|UTF8|C|C'], 'seances owns the database: UTF8, locale C');
    is_deeply(sql(q{SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'}),
              ['seances'], 'and the tables that seances-admin init made');
    is_deeply(sql(q{SELECT datcollate FROM pg_database WHERE datname = 'seances_utf8'}),
              [$vars->{seances_pg_locale}], "the seances_pg server's database has another locale");
}
SKIP: {
    skip 'the database files: sqlite3 half only', 3 if driver() eq 'pgsql';
    is($db, "$vars->{t_state}/test.db", 'db_path() is t_state/test.db');
    ok(-f $db && -f broken_db_path(), 'test.db and broken.db exist');
    skip 'not running as root', 1 if $> != 0;
    my $uid = (getpwnam $vars->{user})[2];
    my @bad = grep { (stat)[4] != $uid } $vars->{t_state}, glob("$vars->{t_state}/*");
    is_deeply(\@bad, [], "test/state and its files belong to $vars->{user}");
}

# apache_t(): apache2 -t on a snippet, with the suite's modules.
my ($rc, $out) = apache_t("<Location /x>\n    Require all granted\n</Location>\n",
                          load_module => 0);
is($rc, 0, 'apache_t() accepts a good snippet') or diag $out;
($rc, $out) = apache_t("NoSuchDirective on\n", load_module => 0);
ok($rc != 0 && $out =~ /Invalid command 'NoSuchDirective'/,
   'apache_t() rejects a bad snippet') or diag $out;
