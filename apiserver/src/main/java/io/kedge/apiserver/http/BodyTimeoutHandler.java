package io.kedge.apiserver.http;

import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client that starts a request body and never finishes it gets a 408 and a closed connection,
 * so that it holds neither a connection nor buffered memory for long.
 */
final class BodyTimeoutHandler extends ChannelDuplexHandler {
    private final long timeoutSeconds;
    private ScheduledFuture<?> timeout;

    BodyTimeoutHandler(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && !(msg instanceof LastHttpContent)) {
            cancel();
            timeout = ctx.executor().schedule(() -> expire(ctx), timeoutSeconds, TimeUnit.SECONDS);
        }
        if (msg instanceof LastHttpContent) {
            cancel();
        }
        ctx.fireChannelRead(msg);
    }

    private void expire(ChannelHandlerContext ctx) {
        byte[] body = Json.bytes(ApiException.of(408, "Timeout",
                "the request body did not arrive within " + timeoutSeconds + "s").toStatus());
        var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        r.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
