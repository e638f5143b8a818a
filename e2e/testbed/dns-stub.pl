#!/usr/bin/perl
# The test bed's upstream DNS resolver: a stub in the cloud namespace, so that nothing a node or
# pod resolves ever leaves the bed. It answers A queries for the names in HOSTS_FILE ("NAME IP"
# per line) and NXDOMAIN for every other name. Only perl-base is needed.
#
#   dns-stub.pl ADDRESS HOSTS_FILE
use strict;
use warnings;
use IO::Socket::INET;

my ($address, $hosts_file) = @ARGV;
die "usage: dns-stub.pl ADDRESS HOSTS_FILE\n" unless defined $hosts_file;

my %hosts;
open(my $fh, '<', $hosts_file) or die "dns-stub: cannot read $hosts_file: $!\n";
while (my $line = <$fh>) {
    next if $line =~ /^\s*(#|$)/;
    my ($name, $ip) = split ' ', $line;
    $hosts{lc $name} = $ip if defined $ip && $ip =~ /^\d+\.\d+\.\d+\.\d+$/;
}
close $fh;

my $socket = IO::Socket::INET->new(LocalAddr => $address, LocalPort => 53, Proto => 'udp', ReuseAddr => 1)
    or die "dns-stub: cannot listen on $address:53: $!\n";
$| = 1;
print "dns-stub: answering for ", join(' ', sort keys %hosts), " on $address:53\n";

use constant { TYPE_A => 1, TYPE_ANY => 255, CLASS_IN => 1, NXDOMAIN => 3, FORMERR => 1 };

while (1) {
    my $query = '';
    my $peer = $socket->recv($query, 1500);
    next unless defined $peer && length($query) >= 12;
    my ($id, $flags, $qdcount) = unpack('n n n', $query);
    next if $flags & 0x8000;    # a response, not a query
    my $reply = answer($query, $id, $flags, $qdcount);
    $socket->send($reply, 0, $peer) if defined $reply;
}

sub answer {
    my ($query, $id, $flags, $qdcount) = @_;
    my $opcode_rd = $flags & 0x7900;    # echo the opcode and recursion-desired bits
    my $header = sub { pack('n6', $id, 0x8000 | 0x0400 | 0x0080 | $opcode_rd | $_[0], @_[1 .. 4]) };
    return $header->(FORMERR, 0, 0, 0, 0) if $qdcount != 1;

    my ($offset, @labels) = (12);
    while (1) {
        return $header->(FORMERR, 0, 0, 0, 0) if $offset >= length($query);
        my $len = ord(substr($query, $offset, 1));
        $offset++;
        last if $len == 0;
        return $header->(FORMERR, 0, 0, 0, 0) if $len > 63 || $offset + $len > length($query);
        push @labels, substr($query, $offset, $len);
        $offset += $len;
    }
    return $header->(FORMERR, 0, 0, 0, 0) if $offset + 4 > length($query);
    my ($qtype, $qclass) = unpack('n n', substr($query, $offset, 4));
    my $question = substr($query, 12, $offset + 4 - 12);
    my $ip = $hosts{lc join('.', @labels)};

    return $header->(NXDOMAIN, 1, 0, 0, 0) . $question unless defined $ip;
    return $header->(0, 1, 0, 0, 0) . $question
        unless $qclass == CLASS_IN && ($qtype == TYPE_A || $qtype == TYPE_ANY);
    my $record = pack('n n n N n C4', 0xC00C, TYPE_A, CLASS_IN, 60, 4, split(/\./, $ip));
    return $header->(0, 1, 1, 0, 0) . $question . $record;
}
