package io.kedge.netproxy.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends a query the node DNS does not answer itself to the node's resolvers, in turn until one
 * answers, and hands back that answer's bytes untouched (so that compressed names in it stay valid).
 * Every exchange uses a fresh socket, so a random source port besides a random ID; a truncated UDP
 * answer is asked again over TCP when the client came over TCP.
 */
final class Forwarder {
    private static final int HEADER = 12;

    private final UpstreamServers servers;
    private final long timeoutMillis;

    Forwarder(UpstreamServers servers, Duration timeout) {
        this.servers = servers;
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * The upstream answer with the query's ID in it; fails when no resolver answered. The query's
     * question and EDNS record are copied before this returns, so the caller may release it.
     */
    Future<ByteBuf> forward(EventLoop loop, DnsQuery query, boolean clientOverTcp) {
        Promise<ByteBuf> result = loop.newPromise();
        Exchange exchange = new Exchange(loop, query, clientOverTcp, servers.current(), result);
        exchange.attempt(0);
        return result;
    }

    private final class Exchange {
        private final EventLoop loop;
        private final int clientId;
        private final boolean recursionDesired;
        private final DnsQuestion question;
        private final List<DnsRecord> edns;
        private final boolean clientOverTcp;
        private final List<InetSocketAddress> upstream;
        private final Promise<ByteBuf> result;

        Exchange(EventLoop loop, DnsQuery query, boolean clientOverTcp, List<InetSocketAddress> upstream, Promise<ByteBuf> result) {
            this.loop = loop;
            this.clientId = query.id();
            this.recursionDesired = query.isRecursionDesired();
            this.question = query.recordAt(DnsSection.QUESTION);
            List<DnsRecord> opt = new ArrayList<>();
            for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
                DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
                if (r.type() == DnsRecordType.OPT && r instanceof DnsRawRecord raw) {
                    // heap copies, not pooled: they outlive the client's query and need no release
                    opt.add(new DefaultDnsRawRecord(raw.name(), raw.type(), raw.dnsClass(), raw.timeToLive(),
                            Unpooled.copiedBuffer(raw.content())));
                }
            }
            this.edns = opt;
            this.clientOverTcp = clientOverTcp;
            this.upstream = upstream;
            this.result = result;
        }

        void attempt(int index) {
            if (index >= upstream.size()) {
                result.tryFailure(new IOException(upstream.isEmpty() ? "no upstream resolvers configured"
                        : "no upstream resolver of " + upstream + " answered"));
                return;
            }
            InetSocketAddress server = upstream.get(index);
            overUdp(server).addListener((Future<ByteBuf> f) -> {
                if (!f.isSuccess()) {
                    attempt(index + 1);
                } else if (clientOverTcp && truncated(f.getNow())) {
                    f.getNow().release();
                    overTcp(server).addListener((Future<ByteBuf> t) -> {
                        if (t.isSuccess()) {
                            succeed(t.getNow());
                        } else {
                            attempt(index + 1);
                        }
                    });
                } else {
                    succeed(f.getNow());
                }
            });
        }

        private void succeed(ByteBuf answer) {
            answer.setShort(0, clientId);
            if (!result.trySuccess(answer)) {
                answer.release();
            }
        }

        private Future<ByteBuf> overUdp(InetSocketAddress server) {
            Promise<ByteBuf> p = loop.newPromise();
            int id = ThreadLocalRandom.current().nextInt(0x10000);
            Bootstrap b = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new SimpleChannelInboundHandler<DatagramPacket>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                                    ByteBuf content = packet.content();
                                    if (packet.sender().equals(server) && isAnswerTo(content, id)) {
                                        deliver(p, content);
                                    }
                                }
                            });
                        }
                    });
            ChannelFuture bound = b.bind(0);
            bound.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    p.tryFailure(f.cause());
                    return;
                }
                DatagramDnsQuery q = new DatagramDnsQuery(null, server, id);
                fill(q);
                f.channel().writeAndFlush(q).addListener(w -> {
                    if (!w.isSuccess()) {
                        p.tryFailure(w.cause());
                    }
                });
            });
            return closeWhenDone(bound.channel(), p);
        }

        private Future<ByteBuf> overTcp(InetSocketAddress server) {
            Promise<ByteBuf> p = loop.newPromise();
            int id = ThreadLocalRandom.current().nextInt(0x10000);
            Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new TcpDnsQueryEncoder(), new LengthFieldBasedFrameDecoder(0xFFFF, 0, 2, 0, 2),
                                    new SimpleChannelInboundHandler<ByteBuf>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                            if (isAnswerTo(frame, id)) {
                                                deliver(p, frame);
                                            }
                                        }
                                    });
                        }
                    });
            ChannelFuture connected = b.connect(server);
            connected.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    p.tryFailure(f.cause());
                    return;
                }
                DefaultDnsQuery q = new DefaultDnsQuery(id);
                fill(q);
                f.channel().writeAndFlush(q);
            });
            return closeWhenDone(connected.channel(), p);
        }

        private void fill(DnsQuery q) {
            q.setRecursionDesired(recursionDesired);
            q.addRecord(DnsSection.QUESTION, question);
            for (DnsRecord r : edns) {
                q.addRecord(DnsSection.ADDITIONAL, ((DnsRawRecord) r).retainedDuplicate());
            }
        }

        private Future<ByteBuf> closeWhenDone(Channel ch, Promise<ByteBuf> p) {
            var timer = loop.schedule(() -> p.tryFailure(new IOException("upstream timed out")), timeoutMillis, TimeUnit.MILLISECONDS);
            p.addListener(f -> {
                timer.cancel(false);
                ch.close();
            });
            return p;
        }
    }

    private static void deliver(Promise<ByteBuf> p, ByteBuf answer) {
        if (!p.trySuccess(answer.retain())) {
            answer.release();
        }
    }

    private static boolean isAnswerTo(ByteBuf message, int id) {
        return message.readableBytes() >= HEADER && message.getUnsignedShort(0) == id && (message.getByte(2) & 0x80) != 0;
    }

    private static boolean truncated(ByteBuf message) {
        return (message.getByte(2) & 0x02) != 0;
    }
}
