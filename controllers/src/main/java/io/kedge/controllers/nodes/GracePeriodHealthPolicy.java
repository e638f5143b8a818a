package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;

/**
 * The upstream rule: a node not heard from (Lease renewal or Ready heartbeat, whichever is later)
 * for longer than the grace period is unreachable; otherwise its Ready condition says whether it is
 * ready. Any node that is not healthy has its pods marked not ready and made evictable.
 */
public final class GracePeriodHealthPolicy implements NodeHealthPolicy {
    /** Re-deciding a moment after the grace period ends, so a stale lease is caught on the first try. */
    private static final Duration MARGIN = Duration.ofMillis(500);
    private final Duration gracePeriod;

    public GracePeriodHealthPolicy(Duration gracePeriod) {
        if (gracePeriod == null || gracePeriod.isNegative() || gracePeriod.isZero()) {
            throw new IllegalArgumentException("the node monitor grace period must be positive, got " + gracePeriod);
        }
        this.gracePeriod = gracePeriod;
    }

    @Override
    public Decision decide(Node node, Lease lease, Instant now) {
        Instant lastHeard = lastHeard(node, lease);
        Instant staleAt = lastHeard.plus(gracePeriod);
        if (!now.isBefore(staleAt)) {
            return Decision.unreachable(true, true).recheckingAfter(gracePeriod);
        }
        Duration untilStale = Duration.between(now, staleAt).plus(MARGIN);
        NodeCondition ready = NodeConditions.find(node, NodeConditions.READY);
        if (ready == null || "True".equals(ready.getStatus())) {
            // a node that has not posted a Ready condition yet gets the grace period to do so
            return Decision.healthy(untilStale);
        }
        if ("False".equals(ready.getStatus())) {
            return Decision.notReady(true, true).recheckingAfter(untilStale);
        }
        return Decision.unreachable(true, true).recheckingAfter(untilStale);
    }

    /** The node's last sign of life; its creation if it never gave one. */
    static Instant lastHeard(Node node, Lease lease) {
        Instant renewed = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
                ? null : lease.getSpec().getRenewTime().toInstant();
        NodeCondition ready = NodeConditions.find(node, NodeConditions.READY);
        Instant heartbeat = ready == null ? null : Timestamps.parse(ready.getLastHeartbeatTime());
        Instant heard = Timestamps.latest(renewed, heartbeat);
        if (heard == null) {
            heard = Timestamps.parse(node.getMetadata().getCreationTimestamp());
        }
        return heard == null ? Instant.EPOCH : heard;
    }
}
