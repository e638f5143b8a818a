package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own watches of what service topology depends on: Nodes (their unit label), EdgeUnits
 * (their type) and Services (their {@code kedge.io/topology} and ports). Each is listed and watched from the
 * cloud and kept in the hub's cache under a client of its own, so the picture survives a restart
 * without the cloud. Every change that alters the picture is passed on with the resourceVersion
 * that caused it.
 *
 * <p>Only the Nodes the picture can use are watched: this node's own (for its unit), and those of
 * its unit and of the Cloud units, by label selector. An endpoint on any other node is out of reach
 * whatever that node's unit, and watching every Node would send each node every other node's
 * status and peer reports: traffic that grows with the square of the cluster.
 */
final class TopologyFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyFeed.class);
    static final String CLIENT = "kedge-hub/topology";
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FIRST_LISTING_WAIT = Duration.ofSeconds(10);

    /** Told the picture before and after a change, and the resourceVersion of the object that changed it. */
    interface Listener {
        void changed(UnitView before, UnitView after, String resourceVersion);
    }

    private final CloudClient cloud;
    private final CloudHealth health;
    private final HubStore store;
    private final String nodeName;
    private final Listener listener;
    private final Source ownNode;
    private final Source units;
    private final Source services;
    /** The Nodes of this node's unit and of the Cloud units; idle while there are none. */
    private final Source nodes;
    private final List<Source> sources;
    private volatile UnitView view;
    private volatile boolean closed;
    private final CountDownLatch firstListings;
    private volatile boolean waitedOnce;

    TopologyFeed(CloudClient cloud, CloudHealth health, HubStore store, String nodeName, Listener listener) {
        this.cloud = cloud;
        this.health = health;
        this.store = store;
        this.nodeName = nodeName;
        this.listener = listener;
        this.view = UnitView.empty(nodeName);
        this.ownNode = new Source(ownNodePath(nodeName), o -> Meta.name(o), TopologyFeed::unitOf);
        this.units = new Source("/apis/edge.kedge.io/v1alpha1/edgeunits", o -> Meta.name(o), o -> Meta.text(o.path("spec"), "type"));
        this.services = new Source("/api/v1/services", o -> ObjectFilter.namespaceOf(o) + "/" + Meta.name(o), UnitView.ServiceFacts::of);
        this.nodes = new Source(null, o -> Meta.name(o), TopologyFeed::unitOf);
        this.sources = List.of(ownNode, units, services, nodes);
        this.firstListings = new CountDownLatch(sources.size());
    }

    /**
     * Waits, once, until each resource has been listed from the cloud (at most 10 s, and not while
     * the cloud is unreachable): a client that lists EndpointSlices before the hub knows the units
     * would otherwise keep an unfiltered view, since no watch of its was open when the picture came.
     */
    void awaitFirstListing() {
        if (waitedOnce || firstListings.getCount() == 0) {
            return;
        }
        long end = System.nanoTime() + FIRST_LISTING_WAIT.toNanos();
        try {
            while (health.healthy() && System.nanoTime() < end && !firstListings.await(100, TimeUnit.MILLISECONDS)) {
                // polled, so that a cloud found unreachable meanwhile ends the wait
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waitedOnce = true;
    }

    UnitView view() {
        return view;
    }

    /** Takes the picture the cache holds, then keeps it current from the cloud. */
    TopologyFeed start() {
        for (Source s : List.of(ownNode, units, services)) {
            store.list(CLIENT, s.shape).ifPresent(list -> list.items().forEach(s::put));
        }
        nodes.retarget(nodesPath(picture()));
        if (nodes.shape != null) {
            store.list(CLIENT, nodes.shape).ifPresent(list -> list.items().forEach(nodes::put));
        }
        view = picture();
        for (Source s : sources) {
            Thread t = new Thread(s::run, "hub-topology-" + s.name());
            t.setDaemon(true);
            s.thread = t;
            t.start();
        }
        return this;
    }

    /** The cloud is lost: its streams may hang on a cut link, so they are dropped and listed again once it answers. */
    void cloudLost() {
        sources.forEach(Source::cancel);
    }

    @Override
    public void close() {
        closed = true;
        for (Source s : sources) {
            s.cancel();
            if (s.thread != null) {
                s.thread.interrupt();
            }
        }
    }

    private synchronized void changed(String resourceVersion) {
        UnitView before = view;
        UnitView after = picture();
        nodes.retarget(nodesPath(after));
        if (!after.equals(before)) {
            view = after;
            listener.changed(before, after, resourceVersion);
        }
    }

    private UnitView picture() {
        Set<String> cloudUnits = new HashSet<>();
        units.values.forEach((unit, type) -> {
            if ("Cloud".equals(type)) {
                cloudUnits.add(unit);
            }
        });
        Map<String, String> nodeUnits = new HashMap<>(nodes.values);
        nodeUnits.putAll(ownNode.values);
        return new UnitView(nodeName, nodeUnits, cloudUnits, services.values);
    }

    private static String unitOf(JsonNode node) {
        return Meta.labels(node).get(UnitView.UNIT_LABEL);
    }

    static String ownNodePath(String nodeName) {
        return "/api/v1/nodes?fieldSelector=" + URLEncoder.encode("metadata.name=" + nodeName, StandardCharsets.UTF_8);
    }

    /** The Nodes worth watching for a picture: its node's unit and the Cloud units; null when that is none. */
    static String nodesPath(UnitView view) {
        Set<String> wanted = new TreeSet<>(view.cloudUnits());
        String own = view.nodeUnits().get(view.node());
        if (own != null) {
            wanted.add(own);
        }
        if (wanted.isEmpty()) {
            return null;
        }
        String selector = UnitView.UNIT_LABEL + " in (" + String.join(",", wanted) + ")";
        return "/api/v1/nodes?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    }

    /** One resource listed and watched from the cloud: each object reduced to the one value the picture needs. */
    private final class Source {
        /** What is listed and watched; null while there is nothing to watch. */
        volatile String path;
        volatile ListShape shape;
        final Function<JsonNode, String> key;
        final Function<JsonNode, String> value;
        final Map<String, String> values = new ConcurrentHashMap<>();
        volatile Thread thread;
        private volatile Runnable cancelStream;
        private volatile boolean listed;

        Source(String path, Function<JsonNode, String> key, Function<JsonNode, String> value) {
            this.path = path;
            this.shape = path == null ? null : ListShape.of(ApiPath.parse(path));
            this.key = key;
            this.value = value;
        }

        String name() {
            String p = path == null ? "/api/v1/nodes" : path;
            String resource = p.contains("?") ? p.substring(0, p.indexOf('?')) : p;
            return resource.substring(resource.lastIndexOf('/') + 1) + (p.contains("?") ? "-selected" : "");
        }

        void listedOnce() {
            if (!listed) {
                listed = true;
                firstListings.countDown();
            }
        }

        /** Lists and watches {@code newPath} from now on (nothing when null); what was known of the old one goes. */
        void retarget(String newPath) {
            if (java.util.Objects.equals(newPath, path)) {
                return;
            }
            LOG.info("topology: watching {} instead of {}", newPath == null ? "no nodes" : newPath, path == null ? "none" : path);
            path = newPath;
            shape = newPath == null ? null : ListShape.of(ApiPath.parse(newPath));
            values.clear();
            cancel();
        }

        void put(JsonNode obj) {
            String k = key.apply(obj);
            String v = value.apply(obj);
            if (k == null) {
                return;
            }
            if (v == null) {
                values.remove(k);
            } else {
                values.put(k, v);
            }
        }

        void run() {
            while (!closed) {
                try {
                    if (!health.healthy() || path == null) {
                        if (path == null) {
                            listedOnce(); // nothing to list counts as listed
                        }
                        Thread.sleep(RETRY.toMillis());
                        continue;
                    }
                    String rv = list();
                    if (rv == null) {
                        Thread.sleep(RETRY.multipliedBy(15).toMillis());
                        continue;
                    }
                    if (rv.isEmpty()) {
                        continue;
                    }
                    watch(rv);
                } catch (InterruptedException e) {
                    return;
                } catch (CloudUnreachableException e) {
                    sleepQuietly();
                } catch (RuntimeException e) {
                    LOG.warn("topology feed of {}: {}", path, e.toString());
                    sleepQuietly();
                }
            }
        }

        /**
         * Lists from the cloud into the cache and the picture; the list's resourceVersion, null when
         * refused, or "" when the source was retargeted meanwhile.
         */
        private String list() throws CloudUnreachableException, InterruptedException {
            String path = this.path;
            ListShape shape = this.shape;
            HttpResponse<byte[]> r = cloud.send(CloudRequest.get(path, LIST_TIMEOUT));
            if (r.statusCode() != 200) {
                LOG.warn("the hub cannot list {} for service topology: HTTP {} {}", path, r.statusCode(),
                        new String(r.body(), StandardCharsets.UTF_8));
                listedOnce(); // nothing better is coming soon; EndpointSlices are served with what is known
                return null;
            }
            JsonNode list = Json.parse(r.body(), false);
            if (!path.equals(this.path)) {
                return ""; // retargeted while the list was under way: list again at once
            }
            store.recordList(CLIENT, shape, list);
            Set<String> listed = new HashSet<>();
            for (JsonNode item : list.path("items")) {
                put(item);
                listed.add(key.apply(item));
            }
            values.keySet().retainAll(listed);
            String rv = Meta.resourceVersion(list);
            changed(rv);
            listedOnce();
            return rv;
        }

        /** Follows the cloud's watch from {@code rv} until it ends, is cancelled, or fails. */
        private void watch(String rv) throws InterruptedException {
            CompletableFuture<Void> ended = new CompletableFuture<>();
            Lines lines = new Lines();
            cancelStream = () -> {
                lines.cancel();
                ended.complete(null);
            };
            if (!health.healthy()) {
                return;
            }
            String path = this.path;
            if (path == null) {
                return;
            }
            String uri = path + (path.contains("?") ? "&" : "?") + "watch=true&allowWatchBookmarks=true&timeoutSeconds=600&resourceVersion=" + rv;
            CloudRequest request = new CloudRequest("GET", uri, Map.of("Accept", List.of("application/json")), null, null);
            cloud.stream(request, info -> HttpResponse.BodySubscribers.fromLineSubscriber(lines, s -> null,
                    StandardCharsets.UTF_8, "\n")).whenComplete((v, e) -> ended.complete(null));
            try {
                ended.get();
            } catch (ExecutionException e) {
                // completed normally above; nothing fails this future
            } finally {
                cancelStream = null;
            }
        }

        void cancel() {
            Runnable c = cancelStream;
            if (c != null) {
                c.run();
            }
        }

        private void sleepQuietly() {
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }

        /** The watch stream, one event a line, each recorded in the cache before it changes the picture. */
        private final class Lines implements Flow.Subscriber<String> {
            private volatile Flow.Subscription subscription;
            private volatile boolean cancelled;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (cancelled) {
                    s.cancel();
                } else {
                    s.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(String line) {
                if (cancelled || line.isBlank()) {
                    return;
                }
                try {
                    JsonNode event = Json.parse(line.getBytes(StandardCharsets.UTF_8), false);
                    String type = event.path("type").asText();
                    if (!(event.path("object") instanceof ObjectNode obj)) {
                        return;
                    }
                    if ("ERROR".equals(type)) {
                        LOG.info("topology watch of {} ended by the cloud: {}; listing again", path, Meta.text(obj, "message"));
                        Source.this.cancel();
                        return;
                    }
                    store.recordWatchEvent(CLIENT, shape, type, obj);
                    switch (type) {
                        case "ADDED", "MODIFIED" -> put(obj);
                        case "DELETED" -> {
                            String k = key.apply(obj);
                            if (k != null) {
                                values.remove(k);
                            }
                        }
                        default -> {
                            return;
                        }
                    }
                    changed(Meta.resourceVersion(obj));
                } catch (RuntimeException e) {
                    LOG.debug("topology watch event of {} skipped: {}", path, e.toString());
                }
            }

            void cancel() {
                cancelled = true;
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }

            @Override
            public void onError(Throwable throwable) {
                LOG.debug("topology watch of {} failed: {}", path, throwable.toString());
            }

            @Override
            public void onComplete() {
                // the stream's future releases the loop
            }
        }
    }
}
