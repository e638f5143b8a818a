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

    /** kedge's own condition: whether an edge node runs on its own, cut off from the cloud. */
    static final String EDGE_AUTONOMY = "EdgeAutonomy";
    static final String CUT_OFF_REASON = "CutOffFromCloud";
    static final String AUTONOMY_EXPIRED_REASON = "AutonomyExpired";
    static final String REACHABLE_REASON = "CloudReachable";
    /** Cut off from the cloud, but its unit peers do not agree it is down. */
    static final String PARTITIONED_REASON = "Partitioned";
    /** Cut off from the cloud, and most of its unit peers that reach the cloud cannot reach it either. */
    static final String PEERS_CANNOT_REACH_REASON = "PeersCannotReach";

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

    /**
     * Sets {@link #EDGE_AUTONOMY} from a decision: True while a cut-off node's autonomy lasts, False
     * once it expired or the node is heard from again; a node never cut off gets none.
     *
     * @return whether anything changed
     */
    static boolean syncAutonomy(Node node, NodeHealthPolicy.Autonomy autonomy, Instant now) {
        NodeCondition current = find(node, EDGE_AUTONOMY);
        String status;
        String reason;
        String message;
        if (autonomy == null) {
            if (current == null || !"True".equals(current.getStatus())) {
                return false;
            }
            status = "False";
            reason = REACHABLE_REASON;
            message = "The node reaches the cloud again since " + Timestamps.format(now) + ".";
        } else {
            String since = "Not heard from since " + Timestamps.format(autonomy.cutOffSince()) + ".";
            String peers = autonomy.peers().message();
            switch (autonomy.peers().kind()) {
                case PARTITIONED -> {
                    status = "True";
                    reason = PARTITIONED_REASON;
                    message = "Partitioned, not dead: " + peers + " " + since + " Its pods keep running and stay bound"
                            + " and ready however long this lasts; no new pods are scheduled to it.";
                }
                case DEAD -> {
                    boolean lasts = autonomy.lasts(now);
                    status = lasts ? "True" : "False";
                    reason = PEERS_CANNOT_REACH_REASON;
                    message = "Down, not just cut off: " + peers + " " + since + (lasts
                            ? " Its pods stay bound and ready " + (autonomy.until() == null ? "with no time limit"
                                    : "until its autonomy ends at " + Timestamps.format(autonomy.until())) + "."
                            : " Its autonomy ended at " + Timestamps.format(autonomy.until())
                                    + ", so its pods are evicted as from any unreachable node.");
                }
                default -> {
                    if (autonomy.lasts(now)) {
                        status = "True";
                        reason = CUT_OFF_REASON;
                        message = since + " Its pods keep running and stay bound and ready " + (autonomy.until() == null
                                ? "with no time limit" : "until " + Timestamps.format(autonomy.until()))
                                + "; no new pods are scheduled to it.";
                    } else {
                        status = "False";
                        reason = AUTONOMY_EXPIRED_REASON;
                        message = "Not heard from since " + Timestamps.format(autonomy.cutOffSince()) + "; its autonomy ended at "
                                + Timestamps.format(autonomy.until()) + ", so its pods are evicted as from any unreachable node.";
                    }
                }
            }
        }
        // the time in the message moves while a lease is renewed but Ready not yet posted: that alone is no change,
        // whereas a new count of peers is
        boolean samePeers = autonomy == null || autonomy.peers().kind() == PeerVerdict.Kind.NO_PEERS
                || (current != null && current.getMessage() != null && current.getMessage().contains(autonomy.peers().message()));
        if (current != null && status.equals(current.getStatus()) && reason.equals(current.getReason()) && samePeers) {
            return false;
        }
        if (node.getStatus() == null) {
            node.setStatus(new NodeStatus());
        }
        List<NodeCondition> conditions = node.getStatus().getConditions() == null
                ? new ArrayList<>() : new ArrayList<>(node.getStatus().getConditions());
        conditions.removeIf(c -> EDGE_AUTONOMY.equals(c.getType()));
        String nowText = Timestamps.format(now);
        String transition = current != null && status.equals(current.getStatus()) ? current.getLastTransitionTime() : nowText;
        conditions.add(new NodeConditionBuilder().withType(EDGE_AUTONOMY).withStatus(status).withReason(reason)
                .withMessage(message).withLastHeartbeatTime(nowText).withLastTransitionTime(transition).build());
        node.getStatus().setConditions(conditions);
        return true;
    }
}
