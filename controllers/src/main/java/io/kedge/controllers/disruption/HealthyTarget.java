package io.kedge.controllers.disruption;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import java.util.List;

/**
 * How many pods a budget expects, and how many of them must stay healthy.
 *
 * <p>An absolute minAvailable needs no scale: the pods there are are the pods expected. A
 * percentage, or maxUnavailable, is taken of the workloads' scale, since pods missing right now
 * (mid-rollout, or already disrupted) must still count.
 */
record HealthyTarget(int expectedPods, int desiredHealthy, List<String> unmanagedPods) {

    /**
     * @throws IllegalArgumentException for a value that is neither an integer nor a percentage
     * @throws IllegalStateException    for a pod whose controller has no known scale
     */
    static HealthyTarget of(PodDisruptionBudgetSpec spec, List<Pod> pods, ExpectedScale scales) {
        IntOrString maxUnavailable = spec == null ? null : spec.getMaxUnavailable();
        IntOrString minAvailable = spec == null ? null : spec.getMinAvailable();
        if (maxUnavailable != null) {
            ExpectedScale.Result scale = scales.of(pods);
            int unavailable = scaled(maxUnavailable, scale.expected(), "maxUnavailable");
            return new HealthyTarget(scale.expected(), Math.max(0, scale.expected() - unavailable), scale.unmanaged());
        }
        if (minAvailable != null) {
            if (minAvailable.getIntVal() != null) {
                return new HealthyTarget(pods.size(), minAvailable.getIntVal(), List.of());
            }
            ExpectedScale.Result scale = scales.of(pods);
            return new HealthyTarget(scale.expected(), scaled(minAvailable, scale.expected(), "minAvailable"), scale.unmanaged());
        }
        return new HealthyTarget(0, 0, List.of());
    }

    /** An integer as it is; a percentage of {@code total}, rounded up. */
    static int scaled(IntOrString value, int total, String field) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal() == null ? "" : value.getStrVal();
        if (!s.endsWith("%")) {
            throw new IllegalArgumentException(field + " must be an integer or a percentage such as \"50%\", got \"" + s + "\"");
        }
        int percent;
        try {
            percent = Integer.parseInt(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be an integer or a percentage such as \"50%\", got \"" + s + "\"");
        }
        return (int) Math.ceil(percent * (double) total / 100.0);
    }
}
