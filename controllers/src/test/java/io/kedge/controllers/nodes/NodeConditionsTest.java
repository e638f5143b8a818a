package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeConditionsTest {
    private static final Instant CUT = Instant.parse("2026-11-27T10:00:00Z");
    private static final Instant NOW = CUT.plusSeconds(600);

    private static Node node() {
        return new NodeBuilder().withNewMetadata().withName("east-2").endMetadata().build();
    }

    @Test
    void aPartitionedNodeSaysSoAndWhyInItsEdgeAutonomyCondition() {
        Node n = node();
        PeerVerdict v = new PeerVerdict(PeerVerdict.Kind.PARTITIONED, "2 of 2 peer(s) that reach the cloud still reach east-2 over the unit LAN.");
        assertThat(NodeConditions.syncAutonomy(n, new NodeHealthPolicy.Autonomy(CUT, null, v), NOW)).isTrue();
        NodeCondition c = NodeConditions.find(n, NodeConditions.EDGE_AUTONOMY);
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("Partitioned");
        assertThat(c.getMessage()).contains("Partitioned, not dead: 2 of 2 peer(s) that reach the cloud still reach east-2");
        assertThat(NodeConditions.syncAutonomy(n, new NodeHealthPolicy.Autonomy(CUT, null, v), NOW.plusSeconds(10)))
                .as("nothing changed, nothing written").isFalse();
    }

    @Test
    void aDeadNodeSaysItsPeersCannotReachItAndTheConditionTurnsFalseWhenItsAutonomyEnds() {
        Node n = node();
        PeerVerdict v = new PeerVerdict(PeerVerdict.Kind.DEAD, "2 of 2 peer(s) that reach the cloud cannot reach east-2 over the unit LAN either.");
        Instant until = NOW.plusSeconds(60);
        NodeConditions.syncAutonomy(n, new NodeHealthPolicy.Autonomy(CUT, until, v), NOW);
        NodeCondition during = NodeConditions.find(n, NodeConditions.EDGE_AUTONOMY);
        assertThat(during.getStatus()).isEqualTo("True");
        assertThat(during.getReason()).isEqualTo("PeersCannotReach");
        assertThat(during.getMessage()).contains("cannot reach east-2", "until its autonomy ends at 2026-11-27T10:11:00Z");

        assertThat(NodeConditions.syncAutonomy(n, new NodeHealthPolicy.Autonomy(CUT, until, v), until)).isTrue();
        NodeCondition after = NodeConditions.find(n, NodeConditions.EDGE_AUTONOMY);
        assertThat(after.getStatus()).isEqualTo("False");
        assertThat(after.getReason()).isEqualTo("PeersCannotReach");
        assertThat(after.getMessage()).contains("its pods are evicted");
    }

    @Test
    void aPartitionTurningIntoADeathRewritesTheReasonButKeepsTheTransitionTime() {
        Node n = node();
        NodeConditions.syncAutonomy(n, new NodeHealthPolicy.Autonomy(CUT, null,
                new PeerVerdict(PeerVerdict.Kind.PARTITIONED, "1 of 1 still reach")), NOW);
        NodeConditions.syncAutonomy(n, new NodeHealthPolicy.Autonomy(CUT, NOW.plusSeconds(600),
                new PeerVerdict(PeerVerdict.Kind.DEAD, "1 of 1 cannot reach")), NOW.plusSeconds(30));
        NodeCondition c = NodeConditions.find(n, NodeConditions.EDGE_AUTONOMY);
        assertThat(c.getReason()).isEqualTo("PeersCannotReach");
        assertThat(c.getLastTransitionTime()).isEqualTo(Timestamps.format(NOW));
    }
}
