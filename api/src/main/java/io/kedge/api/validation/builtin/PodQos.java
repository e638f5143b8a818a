package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.Nodes;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A pod's quality-of-service class, from the cpu and memory its containers request and limit. */
final class PodQos {
    private static final Set<String> QOS_RESOURCES = Set.of("cpu", "memory");

    private PodQos() {}

    static String classOf(ObjectNode spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        for (String list : List.of("containers", "initContainers")) {
            for (ObjectNode c : Nodes.objects(spec, list)) {
                JsonNode resources = c.path("resources");
                sum(resources.path("requests"), requests, null);
                Set<String> limited = new HashSet<>();
                sum(resources.path("limits"), limits, limited);
                if (!limited.containsAll(QOS_RESOURCES)) {
                    guaranteed = false;
                }
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed && requests.keySet().equals(limits.keySet())) {
            for (Map.Entry<String, BigDecimal> e : requests.entrySet()) {
                if (e.getValue().compareTo(limits.get(e.getKey())) != 0) {
                    guaranteed = false;
                }
            }
            if (guaranteed) {
                return "Guaranteed";
            }
        }
        return "Burstable";
    }

    private static void sum(JsonNode list, Map<String, BigDecimal> totals, Set<String> seen) {
        if (!list.isObject()) {
            return;
        }
        list.fields().forEachRemaining(e -> {
            BigDecimal q = Quantities.parse(e.getValue());
            if (QOS_RESOURCES.contains(e.getKey()) && q != null && q.signum() > 0) {
                totals.merge(e.getKey(), q, BigDecimal::add);
                if (seen != null) {
                    seen.add(e.getKey());
                }
            }
        });
    }
}
