package io.kedge.controllers.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The status a budget should show, with its {@code DisruptionAllowed} condition. */
final class BudgetStatus {
    static final String CONDITION = "DisruptionAllowed";
    static final String SUFFICIENT = "SufficientPods";
    static final String INSUFFICIENT = "InsufficientPods";
    static final String SYNC_FAILED = "SyncFailed";

    private BudgetStatus() {}

    static PodDisruptionBudgetStatus computed(PodDisruptionBudget pdb, int currentHealthy, HealthyTarget target,
                                              Map<String, String> disrupted, Instant now) {
        int allowed = currentHealthy - target.desiredHealthy();
        if (target.expectedPods() <= 0 || allowed <= 0) {
            allowed = 0;
        }
        PodDisruptionBudgetStatus status = base(pdb);
        status.setCurrentHealthy(currentHealthy);
        status.setDesiredHealthy(target.desiredHealthy());
        status.setExpectedPods(target.expectedPods());
        status.setDisruptionsAllowed(allowed);
        status.setDisruptedPods(disrupted.isEmpty() ? null : Map.copyOf(disrupted));
        setCondition(status, allowed > 0 ? "True" : "False", allowed > 0 ? SUFFICIENT : INSUFFICIENT, "", now);
        return status;
    }

    /** When the target cannot be computed no disruption may pass: the eviction subresource refuses them all. */
    static PodDisruptionBudgetStatus failSafe(PodDisruptionBudget pdb, String why, Instant now) {
        PodDisruptionBudgetStatus old = pdb.getStatus();
        PodDisruptionBudgetStatus status = base(pdb);
        if (old != null) {
            status.setCurrentHealthy(old.getCurrentHealthy());
            status.setDesiredHealthy(old.getDesiredHealthy());
            status.setExpectedPods(old.getExpectedPods());
            status.setDisruptedPods(old.getDisruptedPods());
        }
        status.setDisruptionsAllowed(0);
        setCondition(status, "False", SYNC_FAILED, why, now);
        return status;
    }

    private static PodDisruptionBudgetStatus base(PodDisruptionBudget pdb) {
        PodDisruptionBudgetStatus status = new PodDisruptionBudgetStatus();
        status.setObservedGeneration(pdb.getMetadata().getGeneration());
        List<Condition> conditions = new ArrayList<>();
        if (pdb.getStatus() != null && pdb.getStatus().getConditions() != null) {
            conditions.addAll(pdb.getStatus().getConditions());
        }
        status.setConditions(conditions);
        status.setCurrentHealthy(0);
        status.setDesiredHealthy(0);
        status.setExpectedPods(0);
        return status;
    }

    /** The transition time moves only when the condition's status does. */
    private static void setCondition(PodDisruptionBudgetStatus status, String value, String reason, String message, Instant now) {
        List<Condition> conditions = status.getConditions();
        Condition old = conditions.stream().filter(c -> CONDITION.equals(c.getType())).findFirst().orElse(null);
        String since = old != null && value.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now.truncatedTo(ChronoUnit.SECONDS).toString();
        Condition wanted = new ConditionBuilder().withType(CONDITION).withStatus(value).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withObservedGeneration(status.getObservedGeneration()).build();
        conditions.removeIf(c -> CONDITION.equals(c.getType()));
        conditions.add(wanted);
    }

    static boolean same(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getCurrentHealthy(), b.getCurrentHealthy())
                && Objects.equals(a.getDesiredHealthy(), b.getDesiredHealthy())
                && Objects.equals(a.getExpectedPods(), b.getExpectedPods())
                && Objects.equals(a.getDisruptionsAllowed(), b.getDisruptionsAllowed())
                && Objects.equals(emptyIfNull(a.getDisruptedPods()), emptyIfNull(b.getDisruptedPods()))
                && Objects.equals(comparable(a.getConditions()), comparable(b.getConditions()));
    }

    /** Conditions as the server may echo them back: an empty message may come back absent. */
    private static List<List<Object>> comparable(List<Condition> conditions) {
        List<List<Object>> out = new ArrayList<>();
        for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
            out.add(java.util.Arrays.asList(c.getType(), c.getStatus(), c.getReason(),
                    c.getMessage() == null ? "" : c.getMessage(), c.getObservedGeneration(), c.getLastTransitionTime()));
        }
        return out;
    }

    private static Map<String, String> emptyIfNull(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
