package io.kedge.kubelet.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Whole responses: text for errors and probes, JSON for stats. */
final class KubeletResponses {
    private KubeletResponses() {}

    static void text(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        send(ctx, status, body.getBytes(StandardCharsets.UTF_8), HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");
    }

    static void json(ChannelHandlerContext ctx, byte[] body) {
        send(ctx, HttpResponseStatus.OK, body, HttpHeaderValues.APPLICATION_JSON.toString());
    }

    static void prometheus(ChannelHandlerContext ctx, String body) {
        send(ctx, HttpResponseStatus.OK, body.getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8");
    }

    static void error(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        text(ctx, status, message + "\n");
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        // a stream that failed before its upgrade cannot carry another request
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
