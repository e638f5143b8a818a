package io.kedge.kubelet.server;

import io.kedge.tunnel.Relay;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;

/**
 * Hands an upgrade request (SPDY or WebSocket exec, attach, port-forward) to the runtime's
 * streaming server: the same request, with the runtime's path, then raw bytes both ways. The
 * protocol spoken after the upgrade is the client's and the runtime's business, not ours.
 */
final class StreamProxy {
    private StreamProxy() {}

    static void proxy(ChannelHandlerContext client, FullHttpRequest request, URI target) {
        Channel inbound = client.channel();
        inbound.config().setAutoRead(false);
        int port = target.getPort() > 0 ? target.getPort() : 80;
        Bootstrap bootstrap = new Bootstrap()
                .group(inbound.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("encode", new HttpRequestEncoder());
                    }
                });
        FullHttpRequest forwarded = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        forwarded.headers().set(request.headers());
        forwarded.headers().set(HttpHeaderNames.HOST, target.getHost() + ":" + port);
        ChannelFuture connect = bootstrap.connect(target.getHost(), port);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                KubeletResponses.error(client, HttpResponseStatus.BAD_GATEWAY,
                        "the container runtime's streaming server at " + target.getHost() + ":" + port
                                + " is unreachable: " + f.cause().getMessage());
                inbound.config().setAutoRead(true);
                return;
            }
            Channel outbound = connect.channel();
            outbound.writeAndFlush(forwarded).addListener(w -> {
                if (!w.isSuccess()) {
                    outbound.close();
                    inbound.close();
                    return;
                }
                outbound.pipeline().remove("encode");
                Relay.attach(outbound, inbound);
                // the relay goes in before the HTTP handlers come out, so any bytes they still hold reach it
                Relay.attach(inbound, outbound);
                ChannelPipeline p = inbound.pipeline();
                for (String name : KubeletApiInitializer.HTTP_HANDLERS) {
                    if (p.get(name) != null) {
                        p.remove(name);
                    }
                }
            });
        });
    }
}
