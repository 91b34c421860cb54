package SeancesReset;
# Password reset helpers for the .t files (on the current vhost, normally seances_mail):
#
#   my $m = ask_reset($ua, 'rita', 'rita@example.ch');   # the mail, or undef
#   my ($token, $code) = link_of($m);                     # from the text part
#   my $r = open_link($ua, $token);                        # GET /reset?token=...
#   $r = set_password($ua, $r, new => 'x', confirm => 'x', code => '123456');
use strict;
use warnings;
use Exporter 'import';
use HTML::Entities ();
use SeancesTest;
use SeancesMail;

our @EXPORT = qw(ask_reset link_of open_link form_fields set_password);

sub ask_reset {
    my ($ua, $name, $email) = @_;
    my $n = mail_count();
    my $page = $ua->get('/forgot');
    my ($csrf) = ($page->decoded_content // '') =~ /name="csrf" value="([^"]+)"/;
    $ua->post('/forgot', [csrf => $csrf, username => $name]);
    # a notice of an earlier event may still be on its way: the mail with a link it is
    return wait_mail($email, $n, 10, qr{/reset\?token=});
}

sub link_of {
    my $m = shift or return;
    my ($token) = ($m->{text} // '') =~ m{/reset\?token=([A-Za-z0-9_-]+)};
    my ($code) = ($m->{text} // '') =~ /^(\d{4} \d{4})$/m;
    return ($token, $code);
}

sub open_link {
    my ($ua, $token) = @_;
    return $ua->get("/reset?token=$token");
}

# The hidden and filled fields of the page's form.
sub form_fields {
    my $html = shift->decoded_content // '';
    my %f;
    while ($html =~ /<input type="hidden" name="(\w+)" value="([^"]*)"/g) {
        $f{$1} = HTML::Entities::decode_entities($2);
    }
    return %f;
}

sub set_password {
    my ($ua, $page, %fields) = @_;
    my %f = (form_fields($page), %fields);
    return $ua->post('/reset', [%f]);
}

1;
