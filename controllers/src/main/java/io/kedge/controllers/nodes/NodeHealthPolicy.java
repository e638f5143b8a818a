package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides what the node lifecycle controller does about one node: whether the node is healthy,
 * not ready or unreachable, whether its pods are marked not ready, and whether its pods may be
 * evicted.
 *
 * <p>The controller turns a decision into effects, always the same way:
 * <ul>
 *   <li>{@link Health#UNREACHABLE}: the node's Ready, MemoryPressure, DiskPressure and PIDPressure
 *       conditions become Unknown (reason {@code NodeStatusUnknown}), and the node gets the
 *       {@code node.kubernetes.io/unreachable:NoSchedule} taint;</li>
 *   <li>{@link Health#NOT_READY}: the node gets {@code node.kubernetes.io/not-ready:NoSchedule};</li>
 *   <li>{@link Decision#evictPods()}: the matching {@code NoExecute} taint is added as well. That
 *       taint is the only thing that evicts: the taint eviction controller deletes the pods that do
 *       not tolerate it, and those that tolerate it for {@code tolerationSeconds} once that runs out.
 *       Without it, pods stay bound however long the node is gone;</li>
 *   <li>{@link Decision#markPodsNotReady()}: the pods' Ready condition becomes False, which takes
 *       them out of Service endpoints;</li>
 *   <li>{@link Health#HEALTHY}: the controller's taints are removed.</li>
 * </ul>
 *
 * <p>{@link GracePeriodHealthPolicy} is the upstream behaviour. Edge nodes ({@code kedge.io/edge=true})
 * get {@link EdgeAutonomyPolicy}, joined to it by {@link #splitByEdgeLabel}: a cut-off edge node keeps
 * its pods, bound and ready, for its autonomy duration.
 */
@FunctionalInterface
public interface NodeHealthPolicy {

    /**
     * @param node  the node as the informer holds it
     * @param lease its Lease in {@code kube-node-lease}, or null if it has none
     * @param now   the controller's clock
     */
    Decision decide(Node node, Lease lease, Instant now);

    /** The label that marks an edge node. */
    String EDGE_LABEL = "kedge.io/edge";

    /**
     * One policy for edge nodes ({@code kedge.io/edge=true}) and another for the rest: the seam
     * where the edge issues plug in their "never evict on a lost uplink alone" policy.
     */
    static NodeHealthPolicy splitByEdgeLabel(NodeHealthPolicy edge, NodeHealthPolicy other) {
        if (edge == null || other == null) {
            throw new IllegalArgumentException("splitByEdgeLabel needs a policy for edge nodes and one for the others");
        }
        return (node, lease, now) -> {
            var labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
            boolean isEdge = labels != null && "true".equals(labels.get(EDGE_LABEL));
            return (isEdge ? edge : other).decide(node, lease, now);
        };
    }

    enum Health { HEALTHY, NOT_READY, UNREACHABLE }

    /**
     * An edge node running on its own while cut off from the cloud.
     *
     * @param cutOffSince when the node was last heard from
     * @param until       when its autonomy ends (its pods become evictable), or null for no limit
     * @param peers       what the node's unit peers say of it
     */
    record Autonomy(Instant cutOffSince, Instant until, PeerVerdict peers) {
        public Autonomy {
            Objects.requireNonNull(cutOffSince, "an autonomy starts somewhere");
            Objects.requireNonNull(peers, "an autonomy needs the peers' verdict, NO_PEERS if there are none");
        }

        public Autonomy(Instant cutOffSince, Instant until) {
            this(cutOffSince, until, PeerVerdict.NO_PEERS);
        }

        public boolean lasts(Instant now) {
            return until == null || now.isBefore(until);
        }
    }

    /**
     * @param recheckAfter when to decide again though nothing changed (e.g. when the lease will have
     *                     expired), or null to wait for the next change of the node or its lease
     * @param autonomy     set for an edge node cut off from the cloud: the controller shows it in the
     *                     node's {@code EdgeAutonomy} condition; null otherwise
     */
    record Decision(Health health, boolean markPodsNotReady, boolean evictPods, Duration recheckAfter, Autonomy autonomy) {
        public Decision {
            Objects.requireNonNull(health, "a decision needs a health");
            if (health == Health.HEALTHY && (markPodsNotReady || evictPods || autonomy != null)) {
                throw new IllegalArgumentException("a healthy node's pods can be neither marked not ready nor evicted,"
                        + " and a healthy node is not cut off");
            }
            if (recheckAfter != null && recheckAfter.isNegative()) {
                throw new IllegalArgumentException("recheckAfter must not be negative: " + recheckAfter);
            }
        }

        public Decision(Health health, boolean markPodsNotReady, boolean evictPods, Duration recheckAfter) {
            this(health, markPodsNotReady, evictPods, recheckAfter, null);
        }

        public static Decision healthy(Duration recheckAfter) {
            return new Decision(Health.HEALTHY, false, false, recheckAfter);
        }

        public static Decision notReady(boolean markPodsNotReady, boolean evictPods) {
            return new Decision(Health.NOT_READY, markPodsNotReady, evictPods, null);
        }

        public static Decision unreachable(boolean markPodsNotReady, boolean evictPods) {
            return new Decision(Health.UNREACHABLE, markPodsNotReady, evictPods, null);
        }

        public Decision recheckingAfter(Duration d) {
            return new Decision(health, markPodsNotReady, evictPods, d, autonomy);
        }

        public Decision autonomous(Autonomy a) {
            return new Decision(health, markPodsNotReady, evictPods, recheckAfter, a);
        }
    }
}
