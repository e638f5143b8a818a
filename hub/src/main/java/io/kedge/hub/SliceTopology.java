package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service topology where the node's clients meet it: every EndpointSlice the hub serves (listed,
 * read or watched, from the cloud or from the cache) is seen through the node's {@link UnitView},
 * and when that view changes, open watches of EndpointSlices are sent each slice whose served form
 * changed, as a MODIFIED event. The cache keeps the slices whole, so a later view can be applied
 * to them offline.
 */
final class SliceTopology {
    private static final Logger LOG = LoggerFactory.getLogger(SliceTopology.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(10);

    private final Watches watches;
    private final HubStore store;
    private final Supplier<UnitView> view;
    private final Runnable awaitView;
    private final Supplier<CloudServices> cloud;
    /** When the picture last changed (System.nanoTime), and the resourceVersion of that change. */
    private volatile long lastChange = System.nanoTime() - CATCH_UP.toNanos();
    private volatile String lastChangeVersion;
    private volatile InetSocketAddress apiAt;

    /** @param awaitView returns once the view is worth serving (see {@link TopologyFeed#awaitFirstListing()}) */
    SliceTopology(Watches watches, HubStore store, Supplier<UnitView> view, Runnable awaitView) {
        this(watches, store, view, awaitView, () -> null);
    }

    /** @param cloud the agent's relay to cloud Services; null while it has none */
    SliceTopology(Watches watches, HubStore store, Supplier<UnitView> view, Runnable awaitView, Supplier<CloudServices> cloud) {
        this.cloud = cloud;
        this.awaitView = awaitView;
        this.watches = watches;
        this.store = store;
        this.view = view;
    }

    /** Whether a resource ({@code group/version/resource}) is one the hub filters. */
    static boolean applies(String gvr) {
        return gvr.startsWith("discovery.k8s.io/") && gvr.endsWith("/endpointslices");
    }

    /** Called before an EndpointSlice request is answered. */
    void awaitView() {
        awaitView.run();
    }

    ObjectNode served(ObjectNode slice) {
        return served(view.get(), slice);
    }

    private ObjectNode served(UnitView now, ObjectNode slice) {
        InetSocketAddress api = apiAt;
        return api != null && ApiServiceSlice.is(slice) ? ApiServiceSlice.at(slice, api) : now.filter(slice, cloud.get());
    }

    /** From now on the {@code default/kubernetes} Service is served with the hub's endpoint for pods as its one endpoint. */
    void serveApiAt(InetSocketAddress address) {
        this.apiAt = address;
        // watches already open (the node's Service proxy) are sent the slice as it is served from now on
        String newest = store.newestVersion();
        for (ClientWatch w : watches.open()) {
            if (!applies(w.shape().resource())) {
                continue;
            }
            for (ObjectNode slice : store.objects(w.shape().resource())) {
                if (ApiServiceSlice.is(slice)) {
                    ObjectNode modified = slice.deepCopy();
                    Meta.metadata(modified).put("resourceVersion", raised(Meta.resourceVersion(slice), null, newest));
                    w.refresh(modified);
                }
            }
        }
    }

    /** A GET answer, an EndpointSlice or a list of them, as this node is served it. */
    JsonNode servedBody(JsonNode body) {
        if (!(body instanceof ObjectNode obj)) {
            return body;
        }
        if (!(obj.get("items") instanceof ArrayNode items)) {
            return "EndpointSlice".equals(Meta.text(obj, "kind")) ? served(obj) : obj;
        }
        UnitView now = view.get();
        ArrayNode out = items.arrayNode();
        for (JsonNode item : items) {
            out.add(item instanceof ObjectNode o ? served(now, o) : item);
        }
        ObjectNode copy = obj.deepCopy();
        copy.set("items", out);
        return copy;
    }

    /**
     * The picture changed: each cached slice whose served endpoints differ is sent to the open
     * watches it belongs to, with a raised resourceVersion: informers (fabric8's) ignore an update
     * whose version they already hold.
     */
    void changed(UnitView before, UnitView after, String resourceVersion) {
        lastChangeVersion = resourceVersion;
        lastChange = System.nanoTime();
        List<ClientWatch> open = watches.open().stream().filter(w -> applies(w.shape().resource())).toList();
        if (open.isEmpty()) {
            return;
        }
        int sent = 0;
        String newest = store.newestVersion();
        for (String resource : open.stream().map(w -> w.shape().resource()).distinct().toList()) {
            for (ObjectNode slice : store.objects(resource)) {
                if (before.filter(slice, cloud.get()).equals(after.filter(slice, cloud.get()))) {
                    continue;
                }
                ObjectNode modified = slice.deepCopy();
                Meta.metadata(modified).put("resourceVersion", raised(Meta.resourceVersion(slice), resourceVersion, newest));
                for (ClientWatch w : open) {
                    if (w.shape().resource().equals(resource) && w.refresh(modified)) {
                        sent++;
                    }
                }
            }
        }
        if (sent > 0) {
            LOG.info("service topology changed (units, node units or a Service's {}): {} EndpointSlice events re-sent to "
                    + "the node's watches", UnitView.TOPOLOGY_ANNOTATION, sent);
        }
    }

    /**
     * A watch just opened. A client lists, then watches: when the picture changed in between, its
     * list may hold the old view, and no watch of its was open to be told. So a watch opened shortly
     * after a change is sent again each cached slice of its shape that is older than the change.
     */
    void catchUp(ClientWatch watch) {
        String version = lastChangeVersion;
        if (System.nanoTime() - lastChange >= CATCH_UP.toNanos() || version == null) {
            return;
        }
        for (ObjectNode slice : store.objects(watch.shape().resource())) {
            if (HubStore.newer(version, Meta.resourceVersion(slice))) {
                ObjectNode modified = slice.deepCopy();
                Meta.metadata(modified).put("resourceVersion", version);
                watch.refresh(modified);
            }
        }
    }

    /**
     * A version newer than the slice's, so that informers take the re-sent slice: preferably one
     * that exists (the change's, else the newest the hub has seen), which clients may resume their
     * watch from and which no later event can carry; one past the slice's only when the hub knows
     * of nothing newer.
     */
    static String raised(String sliceVersion, String changeVersion, String newestKnown) {
        if (HubStore.newer(changeVersion, sliceVersion)) {
            return changeVersion;
        }
        if (HubStore.newer(newestKnown, sliceVersion)) {
            return newestKnown;
        }
        try {
            return Long.toString(Long.parseLong(sliceVersion) + 1);
        } catch (NumberFormatException e) {
            return sliceVersion;
        }
    }
}
