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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the node's pods ({@code kubernetes.default}). Online each request goes to the cloud with
 * the pod's own token, and what the cloud lets a service account read is remembered with the
 * answer. Offline the token is checked locally, and a service account is answered from the cache
 * only what the cloud answered it before; nothing more, since no RBAC is evaluated here.
 */
final class PodApi {
    private static final Logger LOG = LoggerFactory.getLogger(PodApi.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final String PODS = "/v1/pods";

    private final PodCloudClient cloud;
    private final CloudHealth health;
    private final HubStore store;
    private final PodReads reads;
    private final PodTokens tokens;
    private final Watches watches;
    private final Runnable cloudSuspect;
    private final Runnable keysStale;
    private final String nodeName;

    /**
     * @param cloudSuspect a request could not reach the cloud: measure its health now
     * @param keysStale    the cloud accepted a token the hub could not check: read the issuer's keys again
     */
    PodApi(PodCloudClient cloud, CloudHealth health, HubStore store, PodReads reads, PodTokens tokens, Watches watches,
           Runnable cloudSuspect, Runnable keysStale, String nodeName) {
        this.cloud = cloud;
        this.health = health;
        this.store = store;
        this.reads = reads;
        this.tokens = tokens;
        this.watches = watches;
        this.cloudSuspect = cloudSuspect;
        this.keysStale = keysStale;
        this.nodeName = nodeName;
    }

    void handle(HubRequest request, Exchange exchange) {
        String token = bearer(request);
        if (token == null) {
            exchange.error(ApiException.unauthorized("Unauthorized"));
            return;
        }
        ApiPath path;
        try {
            path = request.path();
            if (path.isCollection()) {
                ListShape.of(path);
            }
        } catch (SelectorException | IllegalArgumentException e) {
            exchange.error(ApiException.badRequest(e.getMessage()));
            return;
        }
        if (health.healthy() && relayed(request, path)) {
            upgrade(request, path, token, exchange);
        } else if (health.healthy()) {
            online(request, path, token, exchange);
        } else {
            offline(request, path, token, exchange);
        }
    }

    /** An upgrade the hub relays as bytes (exec, attach, port-forward); a WebSocket watch is read like any other watch. */
    private static boolean relayed(HubRequest request, ApiPath path) {
        String upgrade = request.header("Upgrade");
        return upgrade != null && !upgrade.equalsIgnoreCase("h2c") && !("websocket".equalsIgnoreCase(upgrade) && path.isWatch());
    }

    // ---- online, upgraded: the cloud answers, then the hub copies bytes ----------------------------

    private void upgrade(HubRequest request, ApiPath path, String token, Exchange exchange) {
        cloud.upgrade(request, exchange).whenCompleteAsync((v, error) -> {
            if (error == null) {
                return;
            }
            cloudSuspect.run();
            LOG.info("{} {} for a pod: {}; answering as offline", request.method(), path.path(),
                    error instanceof CloudUnreachableException ? error.getMessage() : error.toString());
            offline(request, path, token, exchange);
        });
    }

    // ---- online: the cloud decides --------------------------------------------------------------

    private void online(HubRequest request, ApiPath path, String token, Exchange exchange) {
        boolean read = "GET".equals(request.method());
        if (read && path.isStream()) {
            relayStream(request, path, token, exchange);
            return;
        }
        HubRequest sent = read ? new HubRequest("GET", request.uri(), ApiHandler.jsonOnly(request.headers()), request.body())
                : request;
        HttpResponse<byte[]> response;
        try {
            response = cloud.send(sent, REQUEST_TIMEOUT);
        } catch (CloudUnreachableException e) {
            cloudSuspect.run();
            // a read may be answered from the cache whether or not it reached the cloud; a write only when it surely did not
            if (read || e.beforeSending()) {
                LOG.info("{} {} for a pod: {}; answering as offline", request.method(), request.uri(), e.getMessage());
                offline(request, path, token, exchange);
            } else {
                exchange.error(ApiException.of(504, "Timeout", "the cloud did not answer " + request.method() + " " + path.path()
                        + " (" + e.getMessage() + ")" + (read ? "" : "; the write may or may not have been applied")));
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.error(ApiException.unavailable("the hub is shutting down"));
            return;
        }
        // recorded on the cache's writer, handed over before the answer goes out so that the pod's next request finds it
        if (read) {
            store.recordLater(() -> remember(request, path, token, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body()));
        } else {
            store.recordLater(() -> rememberWrite(request, path, token, response));
        }
        exchange.respond(response.statusCode(), response.headers().map(), response.body());
    }

    /** Keeps what the cloud answered a service account, and that it was allowed to read it (or that it no longer is). */
    private void remember(HubRequest request, ApiPath path, String token, int status, String type, byte[] body) {
        if (status != 200 && status != 401 && status != 403) {
            return;
        }
        Optional<PodIdentity> who = recordable(request, token, status);
        if (who.isEmpty()) {
            return;
        }
        try {
            if (status != 200) {
                reads.refused(who.get(), path);
                return;
            }
            reads.allowed(who.get(), path);
            cache(who.get(), request, path, type, body);
        } catch (RuntimeException e) {
            LOG.warn("GET {} for {}: the answer was not cached: {}", request.uri(), who.get().userName(), e.toString());
        }
    }

    /**
     * The cloud's answer to a pod's write is the object as it now is; the cache keeps it, so that the
     * pod's later offline reads (of shapes the cloud let it read before) show its own write. It grants no new read.
     */
    private void rememberWrite(HubRequest request, ApiPath path, String token, HttpResponse<byte[]> response) {
        if (!path.isResource() || response.statusCode() >= 300 || (path.subresource() != null && !"status".equals(path.subresource()))
                || !response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                || recordable(request, token, response.statusCode()).isEmpty()) {
            return;
        }
        try {
            if (!(Json.parse(response.body(), false) instanceof ObjectNode obj)) {
                return;
            }
            String kind = Meta.text(obj, "kind");
            boolean gone = "DELETE".equals(request.method())
                    && ("Status".equals(kind) || Meta.text(obj.path("metadata"), "deletionTimestamp") == null);
            if (gone && path.name() != null) {
                store.forgetObject(path.gvr(), path.namespace(), path.name());
            } else if (!gone && ApiHandler.cacheableKind(kind) && Meta.name(obj) != null) {
                store.recordObject(path.gvr(), obj);
            }
        } catch (RuntimeException e) {
            LOG.warn("{} {} for a pod: the written object was not cached: {}", request.method(), path.path(), e.toString());
        }
    }

    /**
     * Whom the cloud answered, when the hub can tell for sure: the token checks out locally (so it
     * is the account's own, not some other kind the cloud also accepts), and nobody was impersonated.
     */
    private Optional<PodIdentity> recordable(HubRequest request, String token, int status) {
        if (request.headers().keySet().stream().anyMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("impersonate-"))) {
            return Optional.empty();
        }
        Optional<PodIdentity> who = tokens.verify(token);
        if (who.isEmpty() && status == 200) {
            keysStale.run(); // the cloud took a token the hub cannot check: maybe its key is newer than the hub's copy
        }
        return who;
    }

    private void cache(PodIdentity who, HubRequest request, ApiPath path, String type, byte[] body) {
        if (!path.isResource()) {
            store.putDocument(request.uri(), type, body);
            return;
        }
        if (!type.startsWith("application/json")) {
            return;
        }
        if (path.isCollection()) {
            ListAnswer list = ListAnswer.scan(body);
            // one page of several is not the shape's whole list
            if (ApiHandler.cacheableKind(list.kind()) && path.param("continue") == null && list.continueToken() == null) {
                store.recordList(who.cacheClient(), ListShape.of(path), list);
            }
            return;
        }
        JsonNode parsed = Json.parse(body, false);
        if (parsed instanceof ObjectNode obj && ApiHandler.cacheableKind(Meta.text(obj, "kind"))
                && (path.subresource() == null || "status".equals(path.subresource()))) {
            store.recordObject(path.gvr(), obj);
        }
    }

    /** A watch (or a followed log) relayed from the cloud; a watch's events are cached for its service account. */
    private void relayStream(HubRequest request, ApiPath path, String token, Exchange exchange) {
        boolean watch = path.isWatch() && path.isResource();
        Optional<PodIdentity> who = watch ? recordable(request, token, 0) : Optional.empty();
        ClientWatch clientWatch = watch ? new ClientWatch(exchange, ListShape.of(path),
                who.map(PodIdentity::cacheClient).orElse(null), ClientWatch.Mode.UPSTREAM) : null;
        UpstreamLines lines = new UpstreamLines(store, exchange, clientWatch);
        HttpResponse.BodyHandler<Void> handler = info -> {
            who.ifPresent(w -> {
                if (info.statusCode() == 200) {
                    reads.allowed(w, path);
                } else if (info.statusCode() == 401 || info.statusCode() == 403) {
                    reads.refused(w, path);
                }
            });
            lines.cacheable(info.statusCode() == 200 && who.isPresent());
            if (clientWatch != null && info.statusCode() == 200) {
                watches.add(clientWatch); // from now on it stays open on local changes when the cloud is lost
            }
            exchange.startStream(info.statusCode(), info.headers().map());
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, "\n");
        };
        HubRequest upstream = new HubRequest("GET", request.uri(), ApiHandler.jsonOnly(request.headers()), request.body());
        cloud.stream(upstream, handler).whenComplete((v, error) -> {
            if (clientWatch != null && clientWatch.mode() == ClientWatch.Mode.LOCAL) {
                return; // the cloud was lost meanwhile; the watch goes on with local changes
            }
            if (error != null && !exchange.answered()) {
                cloudSuspect.run();
                offline(request, path, token, exchange);
            } else if (error != null && clientWatch != null) {
                clientWatch.goLocal();
                cloudSuspect.run();
            } else if (clientWatch != null) {
                clientWatch.end();
            } else if (exchange.open()) {
                exchange.end();
            }
        });
    }

    // ---- offline: the hub decides, from what the cloud decided before ------------------------------

    private void offline(HubRequest request, ApiPath path, String token, Exchange exchange) {
        Optional<PodIdentity> who = tokens.verify(token).filter(this::podOnThisNode);
        if (who.isEmpty()) {
            exchange.error(ApiException.unauthorized("Unauthorized"));
            return;
        }
        if (relayed(request, path)) {
            exchange.error(ApiHandler.unreachable(health, request.method() + " " + path.path() + " needs the cloud: exec, "
                    + "attach and port-forward are relayed to it"));
            return;
        }
        if (!"GET".equals(request.method())) {
            exchange.error(ApiHandler.unreachable(health, request.method() + " " + path.path()
                    + " needs the cloud; pods' writes are not journaled"));
            return;
        }
        if (path.isStream() && !path.isWatch()) {
            exchange.error(ApiHandler.unreachable(health, "streams other than watches need the cloud"));
            return;
        }
        if (!reads.wasAllowed(who.get(), path)) {
            exchange.error(ApiException.of(403, "Forbidden", "the cloud is unreachable" + since() + ", and offline the node's "
                    + "API endpoint answers " + who.get().userName() + " only the reads the cloud allowed it before; "
                    + describe(path) + " is not one of them"));
            return;
        }
        if (path.isWatch() && path.isResource()) {
            localWatch(who.get(), path, exchange);
        } else if (!fromCache(who.get(), request, path, exchange)) {
            exchange.error(ApiHandler.unreachable(health, describe(path) + " is not in the hub's cache"));
        }
    }

    /** The pod the token is bound to runs on this node, as the hub's cache knows it: a token from elsewhere is no use here. */
    private boolean podOnThisNode(PodIdentity who) {
        Optional<ObjectNode> pod = store.get(PODS, who.namespace(), who.pod());
        boolean here = pod.isPresent() && who.podUid().equals(Meta.uid(pod.get()))
                && nodeName.equals(pod.get().path("spec").path("nodeName").asText());
        if (!here) {
            LOG.debug("pod token of {} refused offline: pod {}/{} is not on node {}", who.userName(), who.namespace(), who.pod(),
                    nodeName);
        }
        return here;
    }

    private boolean fromCache(PodIdentity who, HubRequest request, ApiPath path, Exchange exchange) {
        if (!path.isResource()) {
            Optional<HubStore.Document> doc = store.document(request.uri());
            doc.ifPresent(d -> exchange.respond(200, Map.of("Content-Type", List.of(d.contentType())), d.body()));
            return doc.isPresent();
        }
        if (path.isCollection()) {
            Optional<CachedList> list = store.list(who.cacheClient(), ListShape.of(path));
            list.ifPresent(l -> exchange.json(200, OfflineTables.wanted(request)
                    ? OfflineTables.table(path, l.items(), l.resourceVersion(), Instant.now()) : listBody(l)));
            return list.isPresent();
        }
        if (path.subresource() != null && !"status".equals(path.subresource())) {
            return false;
        }
        Optional<ObjectNode> obj = store.get(path.gvr(), path.namespace(), path.name());
        if (obj.isPresent()) {
            exchange.json(200, OfflineTables.wanted(request) && path.subresource() == null
                    ? OfflineTables.table(path, List.of(obj.get()), Meta.resourceVersion(obj.get()), Instant.now()) : obj.get());
            return true;
        }
        if (store.knownAbsent(path.gvr(), path.namespace(), path.name())) {
            exchange.error(ApiException.notFound(path.group(), path.resource(), path.name()));
            return true;
        }
        return false;
    }

    /** Open until the cloud is back: the cached items first when the client asked for them, then the hub's local changes. */
    private void localWatch(PodIdentity who, ApiPath path, Exchange exchange) {
        ListShape shape = ListShape.of(path);
        ClientWatch watch = new ClientWatch(exchange, shape, who.cacheClient(), ClientWatch.Mode.LOCAL);
        exchange.startStream(200, Map.of("Content-Type", List.of("application/json")));
        String rv = path.param("resourceVersion");
        if (rv == null || rv.isEmpty() || rv.equals("0")) {
            store.list(who.cacheClient(), shape).ifPresent(l -> l.items().forEach(item -> watch.send("ADDED", item)));
        }
        watches.add(watch);
    }

    private static ObjectNode listBody(CachedList list) {
        ObjectNode body = Json.object();
        body.put("kind", list.kind());
        body.put("apiVersion", list.apiVersion());
        body.putObject("metadata").put("resourceVersion", list.resourceVersion());
        body.putArray("items").addAll(list.items());
        return body;
    }

    private String since() {
        return health.healthy() ? "" : " since " + health.since();
    }

    private static String describe(ApiPath path) {
        if (!path.isResource()) {
            return "GET " + path.path();
        }
        String in = path.namespace().isEmpty() ? "" : " in namespace " + path.namespace();
        String selectors = path.param("labelSelector") == null && path.param("fieldSelector") == null ? ""
                : " (labelSelector " + Optional.ofNullable(path.param("labelSelector")).orElse("none") + ", fieldSelector "
                + Optional.ofNullable(path.param("fieldSelector")).orElse("none") + ")";
        if (path.isCollection()) {
            return (path.isWatch() ? "watch " : "list ") + path.resource() + in + selectors;
        }
        return "get " + path.resource() + (path.subresource() == null ? "" : "/" + path.subresource()) + " \"" + path.name()
                + "\"" + in;
    }

    static String bearer(HubRequest request) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = auth.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
