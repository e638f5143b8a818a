package io.kedge.apiserver.http;

import io.kedge.api.ApiException;
import io.kedge.apiserver.auth.Authenticator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an aggregated request into an {@link HttpExchange}, authenticates it, and hands it to the
 * router on a worker thread, since handlers block on the store.
 */
@ChannelHandler.Sharable
public final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
    private final Authenticator authenticator;
    private AuditLog audit;
    private final ExecutorService workers;
    private final Consumer<HttpExchange> router;
    private final RequestMetrics metrics;

    public RequestHandler(Authenticator authenticator, ExecutorService workers, Consumer<HttpExchange> router,
                          RequestMetrics metrics) {
        this.authenticator = authenticator;
        this.workers = workers;
        this.router = router;
        this.metrics = metrics;
    }

    /** Writes every request to {@code log} once it is answered. */
    public RequestHandler audited(AuditLog log) {
        this.audit = log;
        return this;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        byte[] body = ByteBufUtil.getBytes(req.content());
        HttpExchange ex = new HttpExchange(ctx.channel(), req.method(), req.uri(), req.headers(), body,
                HttpUtil.isKeepAlive(req), metrics.sample());
        if (audit != null) {
            ex.sample().onFinish(code -> audit.record(ex, code));
        }
        if (!req.decoderResult().isSuccess()) {
            ex.respondError(ApiException.badRequest("malformed HTTP request: " + req.decoderResult().cause()));
            return;
        }
        Authenticator.Result auth = authenticator.authenticate(session(ctx.channel()),
                req.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (auth.failure() != null) {
            // what failed is for the server's log: a client probing tokens learns nothing
            LOG.debug("401 for {} {}: {}", req.method(), ex.path(), auth.failure());
            ex.respondError(ApiException.unauthorized("Unauthorized"));
            return;
        }
        ex.user(auth.user());
        try {
            workers.execute(() -> {
                try {
                    router.accept(ex);
                } catch (ApiException e) {
                    ex.respondError(e);
                } catch (RuntimeException | Error e) {
                    // a bug must cost one request a 500, never a connection left waiting
                    LOG.error("request {} {} failed", ex.method(), ex.path(), e);
                    ex.respondError(ApiException.internal("internal error: " + e));
                }
            });
        } catch (RejectedExecutionException busy) {
            ex.respondError(ApiException.tooManyRequests("the server has too many requests in flight, retry later", 1));
        }
    }

    static SSLSession session(Channel ch) {
        for (Channel c = ch; c != null; c = c.parent()) {
            SslHandler ssl = c.pipeline().get(SslHandler.class);
            if (ssl != null) {
                return ssl.engine().getSession();
            }
        }
        return null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
