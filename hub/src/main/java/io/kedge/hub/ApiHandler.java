package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.api.selector.SelectorException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one local API request: forwarded to the cloud and recorded in the cache while the cloud
 * is healthy (a read's answer is recorded after the client has it); answered from the cache,
 * journaled, or refused with a 503 while it is not.
 */
final class ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final CloudClient cloud;
    private final CloudHealth health;
    private final HubStore store;
    private final Journal journal;
    private final NodeWrites writes;
    private final Runnable cloudSuspect;
    private final WatchRelay relay;
    private final SliceTopology slices;

    ApiHandler(CloudClient cloud, CloudHealth health, HubStore store, Journal journal, Watches watches, NodeWrites writes,
               Runnable cloudSuspect, SliceTopology slices) {
        this.slices = slices;
        this.cloud = cloud;
        this.health = health;
        this.store = store;
        this.journal = journal;
        this.writes = writes;
        this.cloudSuspect = cloudSuspect;
        this.relay = new WatchRelay(cloud, health, store, watches, cloudSuspect, slices);
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
            if (path.isResource() && SliceTopology.applies(path.gvr())) {
                slices.awaitView();
            }
            if (path.isStream()) {
                relay.stream(request, path, exchange);
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
        boolean journaled = writes.journaled(request.method(), path, request.body());
        if (journaled && (!health.healthy() || journal.depth() > 0)) {
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
        boolean sliced = path.isResource() && SliceTopology.applies(path.gvr());
        // the cloud's Table of EndpointSlices cannot be filtered: the objects are asked for, and the Table made here
        boolean table = sliced && OfflineTables.wanted(request);
        Map<String, List<String>> headers = jsonOnly(request.headers());
        if (table) {
            headers = new java.util.LinkedHashMap<>(headers);
            headers.keySet().removeIf(h -> h.equalsIgnoreCase("Accept"));
            headers.put("Accept", List.of("application/json"));
        }
        try {
            response = cloud.send(new CloudRequest("GET", request.uri(), headers, null, REQUEST_TIMEOUT));
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
        // handed to the cache's writer before the answer goes out, so that what the client does next finds it recorded
        store.recordLater(() -> {
            try {
                record(request, path, response);
            } catch (RuntimeException e) {
                LOG.warn("GET {}: the answer was not cached: {}", request.uri(), e.toString());
            }
        });
        if (sliced && response.statusCode() == 200
                && response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            JsonNode served = slices.servedBody(Json.parse(response.body(), false));
            exchange.json(200, table ? OfflineTables.table(path, itemsOf(served), Meta.resourceVersion(served), Instant.now()) : served);
            return;
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
        if (path.isCollection()) {
            ListAnswer list = ListAnswer.scan(response.body());
            // one page of several is not the shape's whole list
            if (cacheableKind(list.kind()) && path.param("continue") == null && list.continueToken() == null) {
                store.recordList(request.client(), ListShape.of(path), list);
            }
            return;
        }
        JsonNode body = Json.parse(response.body(), false);
        if (object && body instanceof ObjectNode obj && cacheableKind(Meta.text(body, "kind"))) {
            store.recordObject(path.gvr(), obj);
        }
    }

    private static List<JsonNode> itemsOf(JsonNode body) {
        if (!body.has("items")) {
            return List.of(body);
        }
        List<JsonNode> out = new java.util.ArrayList<>();
        body.get("items").forEach(out::add);
        return out;
    }

    /** Tables and metadata-only forms are views the cache cannot answer other clients with. */
    static boolean cacheableKind(String kind) {
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
        boolean sliced = SliceTopology.applies(path.gvr());
        if (path.isCollection()) {
            var list = store.list(request.client(), ListShape.of(path))
                    .map(l -> sliced ? new CachedList(l.kind(), l.apiVersion(), l.resourceVersion(),
                            l.items().stream().map(slices::served).toList(), l.source()) : l);
            list.ifPresent(l -> exchange.json(200, OfflineTables.wanted(request)
                    ? OfflineTables.table(path, l.items(), l.resourceVersion(), now) : listBody(l)));
            return list.isPresent();
        }
        if (path.subresource() != null && !"status".equals(path.subresource())) {
            return false;
        }
        var obj = store.get(path.gvr(), path.namespace(), path.name()).map(o -> sliced ? slices.served(o) : o);
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

    private ApiException unreachable(String what) {
        return unreachable(health, what);
    }

    /** The 503 for what needs the cloud while it is unreachable: since when, and why. */
    static ApiException unreachable(CloudHealth health, String what) {
        String problem = health.lastProblem();
        String since = health.healthy() ? "" : " since " + health.since();
        return ApiException.unavailable("the cloud is unreachable" + since + (problem == null ? "" : " (" + problem + ")")
                + "; " + what);
    }

}
