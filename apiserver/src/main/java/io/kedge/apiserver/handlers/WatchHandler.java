package io.kedge.apiserver.handlers;

import io.kedge.api.ApiException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.http.StreamSink;
import io.kedge.apiserver.http.WebSocketUpgrade;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.storage.ResourceCache;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * WATCH over a chunked response or a WebSocket. A watch from no revision or "0" starts with the
 * current objects; {@code sendInitialEvents=true} ends them with an initial-events-end bookmark.
 */
final class WatchHandler {
    private final ApiContext ctx;

    WatchHandler(ApiContext ctx) {
        this.ctx = ctx;
    }

    void watch(HttpExchange ex, ResourceType t, RequestInfo info) {
        ListOptions opts = ListOptions.from(ex, t, info.namespace());
        ResponseFormat format = ResponseFormat.of(ex.header("Accept"));
        long rv = opts.revision();
        boolean initialEvents = Boolean.TRUE.equals(opts.sendInitialEvents());
        if (opts.sendInitialEvents() != null) {
            if (!"NotOlderThan".equals(opts.resourceVersionMatch())) {
                throw ApiException.of(422, "Invalid", "sendInitialEvents requires resourceVersionMatch=NotOlderThan");
            }
            if (!initialEvents && rv < 0) {
                throw ApiException.of(422, "Invalid", "sendInitialEvents=false needs a resourceVersion to start from");
            }
        }
        if (info.name() != null) {
            throw ApiException.badRequest("watch of a single object is expressed as fieldSelector=metadata.name=NAME");
        }
        ResourceCache cache = ctx.hub().cacheFor(t);
        long from;
        if (initialEvents || rv <= 0) {
            if (rv < 0 || initialEvents && rv > 0) {
                ctx.hub().waitFor(rv > 0 ? rv : ctx.hub().storeRevision(), ReadHandler.FRESHNESS_TIMEOUT);
            }
            from = -1;
        } else {
            ctx.hub().waitFor(rv, ReadHandler.FRESHNESS_TIMEOUT);
            from = rv;
        }
        StreamSink sink = WebSocketUpgrade.requested(ex)
                ? WebSocketUpgrade.accept(ex, null)
                : ex.startStream("application/json");
        StreamWatcher w = new StreamWatcher(t, opts.filter(), sink, opts.bookmarks(), format == ResponseFormat.TABLE,
                ex.param("includeObject"), ctx.clock());
        String resource = t.groupResource();
        ctx.metrics().watchOpened(resource);
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                cache.unwatch(w);
                ctx.metrics().watchClosed(resource);
                sink.close();
            }
        };
        sink.channel().closeFuture().addListener(f -> end.run());
        if (opts.timeoutSeconds() != null && opts.timeoutSeconds() > 0) {
            sink.channel().eventLoop().schedule(end, opts.timeoutSeconds(), TimeUnit.SECONDS);
        }
        if (!cache.watch(w, from, ctx.hub().revision(), initialEvents)) {
            end.run();
        }
    }
}
