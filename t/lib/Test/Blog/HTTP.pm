package Test::Blog::HTTP;

# Sends one request to the nginx under test and returns what came back as
# { status, headers => { lower-case name => value }, body }, or { error }
# when no complete response arrived.  A normal request goes through
# HTTP::Tiny; a raw one is written byte for byte to a socket, for URIs and
# headers HTTP::Tiny would refuse or rewrite, and its response parsed here.

use strict;
use warnings;

use Exporter qw(import);
use HTTP::Tiny;
use IO::Select;
use IO::Socket::INET;
use Time::HiRes qw(time);

our @EXPORT_OK = qw(http_request raw_request after_head wire);

# valgrind makes nginx 20 to 50 times slower: a first index and a feed
# can take more than 10 s
my $TIMEOUT = $ENV{TEST_NGINX_USE_VALGRIND} ? 60 : 10;


# "METHOD URI" on the first line, "Name: value" on the others.

sub http_request {
    my ($port, $text) = @_;
    my @lines = grep { /\S/ } split /\n/, $text;
    my ($method, $uri) = split ' ', shift(@lines) // '';

    die "the request section needs 'METHOD URI'\n" unless defined $uri;

    my %headers;
    for my $line (@lines) {
        $line =~ /^([^:\s]+):[ \t]*(.*?)\s*$/
            or die "bad request header line '$line'\n";
        $headers{$1} = $2;
    }

    my $http = HTTP::Tiny->new(max_redirect => 0, keep_alive => 0,
                               timeout => $TIMEOUT, agent => 'Test::Blog');

    my $r = $http->request($method, "http://127.0.0.1:$port$uri",
                           { headers => \%headers });

    return { error => "$method $uri: $r->{content}" } if $r->{status} == 599;

    my %h;
    for my $name (keys %{ $r->{headers} }) {
        my $value = $r->{headers}{$name};
        $h{lc $name} = ref $value ? join(', ', @$value) : $value;
    }

    return { status => $r->{status}, headers => \%h,
             body => $r->{content} // '' };
}


# Text without CR gets CRLF line ends and the empty line that ends the head;
# text with a CR (from an eval section) is sent as it is.

sub raw_request {
    my ($port, $bytes) = @_;

    if ($bytes !~ /\r/) {
        $bytes =~ s/\n*\z//;
        $bytes =~ s/\n/\r\n/g;
        $bytes .= "\r\n\r\n";
    }

    my ($method) = $bytes =~ /^(\S+)/;

    my $socket = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                       PeerPort => $port, Proto => 'tcp',
                                       Timeout => $TIMEOUT)
        or return { error => "cannot connect to 127.0.0.1:$port: $!" };

    my $sent = 0;
    while ($sent < length $bytes) {
        my $n = syswrite($socket, $bytes, length($bytes) - $sent, $sent);
        return { error => "cannot send the request: $!" } unless $n;
        $sent += $n;
    }

    my $response = read_response($socket, $method // '');
    close $socket;
    return $response;
}


sub read_response {
    my ($socket, $method) = @_;
    my $select = IO::Select->new($socket);
    my $deadline = time + $TIMEOUT;
    my $buffer = '';
    my $eof = 0;

    my $more = sub {
        return 0 if $eof;
        my $left = $deadline - time;
        return 0 if $left <= 0 || !$select->can_read($left);
        my $n = sysread($socket, $buffer, 65536, length $buffer);
        $eof = 1 unless $n;
        return $n ? 1 : 0;
    };

    while ($buffer !~ /\r?\n\r?\n/) {
        $more->() or return { error => "incomplete response head:\n$buffer" };
    }

    my ($head, $rest) = split /\r?\n\r?\n/, $buffer, 2;
    my ($status_line, @lines) = split /\r?\n/, $head;
    my ($status) = $status_line =~ m{^HTTP/\d\.\d (\d{3})}
        or return { error => "bad status line: $status_line" };

    my %h;
    for my $line (@lines) {
        my ($name, $value) = $line =~ /^([^:]+):[ \t]*(.*?)\s*$/ or next;
        $name = lc $name;
        $h{$name} = exists $h{$name} ? "$h{$name}, $value" : $value;
    }

    my $head_length = length($buffer) - length($rest);
    my $body;

    if ($method eq 'HEAD' || $status =~ /^(?:1\d\d|204|304)$/) {
        $body = '';

    } elsif (($h{'transfer-encoding'} // '') =~ /chunked/i) {
        until (defined($body = dechunk(substr $buffer, $head_length))) {
            $more->() or return { error => "incomplete chunked body" };
        }

    } elsif (defined $h{'content-length'}) {
        while (length($buffer) - $head_length < $h{'content-length'}) {
            $more->() or return { error => "body shorter than Content-Length" };
        }
        $body = substr $buffer, $head_length, $h{'content-length'};

    } else {
        1 while $more->();
        $body = substr $buffer, $head_length;
    }

    return { status => $status, headers => \%h, body => $body };
}


# The bytes that follow the head of the answer to TEXT (as http_request()
# takes it; sent with "Connection: close", and "Host: localhost" unless
# it has a Host), read until the server closes: '' when no body came,
# undef when no whole answer did.  For HEAD and 304, whose bodies neither
# HTTP::Tiny nor read_response() reads.

sub after_head {
    my ($port, $text) = @_;
    my @lines = grep { /\S/ } split /\n/, $text;
    my $first = shift(@lines) // '';

    push @lines, 'Host: localhost' unless grep { /^Host:/i } @lines;

    my $got = wire($port, join("\r\n", "$first HTTP/1.1", @lines,
                               'Connection: close') . "\r\n\r\n");
    return undef unless defined $got;

    my (undef, $rest) = split /\r\n\r\n/, $got, 2;
    return $rest;
}


# wire(PORT, BYTES): writes BYTES to 127.0.0.1:PORT and returns all that
# comes back until the server closes, or undef when it does not in time.

sub wire {
    my ($port, $bytes) = @_;
    my $socket = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                       PeerPort => $port, Proto => 'tcp',
                                       Timeout => $TIMEOUT)
        or return undef;

    syswrite($socket, $bytes) == length $bytes or return undef;

    my $select = IO::Select->new($socket);
    my $deadline = time + $TIMEOUT;
    my $got = '';

    for ( ;; ) {
        my $left = $deadline - time;
        return undef if $left <= 0 || !$select->can_read($left);
        my $n = sysread($socket, $got, 65536, length $got);
        return undef unless defined $n;
        return $got if $n == 0;
    }
}


# The decoded body, or undef while the last chunk has not arrived.

sub dechunk {
    my ($data) = @_;
    my $body = '';

    for ( ;; ) {
        $data =~ s/\A([0-9a-fA-F]+)[^\r\n]*\r\n// or return undef;
        my $size = hex $1;

        if ($size == 0) {
            return $data =~ /\A(?:[^\r\n]+\r\n)*\r\n/ ? $body : undef;
        }

        return undef if length($data) < $size + 2;
        $body .= substr $data, 0, $size;
        substr($data, 0, $size + 2) = '';
    }
}


1;
