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
 * @param serviceModes {@code namespace/name} of a Service to its {@link ServiceFacts}, encoded
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
        return filter(slice, null);
    }

    /**
     * The slice as this node is served it. With {@code cloud}, the endpoints of a Service that runs
     * only in the cloud are replaced by the node's local relay to it (the node cannot route to
     * cloud pods); a Service that also runs in the node's own unit keeps only those endpoints.
     */
    ObjectNode filter(ObjectNode slice, CloudServices cloud) {
        JsonNode endpoints = slice.get("endpoints");
        if (!(endpoints instanceof ArrayNode all) || all.isEmpty()) {
            return slice;
        }
        String service = Meta.labels(slice).get(SERVICE_NAME_LABEL);
        ServiceFacts facts = ServiceFacts.decode(service == null ? null : serviceModes.get(ObjectFilter.namespaceOf(slice) + "/" + service));
        ArrayNode kept = all.arrayNode();
        ArrayNode inCloud = all.arrayNode();
        boolean relayed = cloud != null && !cloudUnits.contains(nodeUnits.getOrDefault(node, ""));
        for (JsonNode endpoint : all) {
            String at = endpoint.hasNonNull("nodeName") ? endpoint.get("nodeName").asText() : null;
            if (!reaches(facts.mode(), at)) {
                continue;
            }
            (relayed && at != null && cloudUnits.contains(nodeUnits.getOrDefault(at, "")) ? inCloud : kept).add(endpoint);
        }
        if (!inCloud.isEmpty() && kept.isEmpty()) {
            return relayedToCloud(slice, service, facts, cloud);
        }
        if (kept.size() == all.size()) {
            return slice;
        }
        ObjectNode copy = slice.deepCopy();
        copy.set("endpoints", kept);
        return copy;
    }

    /** One ready endpoint, the local relay, with each TCP port the relay serves; other ports are left out. */
    private static ObjectNode relayedToCloud(ObjectNode slice, String service, ServiceFacts facts, CloudServices cloud) {
        ObjectNode copy = slice.deepCopy();
        ArrayNode ports = copy.arrayNode();
        String address = null;
        for (JsonNode port : slice.path("ports")) {
            String name = port.path("name").asText("");
            Integer servicePort = facts.ports().get(name);
            if (servicePort == null || !"TCP".equals(port.path("protocol").asText("TCP"))) {
                continue;
            }
            java.util.Optional<java.net.InetSocketAddress> relay = cloud.listenerFor(ObjectFilter.namespaceOf(slice), service, servicePort);
            if (relay.isPresent()) {
                address = relay.get().getAddress().getHostAddress();
                ObjectNode p = port.deepCopy();
                p.put("port", relay.get().getPort());
                ports.add(p);
            }
        }
        ArrayNode endpoints = copy.arrayNode();
        if (address != null) {
            ObjectNode endpoint = endpoints.addObject();
            endpoint.putArray("addresses").add(address);
            endpoint.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        }
        copy.set("endpoints", endpoints);
        copy.set("ports", ports);
        return copy;
    }

    /**
     * What the hub needs of a Service: its {@code kedge.io/topology} (null when unset), and its
     * ports by name, which an EndpointSlice's ports carry. Kept as one string per Service so that a
     * change of either is a change of the picture.
     */
    record ServiceFacts(String mode, Map<String, Integer> ports) {
        static final ServiceFacts NONE = new ServiceFacts(null, Map.of());

        static String of(JsonNode service) {
            StringBuilder b = new StringBuilder();
            String mode = Meta.stringMap(service.path("metadata").path("annotations")).get(TOPOLOGY_ANNOTATION);
            b.append(mode == null ? "" : mode).append('|');
            for (JsonNode p : service.path("spec").path("ports")) {
                if (p.path("port").canConvertToInt()) {
                    b.append(p.path("name").asText("")).append('=').append(p.path("port").asInt()).append(',');
                }
            }
            return b.toString();
        }

        /** From {@link #of}; a bare value (no '|') is a mode alone. */
        static ServiceFacts decode(String encoded) {
            if (encoded == null) {
                return NONE;
            }
            int bar = encoded.indexOf('|');
            if (bar < 0) {
                return new ServiceFacts(encoded, Map.of());
            }
            Map<String, Integer> ports = new java.util.HashMap<>();
            for (String entry : encoded.substring(bar + 1).split(",")) {
                int eq = entry.lastIndexOf('=');
                if (eq >= 0) {
                    ports.put(entry.substring(0, eq), Integer.parseInt(entry.substring(eq + 1)));
                }
            }
            return new ServiceFacts(bar == 0 ? null : encoded.substring(0, bar), ports);
        }
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
