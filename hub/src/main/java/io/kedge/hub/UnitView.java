package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import java.util.Map;
import java.util.Set;

/**
 * What this node may reach of a Service, as one immutable picture of the cluster's units: which
 * unit each node is in, which units are Cloud units, and each Service's {@code kedge.io/topology}.
 * An EndpointSlice seen through it keeps only the endpoints this node's clients should be sent to.
 *
 * @param node         this node
 * @param nodeUnits    node name to its {@code kedge.io/unit} label, for the nodes that have one
 * @param cloudUnits   the units whose EdgeUnit is of type Cloud
 * @param serviceModes {@code namespace/name} of a Service to its {@code kedge.io/topology} annotation
 */
record UnitView(String node, Map<String, String> nodeUnits, Set<String> cloudUnits, Map<String, String> serviceModes) {
    static final String TOPOLOGY_ANNOTATION = "kedge.io/topology";
    static final String UNIT_LABEL = "kedge.io/unit";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    UnitView {
        nodeUnits = Map.copyOf(nodeUnits);
        cloudUnits = Set.copyOf(cloudUnits);
        serviceModes = Map.copyOf(serviceModes);
    }

    static UnitView empty(String node) {
        return new UnitView(node, Map.of(), Set.of(), Map.of());
    }

    /** The slice as this node is served it: the same object when every endpoint stays, else a copy without the others. */
    ObjectNode filter(ObjectNode slice) {
        JsonNode endpoints = slice.get("endpoints");
        if (!(endpoints instanceof ArrayNode all) || all.isEmpty()) {
            return slice;
        }
        String service = Meta.labels(slice).get(SERVICE_NAME_LABEL);
        String mode = service == null ? null : serviceModes.get(ObjectFilter.namespaceOf(slice) + "/" + service);
        ArrayNode kept = all.arrayNode();
        for (JsonNode endpoint : all) {
            if (reaches(mode, endpoint.hasNonNull("nodeName") ? endpoint.get("nodeName").asText() : null)) {
                kept.add(endpoint);
            }
        }
        if (kept.size() == all.size()) {
            return slice;
        }
        ObjectNode copy = slice.deepCopy();
        copy.set("endpoints", kept);
        return copy;
    }

    /** Whether this node's clients are sent to an endpoint on {@code endpointNode} (null: an address on no node). */
    boolean reaches(String mode, String endpointNode) {
        String unit = nodeUnits.get(node);
        if ("node".equals(mode)) {
            return node.equals(endpointNode);
        }
        if ("unit".equals(mode)) {
            // a node outside every unit is a unit of its own
            return node.equals(endpointNode) || (unit != null && endpointNode != null && unit.equals(nodeUnits.get(endpointNode)));
        }
        if (unit == null || endpointNode == null) {
            // a node in no unit has no unit network to confine it; an address on no node (a Service without a
            // selector, such as the API server's) is not a pod behind some unit's LAN
            return true;
        }
        String other = nodeUnits.get(endpointNode);
        return other != null && (other.equals(unit) || cloudUnits.contains(other));
    }
}
