package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kedge.api.GoDurations;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edge nodes lose their uplink far more often than they die, and their pods keep running through
 * it. So a silent edge node is unreachable (no new pods: the NoSchedule taint) but, for as long as
 * its autonomy lasts, its pods are neither marked not ready nor evicted. After that it is treated
 * as upstream treats any unreachable node.
 *
 * <p>The autonomy duration comes from the node's {@code kedge.io/autonomy-duration} annotation,
 * else its unit's {@code spec.autonomy}, else the server's default; {@code 0} means no limit.
 *
 * <p>A node with unit peers is asked about through them ({@link PeerVerdict}): unless a majority of
 * the peers that reach the cloud cannot reach it either, it is partitioned, not dead, and keeps its
 * pods however long the cut lasts. Only a dead node's autonomy runs out.
 */
public final class EdgeAutonomyPolicy implements NodeHealthPolicy {
    public static final String AUTONOMY_ANNOTATION = "kedge.io/autonomy-duration";
    static final String UNIT_LABEL = "kedge.io/unit";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAutonomyPolicy.class);
    /** An unlimited autonomy is re-decided now and then, so that a newly set limit takes effect. */
    private static final Duration UNLIMITED_RECHECK = Duration.ofMinutes(1);
    /** Peers publish a changed view at once; their verdict on a silent node is re-read this often. */
    static final Duration PEER_RECHECK = Duration.ofSeconds(10);

    private final Duration gracePeriod;
    private final GracePeriodHealthPolicy upstream;
    private final Duration serverDefault;
    private final Function<String, Optional<String>> unitAutonomy;
    private final UnitPeers peers;

    /** What a node's unit peers say of it. */
    @FunctionalInterface
    public interface UnitPeers {
        PeerVerdict judge(Node node, Instant now);
    }

    /** A policy for nodes without unit peers to ask. */
    public EdgeAutonomyPolicy(Duration gracePeriod, Duration serverDefault, Function<String, Optional<String>> unitAutonomy) {
        this(gracePeriod, serverDefault, unitAutonomy, (node, now) -> PeerVerdict.NO_PEERS);
    }

    /**
     * @param serverDefault the autonomy of a node whose annotation and unit say nothing; zero for no limit
     * @param unitAutonomy  a unit's {@code spec.autonomy} by unit name, empty when the unit or the field is missing
     */
    public EdgeAutonomyPolicy(Duration gracePeriod, Duration serverDefault, Function<String, Optional<String>> unitAutonomy,
                              UnitPeers peers) {
        if (serverDefault == null || serverDefault.isNegative()) {
            throw new IllegalArgumentException("the default edge autonomy must be zero (no limit) or positive, got " + serverDefault);
        }
        this.gracePeriod = gracePeriod;
        this.upstream = new GracePeriodHealthPolicy(gracePeriod);
        this.serverDefault = serverDefault;
        this.unitAutonomy = unitAutonomy;
        this.peers = peers;
    }

    @Override
    public Decision decide(Node node, Lease lease, Instant now) {
        Decision upstreamDecision = upstream.decide(node, lease, now);
        if (upstreamDecision.health() != Health.UNREACHABLE) {
            return upstreamDecision; // a node that reports itself not ready is reachable: nothing edge-specific
        }
        Instant cutOff = GracePeriodHealthPolicy.lastHeard(node, lease);
        PeerVerdict verdict = peers.judge(node, now);
        // the peers' reports change without the node changing: look again soon while they have a say
        Duration recheck = verdict.kind() == PeerVerdict.Kind.NO_PEERS ? UNLIMITED_RECHECK : PEER_RECHECK;
        if (verdict.kind() == PeerVerdict.Kind.PARTITIONED) {
            return Decision.unreachable(false, false).autonomous(new Autonomy(cutOff, null, verdict)).recheckingAfter(recheck);
        }
        Duration autonomy = autonomyOf(node);
        if (autonomy.isZero()) {
            return Decision.unreachable(false, false).autonomous(new Autonomy(cutOff, null, verdict)).recheckingAfter(recheck);
        }
        Instant until = cutOff.plus(gracePeriod).plus(autonomy);
        if (now.isBefore(until)) {
            Duration left = Duration.between(now, until);
            return Decision.unreachable(false, false).autonomous(new Autonomy(cutOff, until, verdict))
                    .recheckingAfter(left.compareTo(recheck) < 0 ? left : recheck);
        }
        Decision evict = upstreamDecision.autonomous(new Autonomy(cutOff, until, verdict));
        return verdict.kind() == PeerVerdict.Kind.NO_PEERS ? evict : evict.recheckingAfter(recheck);
    }

    /** The node's autonomy: its annotation, else its unit's, else the default; an unreadable value falls through. */
    Duration autonomyOf(Node node) {
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        String own = annotations == null ? null : annotations.get(AUTONOMY_ANNOTATION);
        Optional<Duration> d = parse(own, "annotation " + AUTONOMY_ANNOTATION + " of node " + node.getMetadata().getName());
        if (d.isPresent()) {
            return d.get();
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        String unit = labels == null ? null : labels.get(UNIT_LABEL);
        if (unit != null) {
            d = unitAutonomy.apply(unit).flatMap(text -> parse(text, "spec.autonomy of EdgeUnit " + unit));
            if (d.isPresent()) {
                return d.get();
            }
        }
        return serverDefault;
    }

    private static Optional<Duration> parse(String text, String where) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Long nanos = GoDurations.parseNanos(text.trim());
        if (nanos == null || nanos < 0) {
            LOG.warn("ignoring {}: \"{}\" is not a duration such as 10m or 1h30m (0 for no limit)", where, text);
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos));
    }
}
