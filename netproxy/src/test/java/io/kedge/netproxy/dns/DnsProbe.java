package io.kedge.netproxy.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A test client: one query over UDP or TCP to a DNS server, the answer decoded into plain values. */
final class DnsProbe implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final InetSocketAddress server;
    private int nextId = 1;

    DnsProbe(InetSocketAddress server) {
        this.server = server;
    }

    /** A response reduced to what tests check: the rcode, flags, and each section as "TYPE value" strings. */
    record Reply(String rcode, boolean authoritative, boolean truncated, List<String> answers, List<String> authority,
                 List<String> additional, List<Long> answerTtls) {
    }

    Reply udp(String name, DnsRecordType type) throws Exception {
        return udp(name, type, false);
    }

    Reply udp(String name, DnsRecordType type, boolean edns) throws Exception {
        Promise<Reply> reply = group.next().newPromise();
        Channel ch = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel c) {
                        c.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsResponse r) {
                                        reply.trySuccess(reduce(r));
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            DatagramDnsQuery q = new DatagramDnsQuery(null, server, nextId++);
            fill(q, name, type, edns);
            ch.writeAndFlush(q).sync();
            return reply.get(10, TimeUnit.SECONDS);
        } finally {
            ch.close().sync();
        }
    }

    Reply tcp(String name, DnsRecordType type) throws Exception {
        Promise<Reply> reply = group.next().newPromise();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new TcpDnsQueryEncoder(), new TcpDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsResponse r) {
                                        reply.trySuccess(reduce(r));
                                    }
                                });
                    }
                }).connect(server).sync().channel();
        try {
            DnsQuery q = new DefaultDnsQuery(nextId++);
            fill(q, name, type, false);
            ch.writeAndFlush(q).sync();
            return reply.get(10, TimeUnit.SECONDS);
        } finally {
            ch.close().sync();
        }
    }

    /** Sends raw bytes over UDP; the raw answer, or null when none came within {@code waitMillis}. */
    byte[] raw(byte[] packet, long waitMillis) throws Exception {
        Promise<byte[]> reply = group.next().newPromise();
        Channel ch = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        reply.trySuccess(ByteBufUtil.getBytes(p.content()));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            ch.writeAndFlush(new DatagramPacket(io.netty.buffer.Unpooled.wrappedBuffer(packet), server)).sync();
            return reply.await(waitMillis) ? reply.getNow() : null;
        } finally {
            ch.close().sync();
        }
    }

    private static void fill(DnsQuery q, String name, DnsRecordType type, boolean edns) {
        q.setRecursionDesired(true);
        q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
        if (edns) {
            q.addRecord(DnsSection.ADDITIONAL, new DefaultDnsRawRecord("", DnsRecordType.OPT, 4096, 0,
                    io.netty.buffer.Unpooled.EMPTY_BUFFER));
        }
    }

    private static Reply reduce(DnsResponse r) {
        return new Reply(r.code().toString().replaceAll("\\(.*", ""), r.isAuthoritativeAnswer(), r.isTruncated(),
                section(r, DnsSection.ANSWER), section(r, DnsSection.AUTHORITY), section(r, DnsSection.ADDITIONAL), ttls(r));
    }

    private static List<Long> ttls(DnsResponse r) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < r.count(DnsSection.ANSWER); i++) {
            out.add(r.recordAt(DnsSection.ANSWER, i).timeToLive());
        }
        return out;
    }

    private static List<String> section(DnsResponse r, DnsSection s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.count(s); i++) {
            DnsRecord rec = r.recordAt(s, i);
            if (rec.type() == DnsRecordType.OPT) {
                continue;
            }
            out.add(rec.type().name() + " " + value(rec));
        }
        return out;
    }

    /** A: the address; SRV: "port target"; SOA: its primary server; names: the name; others: the record's name. */
    private static String value(DnsRecord rec) {
        if (rec instanceof io.netty.handler.codec.dns.DnsPtrRecord ptr) {
            return ptr.hostname();
        }
        if (!(rec instanceof DnsRawRecord raw)) {
            return rec.name();
        }
        ByteBuf c = raw.content().duplicate();
        if (rec.type() == DnsRecordType.A || rec.type() == DnsRecordType.AAAA) {
            return NetUtil.bytesToIpAddress(ByteBufUtil.getBytes(c));
        }
        if (rec.type() == DnsRecordType.SRV) {
            c.skipBytes(4);
            int port = c.readUnsignedShort();
            return port + " " + DefaultDnsRecordDecoder.decodeName(c);
        }
        if (rec.type() == DnsRecordType.SOA || rec.type() == DnsRecordType.CNAME) {
            return DefaultDnsRecordDecoder.decodeName(c);
        }
        return rec.name();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
