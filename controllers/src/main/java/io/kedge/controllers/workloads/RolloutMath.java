package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.util.List;

/**
 * The numbers of a rolling update: maxSurge rounds a percentage up, maxUnavailable rounds it down,
 * and if both come to zero one pod may be unavailable, so that the rollout can move at all.
 */
final class RolloutMath {
    static final String DEFAULT_PERCENT = "25%";

    private RolloutMath() {}

    record Fenceposts(int surge, int unavailable) {}

    static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static boolean isRollingUpdate(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                || "RollingUpdate".equals(d.getSpec().getStrategy().getType());
    }

    static boolean isRecreate(Deployment d) {
        return d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    }

    static Fenceposts fenceposts(Deployment d) {
        RollingUpdateDeployment ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        IntOrString surge = ru == null || ru.getMaxSurge() == null ? new IntOrString(DEFAULT_PERCENT) : ru.getMaxSurge();
        IntOrString unavailable = ru == null || ru.getMaxUnavailable() == null ? new IntOrString(DEFAULT_PERCENT) : ru.getMaxUnavailable();
        int desired = replicas(d);
        int s = scaled(surge, desired, true, "spec.strategy.rollingUpdate.maxSurge");
        int u = scaled(unavailable, desired, false, "spec.strategy.rollingUpdate.maxUnavailable");
        if (s == 0 && u == 0) {
            u = 1;
        }
        return new Fenceposts(s, u);
    }

    static int maxSurge(Deployment d) {
        return isRollingUpdate(d) ? fenceposts(d).surge() : 0;
    }

    static int maxUnavailable(Deployment d) {
        int desired = replicas(d);
        if (!isRollingUpdate(d) || desired == 0) {
            return 0;
        }
        return Math.min(fenceposts(d).unavailable(), desired);
    }

    /** An absolute number, or a percentage of {@code total} rounded up or down. */
    static int scaled(IntOrString value, int total, boolean roundUp, String field) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal();
        if (s == null) {
            throw new IllegalArgumentException(field + " has no value");
        }
        if (!s.endsWith("%")) {
            throw new IllegalArgumentException(field + " \"" + s + "\" is neither an integer nor a percentage");
        }
        int percent;
        try {
            percent = Integer.parseInt(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " \"" + s + "\" is not a valid percentage");
        }
        long product = (long) percent * total;
        return (int) (roundUp ? -Math.floorDiv(-product, 100) : Math.floorDiv(product, 100));
    }

    /** How many replicas the new ReplicaSet may have now, given every ReplicaSet's spec.replicas. */
    static int newReplicaSetReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
        int desired = replicas(d);
        int current = ReplicaSets.specReplicas(newRs);
        if (isRecreate(d)) {
            return desired;
        }
        int maxTotal = desired + maxSurge(d);
        int total = ReplicaSets.specSum(all);
        if (total >= maxTotal) {
            return current;
        }
        return current + Math.min(maxTotal - total, desired - current);
    }
}
