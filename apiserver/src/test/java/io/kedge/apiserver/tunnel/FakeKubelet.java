package io.kedge.apiserver.tunnel;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A kubelet API in miniature for the server's tests, with a serving certificate of its own CA (as a
 * node signs its own) and the cluster CA's client certificates required. Logs echo the path they were
 * asked for; {@code /exec} switches protocols and echoes bytes; {@code /stats/summary} answers JSON.
 */
final class FakeKubelet implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;
    volatile String lastClientSubject;

    FakeKubelet(CertificateAuthority clusterCa) throws Exception {
        CertificateAuthority nodeOwn = CertificateAuthority.create("edge-1-self");
        IssuedCertificate serving = nodeOwn.issueServing("edge-1", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        SslContext tls = SslContextBuilder.forServer(serving.key(), serving.certificate())
                .trustManager(clusterCa.certificate()).clientAuth(ClientAuth.REQUIRE).build();
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("api", new Api());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    private final class Api extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            lastClientSubject = ((X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                    .getPeerCertificates()[0]).getSubjectX500Principal().getName();
            String uri = req.uri();
            if (uri.startsWith("/containerLogs/default/web/sidecar")) {
                text(ctx, HttpResponseStatus.NOT_FOUND, "container \"sidecar\" has no log yet\n");
            } else if (uri.startsWith("/containerLogs/")) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                HttpUtil.setTransferEncodingChunked(head, true);
                ctx.write(head);
                for (int i = 1; i <= 3; i++) {
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("line " + i + " of " + uri + "\n",
                            StandardCharsets.UTF_8)));
                }
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            } else if (uri.startsWith("/exec/")) {
                HttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
                switching.headers().set(HttpHeaderNames.CONNECTION, "Upgrade")
                        .set(HttpHeaderNames.UPGRADE, req.headers().get(HttpHeaderNames.UPGRADE))
                        .set("X-Stream-Protocol-Version", "v4.channel.k8s.io");
                ctx.write(switching);
                ctx.pipeline().remove("aggregate");
                ctx.pipeline().remove("http");
                ctx.pipeline().addLast("echo", new Echo());
                ctx.pipeline().remove(this);
                // sent in the same flush as the 101: the server must not lose bytes that follow it
                ctx.channel().writeAndFlush(Unpooled.copiedBuffer("ready " + uri + "\n", StandardCharsets.UTF_8));
            } else if (uri.equals("/stats/summary")) {
                byte[] body = "{\"node\":{\"nodeName\":\"edge-1\"}}".getBytes(StandardCharsets.UTF_8);
                var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                text(ctx, HttpResponseStatus.NOT_FOUND, "no such kubelet API path: " + uri + "\n");
            }
        }

        private void text(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
            var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            ctx.writeAndFlush(msg.retain());
        }
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
