package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kedge.controllers.nodes.NodeHealthPolicy.Decision;
import io.kedge.controllers.nodes.NodeHealthPolicy.Health;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GracePeriodHealthPolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final GracePeriodHealthPolicy policy = new GracePeriodHealthPolicy(Duration.ofSeconds(40));

    static Node node(String ready, Instant heartbeat) {
        return new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready)
                .withLastHeartbeatTime(heartbeat.toString()).endCondition().endStatus().build();
    }

    static Lease lease(Instant renewed) {
        return new LeaseBuilder().withNewMetadata().withName("n").withNamespace("kube-node-lease").endMetadata()
                .withNewSpec().withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build();
    }

    @Test
    void aReadyNodeWithAFreshLeaseIsHealthyAndIsLookedAtAgainWhenTheLeaseWouldExpire() {
        Decision d = policy.decide(node("True", NOW.minusSeconds(300)), lease(NOW.minusSeconds(10)), NOW);
        assertThat(d.health()).isEqualTo(Health.HEALTHY);
        assertThat(d.recheckAfter()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
    }

    @Test
    void aNodeNotHeardFromForLongerThanTheGracePeriodIsUnreachableAndItsPodsMayBeEvicted() {
        Decision d = policy.decide(node("True", NOW.minusSeconds(300)), lease(NOW.minusSeconds(41)), NOW);
        assertThat(d.health()).isEqualTo(Health.UNREACHABLE);
        assertThat(d.markPodsNotReady()).isTrue();
        assertThat(d.evictPods()).isTrue();
    }

    @Test
    void withoutALeaseTheReadyHeartbeatCounts() {
        assertThat(policy.decide(node("True", NOW.minusSeconds(5)), null, NOW).health()).isEqualTo(Health.HEALTHY);
        assertThat(policy.decide(node("True", NOW.minusSeconds(50)), null, NOW).health()).isEqualTo(Health.UNREACHABLE);
    }

    @Test
    void aNodeReportingReadyFalseIsNotReadyAndReadyUnknownIsUnreachable() {
        assertThat(policy.decide(node("False", NOW), lease(NOW), NOW).health()).isEqualTo(Health.NOT_READY);
        assertThat(policy.decide(node("Unknown", NOW), lease(NOW), NOW).health()).isEqualTo(Health.UNREACHABLE);
    }

    @Test
    void aPolicyCanKeepPodsOnAnUnreachableNode() {
        Decision keep = Decision.unreachable(true, false);
        assertThat(keep.evictPods()).isFalse();
        assertThatThrownBy(() -> new Decision(Health.HEALTHY, false, true, null))
                .hasMessageContaining("healthy node's pods can be neither");
    }

    @Test
    void anEdgePolicyDecidesForEdgeNodesOnlyAndCanKeepTheirPodsOnAStaleLease() {
        NodeHealthPolicy edge = (n, l, now) -> Decision.unreachable(true, false);
        NodeHealthPolicy split = NodeHealthPolicy.splitByEdgeLabel(edge, policy);
        Node edgeNode = node("True", NOW.minusSeconds(300));
        edgeNode.getMetadata().setLabels(java.util.Map.of("kedge.io/edge", "true"));
        assertThat(split.decide(edgeNode, lease(NOW.minusSeconds(300)), NOW).evictPods()).isFalse();
        assertThat(split.decide(node("True", NOW.minusSeconds(300)), lease(NOW.minusSeconds(300)), NOW).evictPods()).isTrue();
        assertThatThrownBy(() -> NodeHealthPolicy.splitByEdgeLabel(null, policy)).hasMessageContaining("needs a policy for edge nodes");
    }

    @Test
    void aGracePeriodThatIsNotPositiveIsRejectedWithItsValue() {
        assertThatThrownBy(() -> new GracePeriodHealthPolicy(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive, got PT0S");
    }
}
