package io.kedge.hub;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-lived answers: a watch is relayed from the cloud line by line, each event also recorded in
 * the cache; without the cloud it is served locally, from the cache and the hub's own changes.
 * Followed logs are relayed as they come, and need the cloud.
 */
final class WatchRelay {
    private static final Logger LOG = LoggerFactory.getLogger(WatchRelay.class);

    private final CloudClient cloud;
    private final CloudHealth health;
    private final HubStore store;
    private final Watches watches;
    private final Runnable cloudSuspect;
    private final SliceTopology slices;

    WatchRelay(CloudClient cloud, CloudHealth health, HubStore store, Watches watches, Runnable cloudSuspect,
               SliceTopology slices) {
        this.slices = slices;
        this.cloud = cloud;
        this.health = health;
        this.store = store;
        this.watches = watches;
        this.cloudSuspect = cloudSuspect;
    }

    void stream(HubRequest request, ApiPath path, Exchange exchange) {
        boolean watch = path.isWatch() && path.isResource();
        ListShape shape = watch ? ListShape.of(path) : null;
        if (!health.healthy()) {
            if (watch) {
                localWatch(request, path, shape, exchange);
            } else {
                exchange.error(ApiHandler.unreachable(health, "streams other than watches need the cloud"));
            }
            return;
        }
        WatchKey key = watch && watches.shared().enabled() ? WatchKey.of(request, path) : null;
        if (key != null) {
            sharedWatch(request, path, shape, key, exchange);
            return;
        }
        ClientWatch clientWatch = watch ? newWatch(exchange, shape, request, ClientWatch.Mode.UPSTREAM) : null;
        if (clientWatch != null) {
            watches.add(clientWatch);
        }
        UpstreamLines lines = new UpstreamLines(store, exchange, clientWatch);
        HttpResponse.BodyHandler<Void> handler = info -> {
            lines.cacheable(info.statusCode() == 200);
            exchange.startStream(info.statusCode(), info.headers().map());
            if (info.statusCode() == 200 && clientWatch != null && clientWatch.viewed()) {
                slices.catchUp(clientWatch);
            }
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, "\n");
        };
        CloudRequest upstream = new CloudRequest("GET", request.uri(), ApiHandler.jsonOnly(request.headers()), null, null);
        cloud.stream(upstream, handler).whenComplete((v, error) -> {
            if (clientWatch != null && clientWatch.mode() == ClientWatch.Mode.LOCAL) {
                return; // the cloud was lost meanwhile; the watch goes on with local changes
            }
            if (error == null) {
                endStream(clientWatch, exchange);
            } else if (exchange.answered() && clientWatch != null) {
                // the cloud's stream broke: maybe the link is gone. The watch carries local changes until the next
                // check says the cloud answers, and is closed then, so its client watches the cloud again.
                clientWatch.goLocal();
                cloudSuspect.run();
            } else if (!exchange.answered() && clientWatch != null) {
                // no server could be reached: the watch is served locally
                watches.remove(clientWatch);
                cloudSuspect.run();
                localWatch(request, path, shape, exchange);
            } else if (!exchange.answered()) {
                exchange.error(ApiHandler.unreachable(health, error.getMessage()));
            } else {
                endStream(clientWatch, exchange);
            }
        });
    }

    /**
     * A watch served by a cloud watch shared with identical ones: joined when one open can serve it
     * from its resourceVersion, else opened for it (see {@link SharedWatch}).
     */
    private void sharedWatch(HubRequest request, ApiPath path, ListShape shape, WatchKey key, Exchange exchange) {
        ClientWatch clientWatch = newWatch(exchange, shape, request, ClientWatch.Mode.UPSTREAM);
        String rv = path.param("resourceVersion");
        boolean bookmarks = "true".equals(path.param("allowWatchBookmarks"));
        watches.add(clientWatch);
        endAfterTimeout(clientWatch, path);
        if (watches.shared().join(key, clientWatch, rv, bookmarks)) {
            if (clientWatch.viewed()) {
                slices.catchUp(clientWatch);
            }
            return;
        }
        SharedWatch shared = new SharedWatch(key, store, watches.shared(), clientWatch, rv, bookmarks);
        CloudRequest upstream = new CloudRequest("GET", SharedWatch.upstreamUri(path), ApiHandler.jsonOnly(request.headers()),
                null, null);
        HttpResponse.BodyHandler<Void> handler = shared.handler(() -> {
            if (clientWatch.viewed()) {
                slices.catchUp(clientWatch);
            }
        });
        cloud.stream(upstream, handler).whenComplete((v, error) -> {
            List<ClientWatch> served = shared.ended();
            if (error != null && !exchange.answered()) {
                // no server could be reached: the watch is served locally
                watches.remove(clientWatch);
                cloudSuspect.run();
                localWatch(request, path, shape, exchange);
                return;
            }
            boolean suspect = false;
            for (ClientWatch w : served) {
                if (w.mode() == ClientWatch.Mode.LOCAL) {
                    continue; // the cloud was lost meanwhile; the watch goes on with local changes
                }
                if (error == null) {
                    w.end();
                } else {
                    // as for a watch of its own: the link may be gone, local changes flow until the cloud answers again
                    w.goLocal();
                    suspect = true;
                }
            }
            if (suspect) {
                cloudSuspect.run();
            }
        });
    }

    /** Each client's timeoutSeconds ends its own watch; the shared cloud watch is asked for none. */
    private void endAfterTimeout(ClientWatch watch, ApiPath path) {
        String timeout = path.param("timeoutSeconds");
        if (timeout == null || timeout.isBlank()) {
            return;
        }
        try {
            long seconds = Long.parseLong(timeout.trim());
            if (seconds > 0) {
                watches.shared().after(java.time.Duration.ofSeconds(seconds), watch::end);
            }
        } catch (NumberFormatException e) {
            LOG.debug("timeoutSeconds {} is not a number; the watch has no timeout", timeout);
        }
    }

    private static void endStream(ClientWatch watch, Exchange exchange) {
        if (watch != null) {
            watch.end();
        } else if (exchange.open()) {
            exchange.end();
        }
    }

    private ClientWatch newWatch(Exchange exchange, ListShape shape, HubRequest request, ClientWatch.Mode mode) {
        return new ClientWatch(exchange, shape, request.client(), mode,
                SliceTopology.applies(shape.resource()) ? slices::served : null);
    }

    /** A watch while the cloud is unreachable: the cached objects first when the client asked for them, then local changes. */
    private void localWatch(HubRequest request, ApiPath path, ListShape shape, Exchange exchange) {
        ClientWatch watch = newWatch(exchange, shape, request, ClientWatch.Mode.LOCAL);
        exchange.startStream(200, Map.of("Content-Type", List.of("application/json")));
        String rv = path.param("resourceVersion");
        if (rv == null || rv.isEmpty() || rv.equals("0")) {
            store.list(request.client(), shape).ifPresent(list -> list.items().forEach(item -> watch.send("ADDED", item)));
        }
        watches.add(watch);
    }
}
