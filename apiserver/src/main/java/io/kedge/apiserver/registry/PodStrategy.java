package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pods start Pending, and a pod bound to a node is deleted gracefully, once its node confirms. */
final class PodStrategy extends DelegatingStrategy {
    PodStrategy(Strategy base) {
        super(base);
    }

    @Override
    public long gracePeriodSeconds(ObjectNode obj, Long requested) {
        String phase = obj.path("status").path("phase").asText("");
        if (obj.path("spec").path("nodeName").asText("").isEmpty()
                || phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        if (requested != null) {
            return Math.max(0, requested);
        }
        JsonNode spec = obj.path("spec").get("terminationGracePeriodSeconds");
        return spec != null && spec.canConvertToLong() ? Math.max(0, spec.asLong()) : 30;
    }

    @Override
    public boolean deletionBlocked(ObjectNode obj) {
        return super.deletionBlocked(obj) || obj.path("metadata").path("deletionGracePeriodSeconds").asLong(0) > 0;
    }
}
