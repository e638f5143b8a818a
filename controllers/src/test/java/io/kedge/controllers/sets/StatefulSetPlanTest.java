package io.kedge.controllers.sets;

import static io.kedge.controllers.sets.Fixtures.NOW;
import static io.kedge.controllers.sets.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetPlanTest {
    static StatefulSet set(int replicas, String policy, Integer partition) {
        return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                .withNewSpec().withReplicas(replicas).withPodManagementPolicy(policy)
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(partition)
                .endRollingUpdate().endUpdateStrategy().endSpec().build();
    }

    static StatefulSetPlan plan(StatefulSet set, Pod... pods) {
        return StatefulSetPlan.compute(set, List.of(pods), "r1", "r2", NOW);
    }

    static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void orderedReadyCreatesTheLowestMissingOrdinalOnlyOnceThoseBelowAreReady() {
        assertThat(plan(set(3, "OrderedReady", 0)).create).containsExactly(new StatefulSetPlan.Create(0, true));
        assertThat(plan(set(3, "OrderedReady", 0), pod("web-0", "n", "r2", false)).create).isEmpty();
        assertThat(plan(set(3, "OrderedReady", 0), pod("web-0", "n", "r2", true)).create)
                .containsExactly(new StatefulSetPlan.Create(1, true));
    }

    @Test
    void parallelCreatesEveryMissingOrdinalAtOnce() {
        assertThat(plan(set(3, "Parallel", 0), pod("web-1", "n", "r2", false)).create)
                .extracting(StatefulSetPlan.Create::ordinal).containsExactly(0, 2);
    }

    @Test
    void orderedReadyScalesDownFromTheHighestOrdinalOneAtATime() {
        Pod p0 = pod("web-0", "n", "r2", true);
        assertThat(names(plan(set(1, "OrderedReady", 0), p0, pod("web-1", "n", "r2", true), pod("web-2", "n", "r2", true)).delete))
                .containsExactly("web-2");
        assertThat(plan(set(1, "OrderedReady", 0), p0, pod("web-1", "n", "r2", true),
                Fixtures.terminating(pod("web-2", "n", "r2", true))).delete).isEmpty();
        assertThat(names(plan(set(1, "Parallel", 0), p0, pod("web-1", "n", "r2", true), pod("web-2", "n", "r2", true)).delete))
                .containsExactly("web-2", "web-1");
    }

    @Test
    void aRollingUpdateGoesFromTheHighestOrdinalDownToThePartitionOneHealthyPodAtATime() {
        StatefulSet set = set(3, "OrderedReady", 1);
        Pod p0 = pod("web-0", "n", "r1", true);
        Pod p1 = pod("web-1", "n", "r1", true);
        assertThat(names(plan(set, p0, p1, pod("web-2", "n", "r1", true)).delete)).containsExactly("web-2");
        assertThat(plan(set, p0, p1, pod("web-2", "n", "r2", false)).delete).as("waits for web-2 to be ready").isEmpty();
        assertThat(names(plan(set, p0, p1, pod("web-2", "n", "r2", true)).delete)).containsExactly("web-1");
        assertThat(plan(set, p0, pod("web-1", "n", "r2", true), pod("web-2", "n", "r2", true)).delete)
                .as("web-0 is below the partition").isEmpty();
    }

    @Test
    void aRecreatedOrdinalBelowThePartitionKeepsTheCurrentRevision() {
        StatefulSet set = set(3, "Parallel", 2);
        assertThat(plan(set, pod("web-2", "n", "r2", true)).create).containsExactly(
                new StatefulSetPlan.Create(0, false), new StatefulSetPlan.Create(1, false));
    }

    @Test
    void aFailedPodIsDeletedToBeRecreatedAndTheCountsFollowTheRevisions() {
        Pod failed = pod("web-1", "n", "r1", false);
        failed.getStatus().setPhase("Failed");
        StatefulSetPlan plan = plan(set(2, "OrderedReady", 0), pod("web-0", "n", "r2", true), failed);
        assertThat(names(plan.delete)).containsExactly("web-1");
        assertThat(plan.counts).isEqualTo(new StatefulSetPlan.Counts(2, 1, 1, 1, 1));
    }

    @Test
    void podsOfOtherNamesAreNotMembers() {
        assertThat(plan(set(1, "OrderedReady", 0), pod("web-0", "n", "r2", true), pod("webby-1", "n", "r2", true),
                pod("web-01", "n", "r2", true)).delete).isEmpty();
    }
}
