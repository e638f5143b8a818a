package io.kedge.tunnel;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server's end of the upgrade in miniature, for client tests: TLS with client certificates from
 * a test CA, then {@code 101} and a server session, or a refusal when told to refuse.
 */
final class TestTunnelServer implements AutoCloseable {
    /** One accepted tunnel: its session and the certificate the agent presented. */
    record Accepted(TunnelSession session, X509Certificate peerCertificate) {}

    final BlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    volatile HttpResponseStatus refuseWith;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    TestTunnelServer(CertificateAuthority ca, int port, TunnelSettings settings) throws Exception {
        IssuedCertificate serving = ca.issueServing("tunnel-test", List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(1));
        SslContext tls = SslContextBuilder.forServer(serving.key(), serving.certificate())
                .trustManager(ca.certificate()).clientAuth(ClientAuth.REQUIRE).build();
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(4096));
                        ch.pipeline().addLast("upgrade", new Upgrade(settings));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort());
    }

    private final class Upgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final TunnelSettings settings;

        Upgrade(TunnelSettings settings) {
            this.settings = settings;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            HttpResponseStatus refuse = refuseWith;
            if (refuse != null) {
                var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refuse,
                        Unpooled.copiedBuffer("{\"message\":\"not today\"}", StandardCharsets.UTF_8));
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String node = TunnelProtocol.nodeOfConnectPath(req.uri()).orElseThrow();
            var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
            r.headers().set(HttpHeaderNames.CONNECTION, "Upgrade").set(HttpHeaderNames.UPGRADE, TunnelProtocol.UPGRADE);
            ctx.writeAndFlush(r);
            X509Certificate peer = (X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                    .getPeerCertificates()[0];
            ChannelPipeline p = ctx.pipeline();
            TunnelSession session = TunnelProtocol.installServer(p, node, settings);
            p.remove("upgrade");
            p.remove("aggregate");
            p.remove("http");
            accepted.add(new Accepted(session, peer));
        }
    }

    Accepted next() throws InterruptedException {
        Accepted a = accepted.poll(30, TimeUnit.SECONDS);
        if (a == null) {
            throw new AssertionError("no tunnel arrived within 30s");
        }
        return a;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
