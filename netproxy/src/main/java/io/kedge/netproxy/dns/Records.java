package io.kedge.netproxy.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.nio.charset.StandardCharsets;

/** Resource records with their RDATA in wire form; names inside RDATA are written uncompressed. */
final class Records {
    private Records() {}

    static DnsRecord address(String name, byte[] ip, long ttl) {
        return new DefaultDnsRawRecord(name, ip.length == 4 ? DnsRecordType.A : DnsRecordType.AAAA, ttl,
                Unpooled.wrappedBuffer(ip));
    }

    static DnsRecord srv(String name, int priority, int weight, int port, String target, long ttl) {
        ByteBuf rdata = Unpooled.buffer();
        rdata.writeShort(priority).writeShort(weight).writeShort(port);
        writeName(target, rdata);
        return new DefaultDnsRawRecord(name, DnsRecordType.SRV, ttl, rdata);
    }

    static DnsRecord cname(String name, String target, long ttl) {
        return nameRecord(name, DnsRecordType.CNAME, target, ttl);
    }

    static DnsRecord ptr(String name, String target, long ttl) {
        return nameRecord(name, DnsRecordType.PTR, target, ttl);
    }

    /** The zone's SOA; its last field, the negative-caching TTL, is {@code ttl} as well. */
    static DnsRecord soa(String zone, long serial, long ttl) {
        ByteBuf rdata = Unpooled.buffer();
        writeName("ns.dns." + zone, rdata);
        writeName("hostmaster." + zone, rdata);
        rdata.writeInt((int) serial).writeInt(7200).writeInt(1800).writeInt(86400).writeInt((int) ttl);
        return new DefaultDnsRawRecord(zone, DnsRecordType.SOA, ttl, rdata);
    }

    /** The EDNS record a response carries when its query had one. */
    static DnsRecord opt(int udpPayloadSize) {
        return new DefaultDnsRawRecord("", DnsRecordType.OPT, udpPayloadSize, 0, Unpooled.EMPTY_BUFFER);
    }

    private static DnsRecord nameRecord(String name, DnsRecordType type, String target, long ttl) {
        ByteBuf rdata = Unpooled.buffer();
        writeName(target, rdata);
        return new DefaultDnsRawRecord(name, type, ttl, rdata);
    }

    /** Bytes the name takes on the wire, uncompressed, as Netty's encoder writes it. */
    static int wireLength(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.isEmpty() ? 1 : n.getBytes(StandardCharsets.US_ASCII).length + 2;
    }

    private static void writeName(String name, ByteBuf out) {
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            out.writeByte(b.length).writeBytes(b);
        }
        out.writeByte(0);
    }
}
