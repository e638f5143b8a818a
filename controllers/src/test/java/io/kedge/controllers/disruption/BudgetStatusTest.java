package io.kedge.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetStatusTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static PodDisruptionBudget budget(long generation) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName("b").withNamespace("ns").withGeneration(generation)
                .endMetadata().build();
    }

    private static Condition condition(PodDisruptionBudgetStatus s) {
        return s.getConditions().stream().filter(c -> c.getType().equals("DisruptionAllowed")).findFirst().orElseThrow();
    }

    @Test
    void disruptionsAllowedAreTheHealthyPodsAboveTheDesiredOnes() {
        PodDisruptionBudgetStatus s = BudgetStatus.computed(budget(3), 5, new HealthyTarget(5, 3, List.of()), Map.of(), NOW);

        assertThat(s.getDisruptionsAllowed()).isEqualTo(2);
        assertThat(s.getObservedGeneration()).isEqualTo(3);
        assertThat(s.getCurrentHealthy()).isEqualTo(5);
        assertThat(s.getDesiredHealthy()).isEqualTo(3);
        assertThat(s.getExpectedPods()).isEqualTo(5);
        assertThat(condition(s).getStatus()).isEqualTo("True");
        assertThat(condition(s).getReason()).isEqualTo("SufficientPods");
    }

    @Test
    void tooFewHealthyPodsOrNoExpectedPodsAllowNoDisruption() {
        PodDisruptionBudgetStatus short_ = BudgetStatus.computed(budget(1), 1, new HealthyTarget(3, 2, List.of()), Map.of(), NOW);
        PodDisruptionBudgetStatus none = BudgetStatus.computed(budget(1), 2, new HealthyTarget(0, 0, List.of()), Map.of(), NOW);

        assertThat(short_.getDisruptionsAllowed()).isZero();
        assertThat(condition(short_).getReason()).isEqualTo("InsufficientPods");
        assertThat(condition(short_).getStatus()).isEqualTo("False");
        assertThat(none.getDisruptionsAllowed()).isZero();
    }

    @Test
    void theConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        PodDisruptionBudget pdb = budget(1);
        pdb.setStatus(BudgetStatus.computed(pdb, 3, new HealthyTarget(3, 1, List.of()), Map.of(), NOW));

        PodDisruptionBudgetStatus later = BudgetStatus.computed(pdb, 2, new HealthyTarget(3, 1, List.of()), Map.of(),
                NOW.plusSeconds(60));
        PodDisruptionBudgetStatus flipped = BudgetStatus.computed(pdb, 1, new HealthyTarget(3, 1, List.of()), Map.of(),
                NOW.plusSeconds(60));

        assertThat(condition(later).getLastTransitionTime()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(condition(flipped).getLastTransitionTime()).isEqualTo("2026-01-01T12:01:00Z");
        assertThat(BudgetStatus.same(pdb.getStatus(), BudgetStatus.computed(pdb, 3, new HealthyTarget(3, 1, List.of()),
                Map.of(), NOW.plusSeconds(60)))).as("nothing to write when nothing changed").isTrue();
    }

    @Test
    void aBudgetThatCannotBeComputedAllowsNothingAndSaysWhy() {
        PodDisruptionBudget pdb = budget(2);
        pdb.setStatus(BudgetStatus.computed(pdb, 3, new HealthyTarget(3, 1, List.of()), Map.of("p", "2026-01-01T11:59:00Z"), NOW));

        PodDisruptionBudgetStatus s = BudgetStatus.failSafe(pdb, "found no controllers for pod \"x\"", NOW);

        assertThat(s.getDisruptionsAllowed()).isZero();
        assertThat(condition(s).getReason()).isEqualTo("SyncFailed");
        assertThat(condition(s).getMessage()).contains("\"x\"");
        assertThat(s.getDisruptedPods()).containsOnlyKeys("p");
    }
}
