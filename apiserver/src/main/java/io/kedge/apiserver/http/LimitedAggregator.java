package io.kedge.apiserver.http;

import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Collects a request body up to the limit; anything larger gets a 413 Status and the connection closes. */
final class LimitedAggregator extends HttpObjectAggregator {
    private final int limit;

    LimitedAggregator(int limit) {
        super(limit);
        this.limit = limit;
    }

    /** A client that asked {@code Expect: 100-continue} for a body over the limit gets the same Status. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, io.netty.channel.ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof io.netty.handler.codec.http.HttpResponse r
                && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            io.netty.util.ReferenceCountUtil.release(answer);
            return tooLarge();
        }
        return answer;
    }

    private DefaultFullHttpResponse tooLarge() {
        byte[] body = Json.bytes(ApiException.tooLarge("the request body is larger than the limit of "
                + limit + " bytes").toStatus());
        var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        var r = tooLarge();
        if (ctx.channel() instanceof io.netty.handler.codec.http2.Http2StreamChannel
                || io.netty.handler.codec.http.HttpUtil.isKeepAlive(oversized)) {
            // the rest of the body is read and discarded (the body timeout bounds how long); closing now would
            // reset the connection and lose this answer in a client that is still sending
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
