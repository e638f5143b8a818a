package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.Nodes;
import java.util.List;

/** Defaults of a Pod object: the pod-spec defaults plus those that apply to real pods, not templates. */
final class PodDefaults {
    private PodDefaults() {}

    static void apply(ObjectNode pod) {
        ObjectNode spec = Nodes.object(pod, "spec");
        if (spec == null) {
            return;
        }
        PodSpecDefaults.apply(spec);
        for (String list : List.of("containers", "initContainers")) {
            Nodes.objects(spec, list).forEach(PodDefaults::requestsFromLimits);
        }
        Nodes.defaultBool(spec, "enableServiceLinks", true);
        JsonNode hostNetwork = spec.get("hostNetwork");
        if (hostNetwork != null && hostNetwork.asBoolean(false) && hostNetwork.isBoolean()) {
            for (String list : List.of("containers", "initContainers")) {
                for (ObjectNode c : Nodes.objects(spec, list)) {
                    for (ObjectNode port : Nodes.objects(c, "ports")) {
                        JsonNode containerPort = port.get("containerPort");
                        if (containerPort != null && containerPort.isIntegralNumber()) {
                            Nodes.defaultIntIfZero(port, "hostPort", containerPort.asLong());
                        }
                    }
                }
            }
        }
    }

    /** A container that states only limits requests exactly that much. */
    private static void requestsFromLimits(ObjectNode container) {
        ObjectNode resources = Nodes.object(container, "resources");
        ObjectNode limits = Nodes.object(resources, "limits");
        if (limits == null) {
            return;
        }
        ObjectNode requests = Nodes.ensureObject(resources, "requests");
        if (requests == null) {
            return;
        }
        limits.fields().forEachRemaining(e -> {
            if (Nodes.isUnset(requests, e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }
}
