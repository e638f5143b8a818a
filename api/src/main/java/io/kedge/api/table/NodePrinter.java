package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** nodes: NAME STATUS ROLES AGE VERSION, wide addresses and the node's software. */
final class NodePrinter {
    static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
    static final String LEGACY_ROLE_LABEL = "kubernetes.io/role";
    static final String EDGE_AUTONOMY = "EdgeAutonomy";

    private NodePrinter() {}

    static TablePrinter create() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Status", "Ready or NotReady, Autonomous for a cut-off edge node, and SchedulingDisabled when cordoned."),
                string("Roles", "Roles from the node-role.kubernetes.io/<role> labels."),
                Columns.AGE,
                string("Version", "The kubelet version the node reports."),
                string("Internal-IP", "The node's first InternalIP address.").wide(),
                string("External-IP", "The node's first ExternalIP address.").wide(),
                string("OS-Image", "The operating system the node reports.").wide(),
                string("Kernel-Version", "The kernel version the node reports.").wide(),
                string("Container-Runtime", "The container runtime and version the node reports.").wide()),
                (node, now) -> new Object[] {
                    Fields.name(node), status(node), roles(node), Fields.age(node, now),
                    Fields.text(node, "status", "nodeInfo", "kubeletVersion"),
                    address(node, "InternalIP"), address(node, "ExternalIP"),
                    Fields.textOr(Fields.UNKNOWN, node, "status", "nodeInfo", "osImage"),
                    Fields.textOr(Fields.UNKNOWN, node, "status", "nodeInfo", "kernelVersion"),
                    Fields.textOr(Fields.UNKNOWN, node, "status", "nodeInfo", "containerRuntimeVersion")
                });
    }

    private static String status(JsonNode node) {
        List<String> parts = new ArrayList<>();
        JsonNode ready = null;
        boolean autonomous = false;
        for (JsonNode c : Fields.list(node, "status", "conditions")) {
            if ("Ready".equals(Fields.text(c, "type"))) {
                ready = c; // the last entry wins, as when conditions are collected into a map
            } else if (EDGE_AUTONOMY.equals(Fields.text(c, "type"))) {
                autonomous = "True".equals(Fields.text(c, "status"));
            }
        }
        if (ready == null) {
            parts.add("Unknown");
        } else {
            parts.add("True".equals(Fields.text(ready, "status")) ? "Ready" : "NotReady");
        }
        if (autonomous) {
            parts.add("Autonomous"); // kedge's addition: a cut-off edge node that keeps its pods
        }
        if (Fields.bool(node, "spec", "unschedulable")) {
            parts.add("SchedulingDisabled");
        }
        return String.join(",", parts);
    }

    private static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        Fields.at(node, "metadata", "labels").properties().forEach(label -> {
            String key = label.getKey();
            if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
                roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
            } else if (key.equals(LEGACY_ROLE_LABEL) && !label.getValue().asText().isEmpty()) {
                roles.add(label.getValue().asText());
            }
        });
        return Fields.joined(List.copyOf(roles), ",", Fields.NONE);
    }

    private static String address(JsonNode node, String type) {
        return Fields.list(node, "status", "addresses").stream()
                .filter(a -> type.equals(Fields.text(a, "type")))
                .map(a -> Fields.text(a, "address"))
                .findFirst()
                .orElse(Fields.NONE);
    }
}
