package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoExecuteEvictionTest {
    private static final Instant ADDED = Instant.parse("2026-01-01T12:00:00Z");
    private static final Taint UNREACHABLE = new TaintBuilder().withKey(NodeTaints.UNREACHABLE).withEffect("NoExecute")
            .withTimeAdded(ADDED.toString()).build();
    private static final Taint NO_SCHEDULE = new TaintBuilder().withKey("x").withEffect("NoSchedule").build();

    static Pod pod(String created, Toleration... tolerations) {
        return new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp(created).endMetadata()
                .withNewSpec().withTolerations(tolerations).endSpec().build();
    }

    static Toleration unreachableFor(Long seconds) {
        return new TolerationBuilder().withKey(NodeTaints.UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(seconds).build();
    }

    static NoExecuteEviction.Verdict judge(Pod pod, Taint... taints) {
        return NoExecuteEviction.judge(pod, List.of(taints), t -> Timestamps.parse(t.getTimeAdded()));
    }

    @Test
    void onlyNoExecuteTaintsEvict() {
        assertThat(judge(pod("2026-01-01T00:00:00Z"), NO_SCHEDULE).evicts()).isFalse();
    }

    @Test
    void anUntoleratedNoExecuteTaintEvictsAtOnce() {
        NoExecuteEviction.Verdict v = judge(pod("2026-01-01T00:00:00Z"), UNREACHABLE);
        assertThat(v.at()).isEqualTo(Instant.MIN);
        assertThat(v.reason()).contains("node.kubernetes.io/unreachable:NoExecute is not tolerated");
    }

    @Test
    void aBoundedTolerationEvictsThatManySecondsAfterTheTaintWasAdded() {
        assertThat(judge(pod("2026-01-01T00:00:00Z", unreachableFor(3L)), UNREACHABLE).at()).isEqualTo(ADDED.plusSeconds(3));
    }

    @Test
    void anUnboundedTolerationKeepsThePodForever() {
        assertThat(judge(pod("2026-01-01T00:00:00Z", unreachableFor(null)), UNREACHABLE).evicts()).isFalse();
    }

    @Test
    void theShortestOfTheTolerationsUsedWins() {
        Toleration all = new TolerationBuilder().withOperator("Exists").withTolerationSeconds(60L).build();
        assertThat(judge(pod("2026-01-01T00:00:00Z", unreachableFor(null), all), UNREACHABLE).at()).isEqualTo(ADDED.plusSeconds(60));
    }

    @Test
    void aPodThatArrivedAfterTheTaintCountsFromItsCreation() {
        Instant created = ADDED.plusSeconds(100);
        assertThat(judge(pod(created.toString(), unreachableFor(3L)), UNREACHABLE).at()).isEqualTo(created.plusSeconds(3));
    }
}
