package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pods start Pending, and a pod bound to a node is deleted gracefully, once its node confirms. */
final class PodStrategy extends DelegatingStrategy {
    PodStrategy(Strategy base) {
        super(base);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        super.prepareForCreate(obj);
        ObjectNode status = obj.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(obj.path("spec")));
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

    /** Guaranteed when every container's requests equal its limits for cpu and memory. */
    static String qosClass(JsonNode spec) {
        boolean anySet = false;
        boolean guaranteed = true;
        for (String list : new String[]{"containers", "initContainers"}) {
            for (JsonNode c : spec.path(list)) {
                JsonNode req = c.path("resources").path("requests");
                JsonNode lim = c.path("resources").path("limits");
                for (String r : new String[]{"cpu", "memory"}) {
                    if (req.has(r) || lim.has(r)) {
                        anySet = true;
                    }
                    JsonNode l = lim.get(r);
                    JsonNode q = req.has(r) ? req.get(r) : l;
                    if (l == null || q == null || !l.asText().equals(q.asText())) {
                        guaranteed = false;
                    }
                }
            }
        }
        return !anySet ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
