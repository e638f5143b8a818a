package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.api.selector.SelectorException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one local API request: forwarded to the cloud and recorded in the cache while the cloud
 * is healthy; answered from the cache, journaled, or refused with a 503 while it is not.
 */
final class ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final CloudClient cloud;
    private final CloudHealth health;
    private final HubStore store;
    private final Watches watches;
    private final NodeWrites writes;
    private final Runnable cloudSuspect;

    ApiHandler(CloudClient cloud, CloudHealth health, HubStore store, Watches watches, NodeWrites writes, Runnable cloudSuspect) {
        this.cloud = cloud;
        this.health = health;
        this.store = store;
        this.watches = watches;
        this.writes = writes;
        this.cloudSuspect = cloudSuspect;
    }

    void handle(HubRequest request, Exchange exchange) {
        ApiPath path;
        try {
            path = request.path();
            if (path.isCollection()) {
                ListShape.of(path); // a bad selector is the client's error, online or not
            }
        } catch (SelectorException | IllegalArgumentException e) {
            exchange.error(ApiException.badRequest(e.getMessage()));
            return;
        }
        String upgrade = request.header("Upgrade");
        // an HTTP/2 upgrade offer (the JDK client makes one) is declined by answering in HTTP/1.1; other upgrades are refused
        boolean websocketWatch = "websocket".equalsIgnoreCase(upgrade) && "GET".equals(request.method()) && path.isWatch();
        if (upgrade != null && !upgrade.equalsIgnoreCase("h2c") && !websocketWatch) {
            exchange.error(ApiException.of(501, "NotImplemented", "the hub relays no upgraded connections but watches "
                    + "(no exec, attach or port-forward); use the cloud's API server for them"));
            return;
        }
        if (request.method().equals("GET")) {
            if (path.isStream()) {
                stream(request, path, exchange);
            } else if (!health.healthy()) {
                // what the cache lacks is still asked of the cloud: a hub that starts, or is judged unhealthy, with an
                // empty cache would otherwise refuse reads the cloud may well answer
                if (!fromCache(request, path, exchange)) {
                    forwardRead(request, path, exchange);
                }
            } else {
                forwardRead(request, path, exchange);
            }
            return;
        }
        boolean journaled = NodeWrites.journaled(request.method(), path, request.body());
        if (journaled && (!health.healthy() || store.journalDepth() > 0)) {
            // while older node writes wait for replay, newer ones queue behind them, so the cloud sees them in order
            writes.accept(request, path, exchange);
        } else if (!health.healthy()) {
            exchange.error(unreachable(request.method() + " " + path.path() + " is not a node write the hub can journal"));
        } else {
            forwardWrite(request, path, journaled, exchange);
        }
    }

    private void forwardRead(HubRequest request, ApiPath path, Exchange exchange) {
        HttpResponse<byte[]> response;
        try {
            response = cloud.send(new CloudRequest("GET", request.uri(), jsonOnly(request.headers()), null, REQUEST_TIMEOUT));
        } catch (CloudUnreachableException e) {
            LOG.info("GET {}: {}; answering from the cache", request.uri(), e.getMessage());
            cloudSuspect.run();
            if (!fromCache(request, path, exchange)) {
                exchange.error(notCached(path, e.getMessage()));
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.error(ApiException.unavailable("the hub is shutting down"));
            return;
        }
        try {
            record(request, path, response);
        } catch (RuntimeException e) {
            LOG.warn("GET {}: the answer was not cached: {}", request.uri(), e.toString());
        }
        exchange.respond(response.statusCode(), response.headers().map(), response.body());
    }

    /** Copies a read's answer into the cache; answers that are not plain JSON objects (tables, pages, logs) are left out. */
    private void record(HubRequest request, ApiPath path, HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!path.isResource()) {
            if (response.statusCode() == 200) {
                store.putDocument(request.uri(), type, response.body());
            }
            return;
        }
        boolean object = path.name() != null && (path.subresource() == null || "status".equals(path.subresource()));
        if (response.statusCode() == 404 && object && path.subresource() == null) {
            store.forgetObject(path.gvr(), path.namespace(), path.name());
            return;
        }
        if (response.statusCode() != 200 || !type.startsWith("application/json")) {
            return;
        }
        JsonNode body = Json.parse(response.body(), false);
        if (!(body instanceof ObjectNode obj) || !cacheableKind(Meta.text(body, "kind"))) {
            return;
        }
        if (path.isCollection()) {
            String next = Meta.text(body.path("metadata"), "continue");
            if (path.param("continue") == null && (next == null || next.isEmpty())) {
                store.recordList(request.client(), ListShape.of(path), obj);
            }
        } else if (object) {
            store.recordObject(path.gvr(), obj);
        }
    }

    /** Tables and metadata-only forms are views the cache cannot answer other clients with. */
    private static boolean cacheableKind(String kind) {
        return kind != null && !kind.equals("Table") && !kind.equals("Status") && !kind.startsWith("PartialObjectMetadata");
    }

    /** Answers from the cache; false, with nothing sent, when the cache cannot tell. */
    private boolean fromCache(HubRequest request, ApiPath path, Exchange exchange) {
        if (!path.isResource()) {
            var document = store.document(request.uri());
            document.ifPresent(d -> exchange.respond(200, Map.of("Content-Type", List.of(d.contentType())), d.body()));
            return document.isPresent();
        }
        Instant now = Instant.now();
        if (path.isCollection()) {
            var list = store.list(request.client(), ListShape.of(path));
            list.ifPresent(l -> exchange.json(200, OfflineTables.wanted(request)
                    ? OfflineTables.table(path, l.items(), l.resourceVersion(), now) : listBody(l)));
            return list.isPresent();
        }
        if (path.subresource() != null && !"status".equals(path.subresource())) {
            return false;
        }
        var obj = store.get(path.gvr(), path.namespace(), path.name());
        if (obj.isPresent()) {
            exchange.json(200, OfflineTables.wanted(request) && path.subresource() == null
                    ? OfflineTables.table(path, List.of(obj.get()), Meta.resourceVersion(obj.get()), now) : obj.get());
            return true;
        }
        if (store.knownAbsent(path.gvr(), path.namespace(), path.name())) {
            exchange.error(ApiException.notFound(path.group(), path.resource(), path.name()));
            return true;
        }
        return false;
    }

    private ApiException notCached(ApiPath path, String problem) {
        String what;
        if (!path.isResource()) {
            what = path.path() + " is not in the hub's cache";
        } else if (path.isCollection()) {
            what = "no " + path.resource() + " are in the hub's cache";
        } else if (path.subresource() != null && !"status".equals(path.subresource())) {
            what = "the hub does not cache " + path.resource() + "/" + path.subresource();
        } else {
            what = path.resource() + " \"" + path.name() + "\" is not in the hub's cache";
        }
        String since = health.healthy() ? "" : " since " + health.since();
        return ApiException.unavailable("the cloud is unreachable" + since + " (" + problem + "); " + what);
    }

    private static ObjectNode listBody(CachedList list) {
        ObjectNode body = Json.object();
        body.put("kind", list.kind());
        body.put("apiVersion", list.apiVersion());
        body.putObject("metadata").put("resourceVersion", list.resourceVersion());
        body.putArray("items").addAll(list.items());
        return body;
    }

    /**
     * Reads are asked for in JSON, which every client accepts beside protobuf: the cache reads it, and
     * a watch is relayed line by line.
     */
    static Map<String, List<String>> jsonOnly(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>(headers);
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Accept") && h.getValue().stream().anyMatch(v -> v.contains("protobuf"))) {
                out.put(h.getKey(), List.of("application/json"));
            }
        }
        return out;
    }

    private void forwardWrite(HubRequest request, ApiPath path, boolean journaled, Exchange exchange) {
        try {
            HttpResponse<byte[]> response = cloud.send(new CloudRequest(request.method(), request.uri(), request.headers(),
                    request.body(), REQUEST_TIMEOUT));
            recordWrite(path, response);
            exchange.respond(response.statusCode(), response.headers().map(), response.body());
        } catch (CloudUnreachableException e) {
            cloudSuspect.run();
            if (e.beforeSending() && journaled) {
                writes.accept(request, path, exchange);
            } else if (e.beforeSending()) {
                exchange.error(unreachable(request.method() + " " + path.path() + " could not be sent: " + e.getMessage()));
            } else {
                exchange.error(ApiException.of(504, "Timeout", "the cloud did not answer " + request.method() + " "
                        + path.path() + " (" + e.getMessage() + "); the write may or may not have been applied"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.error(ApiException.unavailable("the hub is shutting down"));
        }
    }

    /** The cloud's answer to a write is the object as it now is: the cache keeps it. */
    private void recordWrite(ApiPath path, HttpResponse<byte[]> response) {
        if (!path.isResource() || response.statusCode() >= 300 || (path.subresource() != null && !"status".equals(path.subresource()))) {
            return;
        }
        try {
            JsonNode body = Json.parse(response.body(), false);
            if (body instanceof ObjectNode obj && Meta.name(obj) != null && !"Status".equals(Meta.text(obj, "kind"))) {
                if ("DELETE".equals(response.request().method()) && Meta.text(obj.path("metadata"), "deletionTimestamp") == null) {
                    store.forgetObject(path.gvr(), path.namespace(), Meta.name(obj));
                } else {
                    store.recordObject(path.gvr(), obj);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("{}: the written object was not cached: {}", path.path(), e.toString());
        }
    }

    // ---- streams -----------------------------------------------------------------------------

    private void stream(HubRequest request, ApiPath path, Exchange exchange) {
        boolean watch = path.isWatch() && path.isResource();
        ListShape shape = watch ? ListShape.of(path) : null;
        if (!health.healthy()) {
            if (watch) {
                localWatch(request, path, shape, exchange);
            } else {
                exchange.error(unreachable("streams other than watches need the cloud"));
            }
            return;
        }
        ClientWatch clientWatch = watch ? new ClientWatch(exchange, shape, request.client(), ClientWatch.Mode.UPSTREAM) : null;
        if (clientWatch != null) {
            watches.add(clientWatch);
        }
        UpstreamLines lines = new UpstreamLines(exchange, clientWatch);
        HttpResponse.BodyHandler<Void> handler = info -> {
            lines.cacheable(info.statusCode() == 200);
            exchange.startStream(info.statusCode(), info.headers().map());
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, "\n");
        };
        cloud.stream(new CloudRequest("GET", request.uri(), jsonOnly(request.headers()), null, null), handler).whenComplete((v, error) -> {
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
                exchange.error(unreachable(error.getMessage()));
            } else {
                endStream(clientWatch, exchange);
            }
        });
    }

    private static void endStream(ClientWatch watch, Exchange exchange) {
        if (watch != null) {
            watch.end();
        } else if (exchange.open()) {
            exchange.end();
        }
    }

    /** A watch while the cloud is unreachable: the cached objects first when the client asked for them, then local changes. */
    private void localWatch(HubRequest request, ApiPath path, ListShape shape, Exchange exchange) {
        ClientWatch watch = new ClientWatch(exchange, shape, request.client(), ClientWatch.Mode.LOCAL);
        exchange.startStream(200, Map.of("Content-Type", List.of("application/json")));
        String rv = path.param("resourceVersion");
        if (rv == null || rv.isEmpty() || rv.equals("0")) {
            store.list(request.client(), shape).ifPresent(list -> list.items().forEach(item -> watch.send("ADDED", item)));
        }
        watches.add(watch);
    }

    /** The cloud's watch stream, line by line: each event goes to the client and into the cache. */
    private final class UpstreamLines implements Flow.Subscriber<String> {
        private final Exchange exchange;
        private final ClientWatch watch;
        private volatile boolean cacheable;
        private volatile Flow.Subscription subscription;

        UpstreamLines(Exchange exchange, ClientWatch watch) {
            this.exchange = exchange;
            this.watch = watch;
        }

        void cacheable(boolean ok) {
            this.cacheable = ok;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (watch != null) {
                watch.upstream(s);
            }
            s.request(1);
        }

        @Override
        public void onNext(String line) {
            if (watch != null && watch.mode() == ClientWatch.Mode.LOCAL) {
                return;
            }
            if (!exchange.open()) {
                subscription.cancel();
                return;
            }
            if (cacheable && watch != null && !line.isBlank()) {
                try {
                    JsonNode event = Json.parse(line.getBytes(StandardCharsets.UTF_8), false);
                    if (event.path("object") instanceof ObjectNode obj && cacheableKind(Meta.text(obj, "kind"))) {
                        store.recordWatchEvent(watch.client(), watch.shape(), event.path("type").asText(), obj);
                    }
                } catch (RuntimeException e) {
                    LOG.debug("watch event not cached: {}", e.toString());
                }
            }
            // the next line is read once this one is written: a slow client slows the cloud's stream, not the hub's memory
            exchange.chunk((line + "\n").getBytes(StandardCharsets.UTF_8)).addListener(f -> subscription.request(1));
        }

        @Override
        public void onError(Throwable throwable) {
            LOG.debug("upstream stream ended: {}", throwable.toString());
        }

        @Override
        public void onComplete() {
            // the future returned by the cloud client ends the local stream
        }
    }

    private ApiException unreachable(String what) {
        String problem = health.lastProblem();
        String since = health.healthy() ? "" : " since " + health.since();
        return ApiException.unavailable("the cloud is unreachable" + since + (problem == null ? "" : " (" + problem + ")")
                + "; " + what);
    }

}
