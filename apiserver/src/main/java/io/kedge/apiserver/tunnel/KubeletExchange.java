package io.kedge.apiserver.tunnel;

import io.kedge.api.ApiException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.ProtocolSwitch;
import io.kedge.tunnel.Relay;
import io.kedge.tunnel.StreamChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to a kubelet over a tunnel stream (TLS and HTTP/1.1 run on the stream), and its answer
 * back to the API client: streamed as it comes for logs and proxied paths, a {@code Status} for a
 * kubelet's error, or, after the kubelet's {@code 101}, raw bytes both ways for exec, attach and
 * port-forward. The stream reads only as fast as the client takes the response.
 */
final class KubeletExchange extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletExchange.class);
    static final long ANSWER_TIMEOUT_SECONDS = 60;
    private static final int MAX_ERROR_BYTES = 16 * 1024;

    /** How a kubelet's non-success answer reaches the client. */
    enum Errors { AS_STATUS, AS_IS }

    private final HttpExchange ex;
    private final FullHttpRequest request;
    private final String node;
    private final Errors errors;
    private final boolean upgrade;
    private final AtomicInteger inFlight = new AtomicInteger();
    private ScheduledFuture<?> answerTimeout;
    private HttpResponse errorHead;
    private ByteBuf errorBody;
    private boolean streaming;
    private boolean finished;
    /** After the kubelet's 101: what it sent before the client was ready, and how far the client is. */
    private boolean relaying;
    private boolean clientReady;
    private boolean streamEnded;
    private final java.util.ArrayDeque<Object> early = new java.util.ArrayDeque<>();
    private String failure;

    KubeletExchange(HttpExchange ex, FullHttpRequest request, String node, Errors errors, boolean upgrade) {
        this.ex = ex;
        this.request = request;
        this.node = node;
        this.errors = errors;
        this.upgrade = upgrade;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(request);
        answerTimeout = ctx.executor().schedule(() -> {
            failure = "the kubelet of node " + node + " did not answer within " + ANSWER_TIMEOUT_SECONDS + "s";
            ctx.close();
        }, ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (relaying) {
                holdEarly(msg);
                return;
            }
            if (msg instanceof HttpResponse head) {
                answerTimeout.cancel(false);
                if (upgrade && head.status().code() == 101) {
                    switchToRelay(ctx, head);
                    return;
                }
                if (head.status().code() >= 300 && (errors == Errors.AS_STATUS || upgrade)) {
                    errorHead = head;
                    errorBody = ctx.alloc().buffer();
                } else {
                    ex.startProxiedResponse(head.status().code(), head.headers());
                    streaming = true;
                    ctx.channel().config().setAutoRead(false);
                }
            }
            if (msg instanceof HttpContent content) {
                if (errorHead != null) {
                    collectError(ctx, content);
                } else if (streaming) {
                    forward(ctx, content);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (relaying) {
            return;
        }
        if (streaming && !finished && inFlight.get() == 0) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void forward(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        Object out = last ? new DefaultLastHttpContent(content.content().retain())
                : new DefaultHttpContent(content.content().retain());
        inFlight.incrementAndGet();
        Channel stream = ctx.channel();
        ex.channel().writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            int left = inFlight.decrementAndGet();
            if (!f.isSuccess()) {
                stream.close();
            } else if (left == 0 && !last) {
                stream.read();
            }
        });
        if (last) {
            finished = true;
            if (!ex.keepAlive()) {
                ex.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.close();
        }
    }

    private void collectError(ChannelHandlerContext ctx, HttpContent content) {
        ByteBuf c = content.content();
        errorBody.writeBytes(c, c.readerIndex(), Math.min(c.readableBytes(), MAX_ERROR_BYTES - errorBody.readableBytes()));
        if (content instanceof LastHttpContent) {
            answerError();
            ctx.close();
        }
    }

    private void answerError() {
        if (finished) {
            return;
        }
        finished = true;
        int code = errorHead.status().code();
        String text = errorBody.toString(StandardCharsets.UTF_8).strip();
        String contentType = errorHead.headers().get(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        byte[] body = ByteBufUtil.getBytes(errorBody);
        errorBody.release();
        if (errors == Errors.AS_IS) {
            ex.respond(code, contentType, body, Map.of());
            return;
        }
        if (contentType.startsWith("application/json") && text.contains("\"kind\":\"Status\"")) {
            ex.respond(code, contentType, body, Map.of()); // already a Status
            return;
        }
        if (code == 401 || code == 403) {
            // the kubelet refused the server, not the user: passing 401 on would send the user after their own credentials
            ex.respondError(ApiException.internal("the kubelet of node " + node + " refused the API server's client"
                    + " certificate (" + errorHead.status() + ")" + (text.isEmpty() ? "" : ": " + text)));
            return;
        }
        ex.respondError(ApiException.of(code, reason(code), text.isEmpty()
                ? "the kubelet of node " + node + " answered " + errorHead.status() : text));
    }

    static String reason(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "InternalError";
        };
    }

    /**
     * The kubelet switched protocols: the client gets the same 101, then bytes flow both ways. What
     * the kubelet sends before the client's side is ready waits here, and goes out first; the stream
     * may even have ended by then (a short exec), and the client still gets every byte.
     */
    private void switchToRelay(ChannelHandlerContext ctx, HttpResponse head) {
        finished = true;
        relaying = true;
        Channel stream = ctx.channel();
        stream.config().setAutoRead(false);
        ctx.pipeline().remove("http"); // bytes it holds past the 101 come here, into early
        ex.channel().closeFuture().addListener(f -> stream.eventLoop().execute(() -> {
            if (!clientReady) {
                discardEarly();
                stream.close();
            }
        }));
        ProtocolSwitch.switchProtocols(ex, head.headers(),
                (client, release) -> stream.eventLoop().execute(() -> handOff(ctx, client, release)));
    }

    /** On the stream's event loop, once the client's connection is switched. */
    private void handOff(ChannelHandlerContext ctx, Channel client, Runnable releaseClient) {
        clientReady = true;
        Channel stream = ctx.channel();
        Object m;
        while ((m = early.poll()) != null) {
            client.write(m);
        }
        client.flush();
        if (streamEnded || !stream.isOpen()) {
            client.eventLoop().execute(() -> {
                releaseClient.run();
                client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            });
            return;
        }
        ctx.pipeline().remove(this);
        Relay.attach(stream, client);
        client.eventLoop().execute(() -> {
            Relay.attach(client, stream);
            releaseClient.run();
        });
    }

    private void holdEarly(Object msg) {
        ByteBuf bytes = msg instanceof ByteBuf b ? b : ((io.netty.buffer.ByteBufHolder) msg).content();
        if (bytes.isReadable()) {
            early.add(bytes.retain());
        }
    }

    private void discardEarly() {
        Object m;
        while ((m = early.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (answerTimeout != null) {
            answerTimeout.cancel(false);
        }
        if (relaying) {
            streamEnded = true;
            if (!ex.channel().isActive()) {
                discardEarly();
            }
            ctx.fireChannelInactive();
            return;
        }
        if (errorHead != null && !finished) {
            answerError();
        } else if (!finished && !streaming) {
            String why = failure != null ? failure : ((StreamChannel) ctx.channel()).endReason();
            ex.respondError(ApiException.of(503, "ServiceUnavailable", "the kubelet of node " + node
                    + " did not answer through the tunnel: " + (why == null ? "the stream closed" : why)));
        } else if (streaming && !finished) {
            // cut mid-answer: ending the response cleanly would look like a complete log to the client
            LOG.debug("stream to the kubelet of {} ended mid-response: {}", node, ((StreamChannel) ctx.channel()).endReason());
            ex.channel().close();
        }
        if (errorBody != null && errorBody.refCnt() > 0) {
            errorBody.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause.getCause() != null ? cause.getCause() : cause;
        if (failure == null) {
            failure = "talking to the kubelet of node " + node + " failed: " + (c.getMessage() == null ? c : c.getMessage());
        }
        LOG.debug("kubelet exchange with {} failed", node, cause);
        ctx.close();
    }
}
