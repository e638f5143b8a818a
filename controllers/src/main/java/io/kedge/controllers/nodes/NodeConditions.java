package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The kubelet-reported node conditions the lifecycle controller reads and, when the kubelet goes silent, overrides. */
final class NodeConditions {
    static final String READY = "Ready";
    static final String MEMORY_PRESSURE = "MemoryPressure";
    static final String DISK_PRESSURE = "DiskPressure";
    static final String PID_PRESSURE = "PIDPressure";
    static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";
    /** The conditions a silent kubelet leaves unknown; NetworkUnavailable belongs to the network plugin. */
    static final List<String> KUBELET_OWNED = List.of(READY, MEMORY_PRESSURE, DISK_PRESSURE, PID_PRESSURE);

    static final String STATUS_UNKNOWN_REASON = "NodeStatusUnknown";
    static final String STATUS_UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
    static final String NEVER_UPDATED_REASON = "NodeStatusNeverUpdated";
    static final String NEVER_UPDATED_MESSAGE = "Kubelet never posted node status.";

    private NodeConditions() {}

    static NodeCondition find(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    static boolean is(Node node, String type, String status) {
        NodeCondition c = find(node, type);
        return c != null && status.equals(c.getStatus());
    }

    /**
     * Sets the kubelet's conditions to Unknown, keeping each one's last heartbeat (when the node was
     * last heard from) and adding those it never posted.
     *
     * @return whether anything changed
     */
    static boolean markUnknown(Node node, Instant now) {
        if (node.getStatus() == null) {
            node.setStatus(new NodeStatus());
        }
        List<NodeCondition> conditions = node.getStatus().getConditions() == null
                ? new ArrayList<>() : new ArrayList<>(node.getStatus().getConditions());
        String nowText = Timestamps.format(now);
        boolean changed = false;
        for (String type : KUBELET_OWNED) {
            NodeCondition c = find(node, type);
            if (c == null) {
                conditions.add(new NodeConditionBuilder().withType(type).withStatus("Unknown")
                        .withReason(NEVER_UPDATED_REASON).withMessage(NEVER_UPDATED_MESSAGE)
                        .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                        .withLastTransitionTime(nowText).build());
                changed = true;
            } else if (!"Unknown".equals(c.getStatus())) {
                c.setStatus("Unknown");
                c.setReason(STATUS_UNKNOWN_REASON);
                c.setMessage(STATUS_UNKNOWN_MESSAGE);
                c.setLastTransitionTime(nowText);
                changed = true;
            }
        }
        node.getStatus().setConditions(conditions);
        return changed;
    }
}
