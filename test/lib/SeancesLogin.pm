package SeancesLogin;
# Login helpers for the .t files: fetch the form, post it, read cookies and sessions.
use strict;
use warnings;
use Exporter 'import';
use SeancesTest;

our @EXPORT = qw(form_token login_as session_cookie cookie_header set_cookie_lines
                 cookies_of clear_throttle normalise_page);

# GET the login form with $ua; returns the csrf field (the ua keeps the csrf cookie).
sub form_token {
    my ($ua, $base) = @_;
    my $r = $ua->get(($base // '') . '/login');
    my $html = $r->decoded_content;
    # the password form's token (signed in, the page also has the logout form's)
    my ($token) = $html =~ /name="csrf" value="([^"]+)">\s*<input type="hidden" name="return"/;
    ($token) = $html =~ /name="csrf" value="([^"]+)"/ unless defined $token;
    return $token;
}

# Logs in through the form; returns the POST response. %opt: remember, return, base, csrf.
sub login_as {
    my ($ua, $user, $password, %opt) = @_;
    my $base = $opt{base} // '';
    my $csrf = exists $opt{csrf} ? $opt{csrf} : form_token($ua, $base);
    my @fields = (username => $user, password => $password,
                  return => $opt{return} // '/app/env.pl');
    push @fields, csrf => $csrf if defined $csrf;
    push @fields, remember => 1 if $opt{remember};
    return $ua->post("$base/login", \@fields);
}

# The seances_session value in the ua's jar (undef when none).
sub session_cookie {
    my ($ua, $name) = @_;
    $name //= 'seances_session';
    my $value;
    $ua->cookie_jar->scan(sub { $value = $_[2] if $_[1] eq $name });
    return $value;
}

sub cookie_header { return (Cookie => "seances_session=$_[0]") }

# Every Set-Cookie line of a response.
sub set_cookie_lines { return $_[0]->headers->header('Set-Cookie') }

sub cookies_of {
    my ($r) = @_;
    return [ map { split /\n/ } ($r->headers->header('Set-Cookie')) ];
}

sub clear_throttle { sql('DELETE FROM throttle') }

# A page without what legitimately differs between two renderings (tokens, nonces).
sub normalise_page {
    my ($html) = @_;
    $html =~ s/name="csrf" value="[^"]*"/name="csrf" value="X"/g;
    $html =~ s/nonce="[^"]*"/nonce="X"/g;
    return $html;
}

1;
