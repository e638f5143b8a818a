package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import java.util.List;

/** Services get a ClusterIP from the service range; it is immutable and freed on delete. */
final class ServiceStrategy extends DelegatingStrategy {
    private final ServiceIpAllocator ips;

    ServiceStrategy(Strategy base, ServiceIpAllocator ips) {
        super(base);
        this.ips = ips;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        super.prepareForCreate(obj);
        ObjectNode spec = (ObjectNode) obj.with("spec");
        if ("ExternalName".equals(spec.path("type").asText())) {
            return;
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
    }

    @Override
    public void afterDelete(ObjectNode obj) {
        String ip = obj.path("spec").path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals("None")) {
            ips.release(ip);
        }
    }
}
