package io.kedge.apiserver.http;

import io.kedge.api.ApiException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/** Upgrades an HTTP/1.1 request to a WebSocket, for clients (fabric8) that watch over one. */
public final class WebSocketUpgrade {
    private WebSocketUpgrade() {}

    public static boolean requested(HttpExchange ex) {
        String upgrade = ex.header(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** Completes the handshake; the returned sink writes text messages on the upgraded connection. */
    public static WebSocketSink accept(HttpExchange ex, String subprotocols) {
        Channel ch = ex.channel();
        if (ch instanceof io.netty.handler.codec.http2.Http2StreamChannel) {
            // fabric8 falls back to a plain HTTP watch on 503
            throw ApiException.unavailable("WebSocket upgrades need HTTP/1.1; watch over HTTP instead");
        }
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, ex.method(), ex.path(), Unpooled.EMPTY_BUFFER);
        req.headers().set(ex.headers());
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory("wss://" + ex.header(HttpHeaderNames.HOST)
                + ex.path(), subprotocols, true, 1024 * 1024).newHandshaker(req);
        if (hs == null) {
            throw ApiException.badRequest("unsupported WebSocket version");
        }
        ex.markAnswered(101);
        hs.handshake(ch, req).syncUninterruptibly();
        ch.pipeline().addLast("ws-control", new ControlFrames(hs));
        return new WebSocketSink(ch);
    }

    /** Answers pings and closes; the server ignores data the client sends on a watch. */
    private static final class ControlFrames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WebSocketServerHandshaker hs;

        ControlFrames(WebSocketServerHandshaker hs) {
            this.hs = hs;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                hs.close(ctx.channel(), close.retain()).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
