package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import java.util.List;

/**
 * Services get a ClusterIP from the service range (immutable, freed on delete), and NodePort and
 * LoadBalancer Services a node port for each port that names none. A port's node port survives an
 * update that leaves it out, as with kubectl apply; ports that go give theirs back.
 */
final class ServiceStrategy extends DelegatingStrategy {
    private final ServiceIpAllocator ips;
    private final NodePortAllocator nodePorts;

    ServiceStrategy(Strategy base, ServiceIpAllocator ips, NodePortAllocator nodePorts) {
        super(base);
        this.ips = ips;
        this.nodePorts = nodePorts;
    }

    private static boolean hasNodePorts(JsonNode spec) {
        String type = spec.path("type").asText("ClusterIP");
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    /** Gives each port a node port: the one it asks for, else the one it had (same port and protocol), else a new one. */
    private void assignNodePorts(ObjectNode obj, JsonNode oldSpec) {
        JsonNode spec = obj.path("spec");
        java.util.Set<Integer> had = new java.util.HashSet<>();
        for (JsonNode p : oldSpec.path("ports")) {
            if (p.path("nodePort").asInt(0) > 0) {
                had.add(p.path("nodePort").asInt());
            }
        }
        java.util.Set<Integer> kept = new java.util.HashSet<>();
        int i = 0;
        for (JsonNode p : spec.path("ports")) {
            ObjectNode port = (ObjectNode) p;
            int requested = port.path("nodePort").asInt(0);
            if (requested == 0) {
                requested = previous(oldSpec, port);
            }
            if (requested == 0) {
                requested = nodePorts.allocate();
            } else if (!had.contains(requested) || kept.contains(requested)) {
                if (!NodePortAllocator.inRange(requested)) {
                    throw invalid(obj, i, requested, "provided port is not in the valid range. The range of valid ports is "
                            + NodePortAllocator.FIRST + "-" + NodePortAllocator.LAST);
                }
                if (!nodePorts.reserve(requested)) {
                    throw invalid(obj, i, requested, "provided port is already allocated");
                }
            }
            kept.add(requested);
            port.put("nodePort", requested);
            i++;
        }
        had.stream().filter(p -> !kept.contains(p)).forEach(nodePorts::release);
    }

    private static int previous(JsonNode oldSpec, JsonNode port) {
        for (JsonNode p : oldSpec.path("ports")) {
            if (p.path("port").asInt() == port.path("port").asInt()
                    && p.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"))) {
                return p.path("nodePort").asInt(0);
            }
        }
        return 0;
    }

    private static ApiException invalid(ObjectNode obj, int index, int port, String why) {
        return ApiException.invalid("", "Service", io.kedge.api.Meta.name(obj), List.of(new ApiException.Cause(
                "FieldValueInvalid", "Invalid value: " + port + ": " + why, "spec.ports[" + index + "].nodePort")));
    }

    private void releaseNodePorts(JsonNode spec) {
        for (JsonNode p : spec.path("ports")) {
            if (p.path("nodePort").asInt(0) > 0) {
                nodePorts.release(p.path("nodePort").asInt());
            }
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        super.prepareForCreate(obj);
        ObjectNode spec = (ObjectNode) obj.with("spec");
        if ("ExternalName".equals(spec.path("type").asText())) {
            return;
        }
        if (hasNodePorts(spec)) {
            assignNodePorts(obj, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        }
        String requested = spec.path("clusterIP").asText("");
        if (requested.equals("None")) {
            spec.putArray("clusterIPs").add("None");
            return;
        }
        String ip;
        if (requested.isEmpty()) {
            ip = ips.allocate();
        } else {
            if (!ips.contains(requested)) {
                throw ApiException.invalid("", "Service", io.kedge.api.Meta.name(obj), List.of(new ApiException.Cause(
                        "FieldValueInvalid", "Invalid value: \"" + requested + "\": provided IP is not in the valid range",
                        "spec.clusterIPs")));
            }
            if (!ips.reserve(requested)) {
                throw ApiException.invalid("", "Service", io.kedge.api.Meta.name(obj), List.of(new ApiException.Cause(
                        "FieldValueInvalid", "Invalid value: \"" + requested + "\": provided IP is already allocated",
                        "spec.clusterIPs")));
            }
            ip = requested;
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        super.prepareForUpdate(obj, old, subresource);
        JsonNode oldSpec = old.path("spec");
        ObjectNode spec = (ObjectNode) obj.with("spec");
        if (spec.path("clusterIP").asText("").isEmpty() && oldSpec.has("clusterIP")) {
            spec.set("clusterIP", oldSpec.get("clusterIP").deepCopy());
        }
        if (!spec.has("clusterIPs") && oldSpec.has("clusterIPs")) {
            spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
        }
        if (subresource == null) {
            if (hasNodePorts(spec)) {
                assignNodePorts(obj, oldSpec);
            } else {
                releaseNodePorts(oldSpec);
                for (JsonNode p : spec.path("ports")) {
                    ((ObjectNode) p).remove("nodePort");
                }
            }
        }
    }

    @Override
    public void afterDelete(ObjectNode obj) {
        releaseNodePorts(obj.path("spec"));
        String ip = obj.path("spec").path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals("None")) {
            ips.release(ip);
        }
    }
}
