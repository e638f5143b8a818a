package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. */
final class PodPrinter {
    private PodPrinter() {}

    static TablePrinter create() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Ready", "Ready containers out of all containers, sidecars included."),
                string("Status", "The pod's phase, or the reason that explains it best."),
                string("Restarts", "Container restarts, and how long ago the last one happened."),
                Columns.AGE,
                string("IP", "The pod's first IP address.").wide(),
                string("Node", "The node the pod is bound to.").wide(),
                string("Nominated Node", "The node the pod may be placed on after preemption.").wide(),
                string("Readiness Gates", "Readiness gates whose condition is True, out of all gates.").wide()),
                (pod, now) -> {
                    PodSummary summary = PodSummary.of(pod, now);
                    return new Object[] {
                        Fields.name(pod), summary.ready(), summary.status(), summary.restarts(), Fields.age(pod, now),
                        podIp(pod), Fields.textOr(Fields.NONE, pod, "spec", "nodeName"),
                        Fields.textOr(Fields.NONE, pod, "status", "nominatedNodeName"), readinessGates(pod)
                    };
                });
    }

    private static String podIp(JsonNode pod) {
        List<JsonNode> ips = Fields.list(pod, "status", "podIPs");
        String ip = ips.isEmpty() ? Fields.text(pod, "status", "podIP") : Fields.text(ips.get(0), "ip");
        return ip.isEmpty() ? Fields.NONE : ip;
    }

    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = Fields.list(pod, "spec", "readinessGates");
        if (gates.isEmpty()) {
            return Fields.NONE;
        }
        List<JsonNode> conditions = Fields.list(pod, "status", "conditions");
        long passing = gates.stream()
                .map(g -> Fields.text(g, "conditionType"))
                .filter(type -> conditions.stream()
                        .filter(c -> type.equals(Fields.text(c, "type")))
                        .findFirst()
                        .map(c -> "True".equals(Fields.text(c, "status")))
                        .orElse(false))
                .count();
        return passing + "/" + gates.size();
    }
}
