package io.kedge.controllers.sets;

import static io.kedge.controllers.sets.Fixtures.NOW;
import static io.kedge.controllers.sets.Fixtures.node;
import static io.kedge.controllers.sets.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonSetPlanTest {
    private static final List<Node> NODES = List.of(node("a"), node("b"), node("c"));
    private static final DaemonSetPlan.Strategy ROLLING = new DaemonSetPlan.Strategy(true, new IntOrString(1), new IntOrString(0));
    private static final DaemonSetPlan.Strategy SURGE = new DaemonSetPlan.Strategy(true, new IntOrString(0), new IntOrString(1));
    private static final DaemonSetPlan.Strategy ON_DELETE = new DaemonSetPlan.Strategy(false, null, null);

    static DaemonSetPlan plan(List<Pod> pods, DaemonSetPlan.Strategy strategy) {
        return DaemonSetPlan.compute(NODES, new PodSpec(), pods, "new", strategy, 0, NOW);
    }

    @Test
    void everyNodeWithoutAPodGetsOneAndTheCountsSaySo() {
        DaemonSetPlan plan = plan(List.of(pod("p-a", "a", "new", true)), ROLLING);
        assertThat(plan.createOn).containsExactly("b", "c");
        assertThat(plan.counts).isEqualTo(new DaemonSetPlan.Counts(3, 1, 0, 1, 1, 1));
    }

    @Test
    void aNodeWhosePodIsStillTerminatingWaitsAndDuplicatesAndFailedPodsGo() {
        Pod failed = pod("p-c", "c", "new", false);
        failed.getStatus().setPhase("Failed");
        Pod dup = pod("p-a2", "a", "new", true);
        dup.getMetadata().setCreationTimestamp("2026-01-01T11:30:00Z");
        DaemonSetPlan plan = plan(List.of(pod("p-a", "a", "new", true), dup, Fixtures.terminating(pod("p-b", "b", "new", true)), failed),
                ROLLING);
        assertThat(plan.createOn).isEmpty();
        assertThat(plan.delete).extracting(p -> p.getMetadata().getName()).containsExactly("p-a2");
        assertThat(plan.failed).extracting(p -> p.getMetadata().getName()).containsExactly("p-c");
    }

    @Test
    void aPodOnANodeThatNoLongerFitsIsMisscheduledAndDeletedWhenATaintEvictsIt() {
        Node tainted = node("d");
        tainted.getSpec().setTaints(List.of(new io.fabric8.kubernetes.api.model.TaintBuilder().withKey("x").withEffect("NoExecute").build()));
        DaemonSetPlan plan = DaemonSetPlan.compute(List.of(tainted), new PodSpec(), List.of(pod("p-d", "d", "new", true)),
                "new", ROLLING, 0, NOW);
        assertThat(plan.delete).extracting(p -> p.getMetadata().getName()).containsExactly("p-d");
        assertThat(plan.counts.misscheduled()).isEqualTo(1);
        assertThat(plan.counts.desired()).isZero();
    }

    @Test
    void aRollingUpdateReplacesOldPodsWithinMaxUnavailable() {
        List<Pod> old = List.of(pod("p-a", "a", "old", true), pod("p-b", "b", "old", true), pod("p-c", "c", "old", true));
        assertThat(plan(old, ROLLING).delete).extracting(p -> p.getMetadata().getName()).containsExactly("p-a");
        // one node is already without an available pod: that uses the budget of one
        List<Pod> oneDown = List.of(pod("p-a", "a", "new", false), pod("p-b", "b", "old", true), pod("p-c", "c", "old", true));
        assertThat(plan(oneDown, ROLLING).delete).isEmpty();
        // an old pod that is not available anyway is replaced at no cost
        List<Pod> oldDown = List.of(pod("p-a", "a", "old", false), pod("p-b", "b", "old", true), pod("p-c", "c", "old", true));
        assertThat(plan(oldDown, ROLLING).delete).extracting(p -> p.getMetadata().getName()).containsExactly("p-a");
    }

    @Test
    void aSurgeStartsTheNewPodBesideTheOldAndDeletesTheOldOnceTheNewIsAvailable() {
        List<Pod> old = List.of(pod("p-a", "a", "old", true), pod("p-b", "b", "old", true), pod("p-c", "c", "old", true));
        DaemonSetPlan first = plan(old, SURGE);
        assertThat(first.createOn).containsExactly("a");
        assertThat(first.delete).isEmpty();
        List<Pod> surging = List.of(pod("p-a", "a", "old", true), pod("n-a", "a", "new", true),
                pod("p-b", "b", "old", true), pod("p-c", "c", "old", true));
        DaemonSetPlan second = plan(surging, SURGE);
        assertThat(second.delete).extracting(p -> p.getMetadata().getName()).containsExactly("p-a");
        assertThat(second.createOn).containsExactly("b");
    }

    @Test
    void onDeleteLeavesOldPodsAlone() {
        List<Pod> old = List.of(pod("p-a", "a", "old", true), pod("p-b", "b", "old", true), pod("p-c", "c", "old", true));
        DaemonSetPlan plan = plan(old, ON_DELETE);
        assertThat(plan.delete).isEmpty();
        assertThat(plan.createOn).isEmpty();
        assertThat(plan.counts.updated()).isZero();
    }

    @Test
    void minReadySecondsDelaysAvailabilityAndAsksForARecheck() {
        Pod p = pod("p-a", "a", "new", true);
        p.getStatus().getConditions().get(0).setLastTransitionTime("2026-01-01T11:59:50Z");
        DaemonSetPlan plan = DaemonSetPlan.compute(List.of(node("a")), new PodSpec(), List.of(p), "new", ROLLING, 30, NOW);
        assertThat(plan.counts.ready()).isEqualTo(1);
        assertThat(plan.counts.available()).isZero();
        assertThat(plan.recheck).isBetween(java.time.Duration.ofSeconds(20), java.time.Duration.ofSeconds(21));
    }

    @Test
    void pinnedButUnboundPodsCountForTheirNode() {
        Pod pending = pod("p-a", "a", "new", false);
        pending.getSpec().setNodeName(null);
        DaemonPlacement.pinToNode(pending.getSpec(), "a");
        assertThat(DaemonSetPlan.compute(List.of(node("a")), new PodSpec(), List.of(pending), "new", ROLLING, 0, NOW).createOn).isEmpty();
    }
}
