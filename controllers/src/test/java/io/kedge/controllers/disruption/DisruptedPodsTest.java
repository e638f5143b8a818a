package io.kedge.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisruptedPodsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void anEvictedPodNotYetDeletingStaysRecordedUntilItsDeletionIsDue() {
        List<Pod> pods = List.of(Pods.ownedBy("a", "ReplicaSet", "rs", "u", true));

        DisruptedPods d = DisruptedPods.prune(Map.of("a", "2026-01-01T11:59:30Z"), pods, NOW);

        assertThat(d.kept()).containsOnlyKeys("a");
        assertThat(d.recheckAt()).isEqualTo(Instant.parse("2026-01-01T12:01:30Z"));
        assertThat(d.notDeleted()).isEmpty();
    }

    @Test
    void podsSeenDeletingOrGoneLeaveTheRecord() {
        List<Pod> pods = List.of(Pods.deleting(Pods.ownedBy("a", "ReplicaSet", "rs", "u", true)));

        DisruptedPods d = DisruptedPods.prune(Map.of("a", "2026-01-01T11:59:30Z", "gone", "2026-01-01T11:59:30Z"), pods, NOW);

        assertThat(d.kept()).isEmpty();
        assertThat(d.recheckAt()).isNull();
        assertThat(d.notDeleted()).isEmpty();
    }

    @Test
    void aPodStillThereAfterTheDeletionTimeoutIsReportedAndForgotten() {
        List<Pod> pods = List.of(Pods.ownedBy("a", "ReplicaSet", "rs", "u", true), Pods.ownedBy("b", "ReplicaSet", "rs", "u", true));

        DisruptedPods d = DisruptedPods.prune(Map.of("a", "2026-01-01T11:50:00Z", "b", "not a time"), pods, NOW);

        assertThat(d.kept()).isEmpty();
        assertThat(d.notDeleted()).containsExactlyInAnyOrder("a", "b");
    }
}
