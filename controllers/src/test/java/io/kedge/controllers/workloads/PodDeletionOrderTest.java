package io.kedge.controllers.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDeletionOrderTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private static PodBuilder pod(String name, String node, String phase, boolean ready, String created) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(name).withCreationTimestamp(created)
                .endMetadata().withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(created).endCondition().endStatus();
    }

    private static Pod running(String name, String node, String created) {
        return pod(name, node, "Running", true, created).build();
    }

    private static List<String> firstToDelete(List<Pod> pods, List<Pod> related, int count) {
        return PodDeletionOrder.podsToDelete(pods, related, count, NOW).stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void unscheduledGoesBeforePendingBeforeNotReadyBeforeReady() {
        Pod ready = running("ready", "n1", "2030-01-01T11:00:00Z");
        Pod notReady = pod("not-ready", "n1", "Running", false, "2030-01-01T11:00:00Z").build();
        Pod pending = pod("pending", "n1", "Pending", false, "2030-01-01T11:00:00Z").build();
        Pod unscheduled = pod("unscheduled", null, "Pending", false, "2030-01-01T11:00:00Z").build();
        List<Pod> pods = List.of(ready, notReady, pending, unscheduled);
        assertThat(firstToDelete(pods, pods, 3)).containsExactly("unscheduled", "pending", "not-ready");
    }

    @Test
    void aLowerDeletionCostGoesFirst() {
        Pod cheap = pod("cheap", "n1", "Running", true, "2030-01-01T11:00:00Z").editMetadata()
                .withAnnotations(Map.of(PodDeletionOrder.DELETION_COST_ANNOTATION, "-5")).endMetadata().build();
        Pod dear = pod("dear", "n2", "Running", true, "2030-01-01T11:59:00Z").editMetadata()
                .withAnnotations(Map.of(PodDeletionOrder.DELETION_COST_ANNOTATION, "100")).endMetadata().build();
        assertThat(firstToDelete(List.of(dear, cheap), List.of(dear, cheap), 1)).containsExactly("cheap");
    }

    @Test
    void aPodDoubledUpOnANodeGoesBeforeALoneOne() {
        Pod lone = running("lone", "n1", "2030-01-01T11:59:00Z");
        Pod doubled = running("doubled", "n2", "2030-01-01T06:00:00Z");
        Pod sibling = running("sibling-of-another-revision", "n2", "2030-01-01T06:00:00Z");
        assertThat(firstToDelete(List.of(lone, doubled), List.of(lone, doubled, sibling), 1)).containsExactly("doubled");
    }

    @Test
    void amongEqualPodsTheMoreRecentlyReadyGoesFirstComparingAgesInPowersOfTwo() {
        Pod old = running("old", "n1", "2030-01-01T06:00:00Z");
        Pod young = running("young", "n2", "2030-01-01T11:59:00Z");
        assertThat(firstToDelete(List.of(old, young), List.of(old, young), 1)).containsExactly("young");
    }

    @Test
    void moreRestartsGoFirst() {
        Pod calm = running("calm", "n1", "2030-01-01T11:00:00Z");
        Pod crashy = pod("crashy", "n2", "Running", true, "2030-01-01T11:00:00Z").editStatus().addNewContainerStatus()
                .withName("app").withRestartCount(7).endContainerStatus().endStatus().build();
        assertThat(firstToDelete(List.of(calm, crashy), List.of(calm, crashy), 1)).containsExactly("crashy");
    }
}
