package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kedge.controllers.nodes.NodeHealthPolicy.Decision;
import io.kedge.controllers.nodes.NodeHealthPolicy.Health;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EdgeAutonomyPolicyTest {
    private static final Duration GRACE = Duration.ofSeconds(40);
    private static final Instant RENEWED = Instant.parse("2026-11-27T10:00:00Z");
    private final Map<String, String> unitAutonomy = new HashMap<>();

    private EdgeAutonomyPolicy policy(Duration serverDefault) {
        return new EdgeAutonomyPolicy(GRACE, serverDefault, unit -> Optional.ofNullable(unitAutonomy.get(unit)));
    }

    private static Node edgeNode(String autonomyAnnotation) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName("shop-1").withCreationTimestamp("2026-11-27T09:00:00Z")
                .addToLabels("kedge.io/edge", "true").addToLabels("kedge.io/unit", "shop").endMetadata();
        if (autonomyAnnotation != null) {
            b.editMetadata().addToAnnotations(EdgeAutonomyPolicy.AUTONOMY_ANNOTATION, autonomyAnnotation).endMetadata();
        }
        return b.withNewStatus().addNewCondition().withType("Ready").withStatus("True")
                .withLastHeartbeatTime("2026-11-27T09:59:00Z").endCondition().endStatus().build();
    }

    private static Lease lease() {
        return new LeaseBuilder().withNewSpec().withRenewTime(RENEWED.atZone(ZoneOffset.UTC)).endSpec().build();
    }

    @Test
    void aNodeHeardFromWithinTheGracePeriodIsHealthyAndNotCutOff() {
        Decision d = policy(Duration.ZERO).decide(edgeNode(null), lease(), RENEWED.plusSeconds(10));
        assertThat(d.health()).isEqualTo(Health.HEALTHY);
        assertThat(d.autonomy()).isNull();
    }

    @Test
    void aSilentEdgeNodeWithNoLimitIsUnreachableButItsPodsAreNeitherMarkedNotReadyNorEvicted() {
        Decision d = policy(Duration.ZERO).decide(edgeNode(null), lease(), RENEWED.plus(Duration.ofDays(30)));
        assertThat(d.health()).isEqualTo(Health.UNREACHABLE);
        assertThat(d.markPodsNotReady()).isFalse();
        assertThat(d.evictPods()).isFalse();
        assertThat(d.autonomy().cutOffSince()).isEqualTo(RENEWED);
        assertThat(d.autonomy().until()).isNull();
    }

    @Test
    void theNodeAnnotationBoundsTheAutonomyFromTheMomentTheLeaseWentStale() {
        EdgeAutonomyPolicy p = policy(Duration.ZERO);
        Instant ends = RENEWED.plus(GRACE).plus(Duration.ofMinutes(10));
        Decision during = p.decide(edgeNode("10m"), lease(), ends.minusSeconds(1));
        assertThat(during.evictPods()).isFalse();
        assertThat(during.autonomy().until()).isEqualTo(ends);
        assertThat(during.recheckAfter()).isEqualTo(Duration.ofSeconds(1));

        Decision after = p.decide(edgeNode("10m"), lease(), ends);
        assertThat(after.health()).isEqualTo(Health.UNREACHABLE);
        assertThat(after.markPodsNotReady()).isTrue();
        assertThat(after.evictPods()).isTrue();
        assertThat(after.autonomy().lasts(ends)).isFalse();
    }

    @Test
    void theUnitsAutonomyAppliesWhenTheNodeSaysNothingAndTheNodeAnnotationWinsOverIt() {
        unitAutonomy.put("shop", "1m");
        Instant twoMinutesCut = RENEWED.plus(GRACE).plus(Duration.ofMinutes(2));
        assertThat(policy(Duration.ZERO).decide(edgeNode(null), lease(), twoMinutesCut).evictPods()).isTrue();
        assertThat(policy(Duration.ZERO).decide(edgeNode("0"), lease(), twoMinutesCut).evictPods())
                .as("0 on the node lifts the unit's limit").isFalse();
        assertThat(policy(Duration.ZERO).decide(edgeNode("1h"), lease(), twoMinutesCut).evictPods()).isFalse();
    }

    @Test
    void theServerDefaultAppliesWhenNeitherNodeNorUnitSaysAndAnUnreadableValueFallsThrough() {
        unitAutonomy.put("shop", "a while");
        Instant twoMinutesCut = RENEWED.plus(GRACE).plus(Duration.ofMinutes(2));
        assertThat(policy(Duration.ofMinutes(1)).decide(edgeNode("soon"), lease(), twoMinutesCut).evictPods()).isTrue();
        assertThat(policy(Duration.ofMinutes(5)).decide(edgeNode(null), lease(), twoMinutesCut).evictPods()).isFalse();
    }

    @Test
    void anEdgeNodeThatReportsItselfNotReadyIsReachableAndHandledAsUpstreamDoes() {
        Node n = edgeNode(null);
        n.getStatus().getConditions().get(0).setStatus("False");
        Decision d = policy(Duration.ZERO).decide(n, lease(), RENEWED.plusSeconds(5));
        assertThat(d.health()).isEqualTo(Health.NOT_READY);
        assertThat(d.evictPods()).isTrue();
        assertThat(d.autonomy()).isNull();
    }

    private static final PeerVerdict DEAD = new PeerVerdict(PeerVerdict.Kind.DEAD, "2 of 2 peer(s) that reach the cloud cannot reach shop-1 over the unit LAN either.");
    private static final PeerVerdict PARTITIONED = new PeerVerdict(PeerVerdict.Kind.PARTITIONED, "2 of 2 peer(s) that reach the cloud still reach shop-1 over the unit LAN.");

    private EdgeAutonomyPolicy policyWithPeers(PeerVerdict verdict) {
        return new EdgeAutonomyPolicy(GRACE, Duration.ofMinutes(10), unit -> Optional.empty(), (node, now) -> verdict);
    }

    @Test
    void aPartitionedNodeKeepsItsPodsLongAfterItsAutonomyWouldHaveEnded() {
        Decision d = policyWithPeers(PARTITIONED).decide(edgeNode(null), lease(), RENEWED.plus(Duration.ofDays(3)));
        assertThat(d.health()).isEqualTo(Health.UNREACHABLE);
        assertThat(d.evictPods()).isFalse();
        assertThat(d.markPodsNotReady()).isFalse();
        assertThat(d.autonomy().until()).isNull();
        assertThat(d.autonomy().peers()).isEqualTo(PARTITIONED);
        assertThat(d.recheckAfter()).isEqualTo(EdgeAutonomyPolicy.PEER_RECHECK);
    }

    @Test
    void aNodeItsPeersCannotReachIsEvictedOnceItsAutonomyHasPassedAndNotBefore() {
        Instant ends = RENEWED.plus(GRACE).plus(Duration.ofMinutes(10));
        Decision during = policyWithPeers(DEAD).decide(edgeNode(null), lease(), ends.minusSeconds(60));
        assertThat(during.evictPods()).isFalse();
        assertThat(during.autonomy().peers()).isEqualTo(DEAD);
        Decision after = policyWithPeers(DEAD).decide(edgeNode(null), lease(), ends);
        assertThat(after.evictPods()).isTrue();
        assertThat(after.markPodsNotReady()).isTrue();
        assertThat(after.autonomy().peers()).isEqualTo(DEAD);
    }
}
