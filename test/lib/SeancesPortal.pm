package SeancesPortal;
# Helpers for the portal tests (test/2*_portal*.t, test/22_apps.t).
#
#   my $ua = signed_in('paul', $PW, agent => $FIREFOX);   # a user agent after a login
#   my $r  = $ua->get('/portal');
#   my $page = portal_page($r);          # { html, csrf, text, sections => {id => html} }
#   $r = portal_post($ua, 'password', current => ..., new => ..., confirm => ...);
#   my %q = redirect_query($r);          # the query of a 303's Location (msg, return, before)
#   section_text($page, 'sessions')      # a section as text, entities decoded
use strict;
use warnings;
use Exporter 'import';
use HTML::Entities qw(decode_entities);
use URI;
use SeancesTest;
use SeancesLogin;

our @EXPORT = qw(signed_in portal_page portal_post redirect_query section_text session_ids
                 user_id_of);

# Logs $user in with a fresh user agent (optionally with its own User-Agent header).
sub signed_in {
    my ($user, $password, %opt) = @_;
    my $ua = ua();
    $ua->agent($opt{agent}) if defined $opt{agent};
    $ua->default_header('Accept-Language' => $opt{lang}) if $opt{lang};
    my $r = login_as($ua, $user, $password, return => $opt{return} // '/portal',
                     $opt{remember} ? (remember => 1) : ());
    die "login of $user failed: " . $r->code . "\n" unless $r->code == 303;
    return $ua;
}

# The parts of a portal page the tests look at.
sub portal_page {
    my ($r) = @_;
    my $html = $r->decoded_content // '';
    my ($csrf) = $html =~ /name="csrf" value="([^"]+)"/;
    my %sections;
    while ($html =~ m{<section id="([^"]+)"[^>]*>(.*?)</section>}sg) {
        $sections{$1} = $2;
    }
    return { html => $html, csrf => $csrf, sections => \%sections, code => $r->code };
}

# A section without its tags, entities decoded, blanks collapsed.
sub section_text {
    my ($page, $id) = @_;
    my $text = $page->{sections}{$id} // '';
    $text =~ s/<[^>]*>/ /g;
    $text = decode_entities($text);
    $text =~ s/\s+/ /g;
    return $text;
}

# Posts a portal action with the page's CSRF token (or csrf => ... to override, undef to
# leave it out); %fields are the form's other fields.
sub portal_post {
    my ($ua, $action, %fields) = @_;
    my $path = delete $fields{path} // '/portal';
    my $csrf = exists $fields{csrf} ? delete $fields{csrf}
             : portal_page($ua->get($path))->{csrf};
    my @form = (action => $action, %fields);
    push @form, csrf => $csrf if defined $csrf;
    return $ua->post($path, \@form);
}

sub redirect_query {
    my ($r) = @_;
    my $loc = $r->header('Location') // return ();
    my $uri = URI->new($loc);
    return ($uri->query_form, _path => $uri->path, _fragment => $uri->fragment // '');
}

# The session ids the page offers to end, in page order.
sub session_ids {
    my ($page) = @_;
    return [ $page->{html} =~ /name="session" value="([0-9a-f]{64})"/g ];
}

sub user_id_of {
    my ($name) = @_;
    return sql("SELECT id FROM users WHERE name = '$name'")->[0];
}

1;
