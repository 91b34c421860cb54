package SeancesMail;
# The mails of the SMTP sink (test/smtp/sink.py, started by test/TEST) for the .t files:
#
#   my $n = mail_count();                       # a mark of the mails in the Maildir now
#   my $m = wait_mail('rita@example.ch', $n);   # the first mail to that address since the
#                                               # mark $n, or undef after 10 s
#   $m->{header}{subject}   decoded (RFC 2047); $m->{raw_header}{subject} as sent
#   $m->{text}, $m->{html}  the decoded parts; $m->{raw} the whole message
#   $m->{envelope_to}       the recipients the server was given
#   wait_mail($to, $n, 10, qr/token=/)          # ... whose text part matches
#   no_mail_to('x@y', $n, 3)                    # 1 when none came within 3 s
use strict;
use warnings;
use Exporter 'import';
use Encode ();
use MIME::QuotedPrint ();
use SeancesTest;
use Apache::Test ();

our @EXPORT = qw(maildir mail_count mails_since wait_mail no_mail_to parse_mail);

sub maildir { Apache::Test::vars('seances_maildir') }

sub _files {
    my $dir = maildir() . '/new';
    opendir my $dh, $dir or return ();
    my @f = map { "$dir/$_" } grep { !/^\./ } readdir $dh;
    closedir $dh;
    return sort { (stat $a)[9] <=> (stat $b)[9] || $a cmp $b } @f;
}

# A mark of the mails there now (the names the sink gave them), for mails_since.
sub mail_count { return { map { $_ => 1 } _files() } }

sub mails_since {
    my $seen = shift // {};
    return map { parse_mail(_slurp($_)) } grep { !$seen->{$_} } _files();
}

sub _slurp {
    open my $fh, '<:raw', shift or return '';
    local $/;
    return <$fh>;
}

sub parse_mail {
    my $raw = shift;
    my ($head, $body) = split /\r?\n\r?\n/, $raw, 2;
    (my $unfolded = $head) =~ s/\r?\n[ \t]+/ /g;
    my (%h, %raw_h);
    for my $line (split /\r?\n/, $unfolded) {
        my ($k, $v) = $line =~ /^([^:]+):\s*(.*)$/ or next;
        $k = lc $k;
        $raw_h{$k} = defined $raw_h{$k} ? "$raw_h{$k}\n$v" : $v;
        $h{$k} = Encode::decode('MIME-Header', $v);
    }
    my %m = (raw => $raw, header => \%h, raw_header => \%raw_h, body => $body,
             envelope_to => [split /,\s*/, $h{'x-envelope-to'} // '']);
    my ($boundary) = ($h{'content-type'} // '') =~ /boundary="([^"]+)"/;
    if (defined $boundary) {
        for my $part (split /^--\Q$boundary\E(?:--)?\r?$/m, $body) {
            my ($ph, $pb) = split /\r?\n\r?\n/, $part, 2;
            next unless defined $pb && $ph =~ m{Content-Type:\s*text/(plain|html)}i;
            my $kind = $1 eq 'plain' ? 'text' : 'html';
            my $decoded = $ph =~ /quoted-printable/i ? MIME::QuotedPrint::decode_qp($pb) : $pb;
            $m{$kind} = Encode::decode('UTF-8', $decoded);
            $m{"${kind}_header"} = $ph;
        }
    }
    return \%m;
}

sub wait_mail {
    my ($to, $since, $secs, $re) = @_;
    my $deadline = time + ($secs // 10);
    while (1) {
        my @hit = grep { ($_->{header}{to} // '') eq $to && (!$re || ($_->{text} // '') =~ $re) }
                  mails_since($since);
        return $hit[0] if @hit;
        return undef if time > $deadline;
        select undef, undef, undef, 0.2;
    }
}

sub no_mail_to {
    my ($to, $since, $secs) = @_;
    return !defined wait_mail($to, $since, $secs // 3);
}

1;
