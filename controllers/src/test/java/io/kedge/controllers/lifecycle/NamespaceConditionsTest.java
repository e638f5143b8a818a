package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceConditionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aCleanPassSetsTheFiveConditionsFalse() {
        NamespaceStatus status = new NamespaceStatus();

        boolean changed = NamespaceConditions.apply(status, new ContentDeletion(List.of(), List.of(), Map.of(), Map.of()), T0);

        assertThat(changed).isTrue();
        assertThat(status.getConditions()).hasSize(5).allMatch(c -> c.getStatus().equals("False"));
        assertThat(condition(status, NamespaceConditions.CONTENT_FAILURE).getReason()).isEqualTo("ContentDeleted");
    }

    @Test
    void remainingContentAndFailuresAreSpelledOut() {
        NamespaceStatus status = new NamespaceStatus();
        ContentDeletion pass = new ContentDeletion(List.of("apps/v1: timeout"), List.of("Failed to delete pods: boom"),
                Map.of("pods.", 2, "widgets.example.com", 1), Map.of("example.com/hold", 1));

        NamespaceConditions.apply(status, pass, T0);

        assertThat(condition(status, NamespaceConditions.DISCOVERY_FAILURE).getMessage())
                .isEqualTo("Discovery failed for some groups, 1 failing: apps/v1: timeout");
        assertThat(condition(status, NamespaceConditions.CONTENT_FAILURE).getMessage())
                .isEqualTo("Failed to delete all resource types, 1 remaining: Failed to delete pods: boom");
        assertThat(condition(status, NamespaceConditions.CONTENT_REMAINING).getMessage())
                .isEqualTo("Some resources are remaining: pods. has 2 resource instances, widgets.example.com has 1 resource instances");
        assertThat(condition(status, NamespaceConditions.FINALIZERS_REMAINING).getMessage())
                .isEqualTo("Some finalizers are remaining: example.com/hold in 1 resource instances");
        assertThat(condition(status, NamespaceConditions.FINALIZERS_REMAINING).getReason()).isEqualTo("SomeFinalizerRemain");
    }

    @Test
    void theSamePassAgainChangesNothingAndATransitionMovesTheTime() {
        NamespaceStatus status = new NamespaceStatus();
        ContentDeletion remaining = new ContentDeletion(List.of(), List.of(), Map.of("pods.", 1), Map.of());
        NamespaceConditions.apply(status, remaining, T0);

        assertThat(NamespaceConditions.apply(status, remaining, T0.plusSeconds(5))).isFalse();

        NamespaceConditions.apply(status, new ContentDeletion(List.of(), List.of(), Map.of(), Map.of()), T0.plusSeconds(9));
        assertThat(condition(status, NamespaceConditions.CONTENT_REMAINING).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:09Z");
        assertThat(condition(status, NamespaceConditions.DISCOVERY_FAILURE).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    }

    private static NamespaceCondition condition(NamespaceStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
