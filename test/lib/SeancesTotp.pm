package SeancesTotp;
# Two-factor helpers for the .t files: codes from oathtool (an independent RFC 6238
# implementation), the enrolment page read like a person would, the code step of the login.
#
#   my $code = totp($secret);             # the code of now, oathtool --totp -b SECRET
#   my $next = totp($secret, 30);         # of now + 30 s (the next step)
#   my $page = setup_page($ua);           # {uri, secret, csrf, html, response}
#   my ($r, $codes) = enrol($ua);         # enrols the ua's user; ($response, [recovery codes])
#   my $r = login_code($ua, $code);       # posts the code form (GET /login first for its token)
use strict;
use warnings;
use Exporter 'import';
use HTML::Entities ();
use SeancesTest;

our @EXPORT = qw(totp setup_page enrol code_form_token login_code add_user);

sub totp {
    my ($secret, $offset) = @_;
    my $at = time + ($offset // 0);
    my $code = `oathtool --totp -b '$secret' --now '\@$at'`;
    chomp $code;
    $code =~ /^\d{6}$/ or die "oathtool gave '$code'";
    return $code;
}

# The enrolment page: the otpauth URI as shown, the secret of the grouped text (no spaces).
sub setup_page {
    my ($ua, $base) = @_;
    my $r = $ua->get(($base // '') . '/2fa/setup');
    my $html = $r->decoded_content // '';
    my ($uri) = $html =~ m{<code>(otpauth://[^<]+)</code>};
    my ($secret) = $html =~ m{<p class="secret" id="secret">([A-Z2-7 ]+)</p>};
    my ($csrf) = $html =~ /name="csrf" value="([^"]+)"/;
    $uri = HTML::Entities::decode_entities($uri) if defined $uri;
    $secret =~ s/ //g if defined $secret;
    return { uri => $uri, secret => $secret, csrf => $csrf, html => $html, response => $r };
}

# Confirms the enrolment with the current code; returns the response and the recovery codes.
sub enrol {
    my ($ua, $base) = @_;
    my $page = setup_page($ua, $base);
    my $r = $ua->post(($base // '') . '/2fa/setup',
                      [csrf => $page->{csrf}, action => 'confirm', code => totp($page->{secret})]);
    my @codes = $r->decoded_content =~ m{<li><code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code></li>}g;
    return ($r, \@codes, $page->{secret});
}

sub code_form_token {
    my ($ua, $base) = @_;
    my $r = $ua->get(($base // '') . '/login');
    my ($token) = ($r->decoded_content // '') =~ /name="csrf" value="([^"]+)"/;
    return $token;
}

sub login_code {
    my ($ua, $code, %opt) = @_;
    my $base = $opt{base} // '';
    my $csrf = exists $opt{csrf} ? $opt{csrf} : code_form_token($ua, $base);
    return $ua->post("$base/login", [code => $code, (defined $csrf ? (csrf => $csrf) : ())]);
}

# A user of the test's own, so that other .t files never see its 2FA.
sub add_user {
    my ($name, $password) = @_;
    my ($rc, undef, $err) = admin({ stdin => "$password\n" }, 'user', 'add', $name, '--email',
                                  "$name\@example.ch", '--password-stdin');
    die "user add $name: $err" if $rc;
}

1;
