package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
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

    private final Watches watches;
    private final HubStore store;
    private final Supplier<UnitView> view;

    SliceTopology(Watches watches, HubStore store, Supplier<UnitView> view) {
        this.watches = watches;
        this.store = store;
        this.view = view;
    }

    /** Whether a resource ({@code group/version/resource}) is one the hub filters. */
    static boolean applies(String gvr) {
        return gvr.startsWith("discovery.k8s.io/") && gvr.endsWith("/endpointslices");
    }

    ObjectNode served(ObjectNode slice) {
        return view.get().filter(slice);
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
            out.add(item instanceof ObjectNode o ? now.filter(o) : item);
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
        List<ClientWatch> open = watches.open().stream().filter(w -> applies(w.shape().resource())).toList();
        if (open.isEmpty()) {
            return;
        }
        int sent = 0;
        for (String resource : open.stream().map(w -> w.shape().resource()).distinct().toList()) {
            for (ObjectNode slice : store.objects(resource)) {
                if (before.filter(slice).path("endpoints").equals(after.filter(slice).path("endpoints"))) {
                    continue;
                }
                ObjectNode modified = slice.deepCopy();
                Meta.metadata(modified).put("resourceVersion", raised(Meta.resourceVersion(slice), resourceVersion));
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
     * The change's version, which clients may resume their watch from; when the slice is newer than
     * the change (the topology feed lagged behind the slice's stream), one past the slice's.
     */
    static String raised(String sliceVersion, String changeVersion) {
        if (HubStore.newer(changeVersion, sliceVersion)) {
            return changeVersion;
        }
        try {
            return Long.toString(Long.parseLong(sliceVersion) + 1);
        } catch (NumberFormatException e) {
            return sliceVersion;
        }
    }
}
