package io.kedge.kubelet.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.function.Supplier;

/** TLS, HTTP/1.1 (the stream upgrades need it), small bodies, then the router. */
final class KubeletApiInitializer extends ChannelInitializer<SocketChannel> {
    static final List<String> HTTP_HANDLERS = List.of("http", "aggregate", "request");
    private static final int MAX_BODY_BYTES = 64 * 1024;

    /** Read per connection, so that a rotated serving certificate serves the next one. */
    private final Supplier<SslContext> ssl;
    private final ChannelHandler router;

    KubeletApiInitializer(Supplier<SslContext> ssl, ChannelHandler router) {
        this.ssl = ssl;
        this.router = router;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("tls", ssl.get().newHandler(ch.alloc()));
        ch.pipeline().addLast("http", new HttpServerCodec());
        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES));
        ch.pipeline().addLast("request", router);
    }
}
