package io.kedge.apiserver.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;

/**
 * TLS first, then HTTP/2 or HTTP/1.1 as ALPN decides. Both end in the same small handlers, so a
 * request looks the same to the router whichever protocol carried it.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    private static final int MAX_URL_BYTES = 64 * 1024;

    private final SslContext ssl;
    private final ChannelHandler requestHandler;
    private final long bodyTimeoutSeconds;

    public ServerInitializer(SslContext ssl, ChannelHandler requestHandler, long bodyTimeoutSeconds) {
        this.ssl = ssl;
        this.requestHandler = requestHandler;
        this.bodyTimeoutSeconds = bodyTimeoutSeconds;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
        ch.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    configureHttp2(ctx.pipeline());
                } else {
                    configureHttp1(ctx.pipeline());
                }
            }
        });
    }

    private void configureHttp1(ChannelPipeline p) {
        p.addLast("http1", new HttpServerCodec(MAX_URL_BYTES, 64 * 1024, 64 * 1024));
        addRequestHandlers(p);
    }

    private void configureHttp2(ChannelPipeline p) {
        p.addLast("http2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(2000).maxHeaderListSize(MAX_URL_BYTES * 2L))
                .build());
        p.addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("h2-to-http", new Http2StreamFrameToHttpObjectCodec(true));
                addRequestHandlers(stream.pipeline());
            }
        }));
    }

    private void addRequestHandlers(ChannelPipeline p) {
        p.addLast("body-timeout", new BodyTimeoutHandler(bodyTimeoutSeconds));
        p.addLast("aggregate", new LimitedAggregator(MAX_BODY_BYTES));
        p.addLast("request", requestHandler);
    }
}
