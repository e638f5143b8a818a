package io.kedge.hub;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet end of an exec, for tests: it switches protocols on any request, says which path it
 * was asked for in its first line, and then sends back every byte it receives.
 */
final class EchoKubelet implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    EchoKubelet(CertificateAuthority clusterCa) throws Exception {
        IssuedCertificate serving = CertificateAuthority.create("echo-kubelet-self")
                .issueServing("echo-kubelet", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        SslContext tls = SslContextBuilder.forServer(serving.key(), serving.certificate())
                .trustManager(clusterCa.certificate()).clientAuth(ClientAuth.REQUIRE).build();
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("switch", new Switch());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    private static final class Switch extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            var switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
            switching.headers().set(HttpHeaderNames.CONNECTION, "Upgrade")
                    .set(HttpHeaderNames.UPGRADE, request.headers().get(HttpHeaderNames.UPGRADE))
                    .set("X-Stream-Protocol-Version", "v4.channel.k8s.io");
            String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
            if (key != null) {
                switching.headers().set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, accept(key));
            }
            ctx.write(switching);
            ctx.pipeline().remove("aggregate");
            ctx.pipeline().remove("http");
            ctx.pipeline().replace(this, "echo", new Echo());
            // in the same flush as the 101: bytes right behind it must survive each hop's switch
            ctx.channel().writeAndFlush(Unpooled.copiedBuffer("ready " + request.uri() + "\n", StandardCharsets.UTF_8));
        }
    }

    /** The handshake's proof that the key was read (RFC 6455 section 4.2.2); clients' HTTP codecs expect it on a WebSocket 101. */
    private static String accept(String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return java.util.Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
            ctx.writeAndFlush(bytes.retain());
        }
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
