package io.kedge.netproxy.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fake upstream resolver for tests and benchmarks, on 127.0.0.1 (UDP and TCP, one port): every A
 * question gets 192.0.2.1, except {@code big.example.}, which over UDP only gets a truncated answer
 * and over TCP gets 192.0.2.2. It records the names it was asked.
 */
final class FakeUpstreamDns implements AutoCloseable {
    static final String TRUNCATED_OVER_UDP = "big.example.";

    final List<String> asked = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel udp;
    private final Channel tcp;

    FakeUpstreamDns() throws InterruptedException {
        Handler handler = new Handler();
        // UDP on a free port, then TCP on the same one; another process may hold that TCP port, so try again
        for (int attempt = 0; ; attempt++) {
            Channel u = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel ch) {
                    ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), handler);
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            var t = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), handler);
                }
            }).bind(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) u.localAddress()).getPort())).await();
            if (t.isSuccess()) {
                udp = u;
                tcp = t.channel();
                return;
            }
            u.close().sync();
            if (attempt == 10) {
                throw new IllegalStateException("no port free for both UDP and TCP", t.cause());
            }
        }
    }

    int port() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<DnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
            DnsQuestion question = q.recordAt(DnsSection.QUESTION);
            asked.add(question.name());
            boolean overUdp = q instanceof DatagramDnsQuery;
            DnsResponse r = overUdp
                    ? new DatagramDnsResponse(((DatagramDnsQuery) q).recipient(), ((DatagramDnsQuery) q).sender(), q.id(),
                            DnsOpCode.QUERY, DnsResponseCode.NOERROR)
                    : new DefaultDnsResponse(q.id(), DnsOpCode.QUERY, DnsResponseCode.NOERROR);
            r.setRecursionAvailable(true);
            r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            boolean big = question.name().equals(TRUNCATED_OVER_UDP);
            if (big && overUdp) {
                r.setTruncated(true);
            } else if (question.type() == DnsRecordType.A) {
                r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 60,
                        Unpooled.wrappedBuffer(new byte[] {(byte) 192, 0, 2, (byte) (big ? 2 : 1)})));
            }
            ctx.writeAndFlush(r);
        }
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
