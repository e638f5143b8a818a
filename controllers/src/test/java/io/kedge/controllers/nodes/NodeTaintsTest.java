package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kedge.controllers.nodes.NodeHealthPolicy.Decision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTaintsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Taint ADMIN = new TaintBuilder().withKey("dedicated").withValue("db").withEffect("NoSchedule").build();

    static Node node(Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec().withTaints(taints).endSpec().build();
    }

    @Test
    void anUnreachableNodeGetsBothUnreachableTaintsWithTimeAddedOnTheNoExecuteOneAndKeepsOtherTaints() {
        List<Taint> taints = NodeTaints.reconciled(node(ADMIN), Decision.unreachable(true, true), NOW);
        assertThat(taints).extracting(Taint::getKey, Taint::getEffect, Taint::getTimeAdded).containsExactly(
                tuple("dedicated", "NoSchedule", null),
                tuple(NodeTaints.UNREACHABLE, "NoSchedule", null),
                tuple(NodeTaints.UNREACHABLE, "NoExecute", "2026-01-01T12:00:00Z"));
    }

    @Test
    void aDecisionNotToEvictLeavesOutTheNoExecuteTaint() {
        List<Taint> taints = NodeTaints.reconciled(node(), Decision.unreachable(true, false), NOW);
        assertThat(taints).extracting(Taint::getKey, Taint::getEffect).containsExactly(tuple(NodeTaints.UNREACHABLE, "NoSchedule"));
    }

    @Test
    void aNotReadyNodeSwapsUnreachableForNotReadyAndKeepsAnExistingTaintsTimeAdded() {
        Taint earlier = new TaintBuilder().withKey(NodeTaints.NOT_READY).withEffect("NoExecute").withTimeAdded("2026-01-01T11:00:00Z").build();
        Taint unreachable = new TaintBuilder().withKey(NodeTaints.UNREACHABLE).withEffect("NoSchedule").build();
        List<Taint> taints = NodeTaints.reconciled(node(earlier, unreachable), Decision.notReady(true, true), NOW);
        assertThat(taints).extracting(Taint::getKey, Taint::getEffect, Taint::getTimeAdded).containsExactlyInAnyOrder(
                tuple(NodeTaints.NOT_READY, "NoExecute", "2026-01-01T11:00:00Z"),
                tuple(NodeTaints.NOT_READY, "NoSchedule", null));
    }

    @Test
    void aHealthyNodeLosesTheControllersTaintsButACordonedOneIsTaintedUnschedulable() {
        Taint unreachable = new TaintBuilder().withKey(NodeTaints.UNREACHABLE).withEffect("NoExecute").build();
        Node cordoned = node(ADMIN, unreachable);
        cordoned.getSpec().setUnschedulable(true);
        assertThat(NodeTaints.reconciled(cordoned, Decision.healthy(null), NOW))
                .extracting(Taint::getKey).containsExactly("dedicated", NodeTaints.UNSCHEDULABLE);
    }
}
