package io.kedge.tunnel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's side of the HTTP/1.1 upgrade: sends the connect request, and on {@code 101} swaps the
 * HTTP handlers for the tunnel's. Any other answer ends the attempt with the server's words.
 */
final class UpgradeHandshake extends ChannelInboundHandlerAdapter {
    static final String[] HTTP_HANDLERS = {"handshake", "aggregate", "http"};
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_REASON_CHARS = 512;

    private final TunnelClientConfig config;
    private final StreamAcceptor acceptor;
    private final Consumer<TunnelSession> connected;
    private final Consumer<String> failed;
    private ScheduledFuture<?> timeout;
    private boolean done;

    UpgradeHandshake(TunnelClientConfig config, StreamAcceptor acceptor, Consumer<TunnelSession> connected,
                     Consumer<String> failed) {
        this.config = config;
        this.acceptor = acceptor;
        this.connected = connected;
        this.failed = failed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                TunnelProtocol.connectPath(config.nodeName()));
        req.headers().set(HttpHeaderNames.HOST, config.server().getHost() + ":" + config.port());
        req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        req.headers().set(HttpHeaderNames.UPGRADE, TunnelProtocol.UPGRADE);
        req.headers().set(TunnelProtocol.VERSION_HEADER, TunnelProtocol.VERSION);
        req.headers().set(HttpHeaderNames.USER_AGENT, "kedge-agent-tunnel/" + TunnelProtocol.VERSION);
        ctx.writeAndFlush(req);
        timeout = ctx.executor().schedule(() -> fail(ctx, "no answer to the upgrade request within "
                + TIMEOUT_SECONDS + "s"), TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpResponse res)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (res.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                    && TunnelProtocol.UPGRADE.equalsIgnoreCase(res.headers().get(HttpHeaderNames.UPGRADE))) {
                upgraded(ctx);
            } else {
                String body = res.content().toString(StandardCharsets.UTF_8);
                fail(ctx, "the server refused the tunnel: " + res.status()
                        + (body.isBlank() ? "" : ": " + shorten(body.strip())));
            }
        } finally {
            res.release();
        }
    }

    private void upgraded(ChannelHandlerContext ctx) {
        cancelTimeout();
        done = true;
        ChannelPipeline p = ctx.pipeline();
        String server = config.server().getHost() + ":" + config.port();
        TunnelSession session = TunnelProtocol.installAgent(p, server, acceptor, config.settings());
        // the HTTP codec goes last: bytes it still holds pass on to the frame decoder
        for (String name : HTTP_HANDLERS) {
            p.remove(name);
        }
        connected.accept(session);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "the server closed the connection before the upgrade");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause.getCause() != null && cause instanceof io.netty.handler.codec.DecoderException
                ? cause.getCause() : cause;
        fail(ctx, c.getMessage() == null ? c.toString() : c.getMessage());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        cancelTimeout();
        if (!done) {
            done = true;
            failed.accept(reason);
        }
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private static String shorten(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "...";
    }
}
