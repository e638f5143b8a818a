package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer side of one local request: either one whole response, or a stream (a watch) of
 * chunks. Methods may be called from any thread.
 */
final class Exchange {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "content-length",
            "te", "trailer", "upgrade", "proxy-connection", ":status");

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    /** The request, when it asks for a WebSocket (fabric8 watches over one): the stream is then sent as text messages. */
    private final FullHttpRequest websocket;
    private final AtomicBoolean answered = new AtomicBoolean();

    Exchange(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest websocket) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.websocket = websocket;
    }

    void respond(int status, Map<String, List<String>> headers, byte[] body) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        copy(headers, response.headers());
        HttpUtil.setContentLength(response, body.length);
        finish(ctx.writeAndFlush(response));
    }

    void json(int status, JsonNode body) {
        respond(status, Map.of("Content-Type", List.of("application/json")), Json.bytes(body));
    }

    void text(int status, String contentType, String body) {
        respond(status, Map.of("Content-Type", List.of(contentType)), body.getBytes(StandardCharsets.UTF_8));
    }

    void error(ApiException e) {
        json(e.code(), e.toStatus());
    }

    /** Sends the head of a chunked answer, or completes the WebSocket handshake; {@link #chunk} and {@link #end} follow. */
    void startStream(int status, Map<String, List<String>> headers) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        if (websocket != null) {
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://" + websocket.headers().get("Host")
                    + websocket.uri(), null, true, 16 * 1024 * 1024).newHandshaker(websocket);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            handshaker.handshake(ctx.channel(), websocket).syncUninterruptibly();
            ctx.pipeline().addLast(new ControlFrames(handshaker));
            ctx.channel().config().setAutoRead(true);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        copy(headers, response.headers());
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        // reading on lets the hub see a client that hangs up in the middle of a stream
        ctx.writeAndFlush(response).addListener(f -> ctx.channel().config().setAutoRead(true));
    }

    /** One piece of the stream; on a WebSocket, one watch event (a line) is one text message. */
    ChannelFuture chunk(byte[] bytes) {
        if (websocket != null) {
            int n = bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
            return ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes, 0, n)));
        }
        return ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
    }

    void end() {
        if (websocket != null) {
            ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    /** The connection itself, for an answer that switches it to another protocol and is written on it directly. */
    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    boolean open() {
        return ctx.channel().isActive();
    }

    boolean answered() {
        return answered.get();
    }

    /** Runs when the client goes away (or the stream ends and the connection closes). */
    void onClose(Runnable action) {
        ctx.channel().closeFuture().addListener(f -> action.run());
    }

    private void finish(ChannelFuture written) {
        if (keepAlive) {
            written.addListener(f -> ctx.channel().config().setAutoRead(true));
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Answers pings and closes; what the client sends on a watch is otherwise ignored. */
    private static final class ControlFrames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WebSocketServerHandshaker handshaker;

        ControlFrames(WebSocketServerHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain()).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static void copy(Map<String, List<String>> from, HttpHeaders to) {
        for (Map.Entry<String, List<String>> h : from.entrySet()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                to.add(h.getKey(), h.getValue());
            }
        }
    }
}
