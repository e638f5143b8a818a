package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * When a pod must leave a node because of the node's NoExecute taints: at once if one of them is not
 * tolerated; never if every toleration used is unbounded; otherwise after the smallest
 * {@code tolerationSeconds} among the tolerations used, counted from when the node got its first
 * NoExecute taint (its timeAdded), or from the pod's creation if the pod came later.
 */
public final class NoExecuteEviction {
    private NoExecuteEviction() {}

    /** {@code at} is null when the pod may stay; otherwise the instant from which it must go. */
    public record Verdict(Instant at, String reason) {
        static final Verdict STAY = new Verdict(null, "tolerated");

        public boolean evicts() {
            return at != null;
        }
    }

    /**
     * @param since when each taint was added: its timeAdded, or when the caller first saw it if it has none
     */
    public static Verdict judge(Pod pod, List<Taint> nodeTaints, Function<Taint, Instant> since) {
        List<Taint> noExecute = new ArrayList<>();
        if (nodeTaints != null) {
            nodeTaints.stream().filter(t -> Tolerations.NO_EXECUTE.equals(t.getEffect())).forEach(noExecute::add);
        }
        if (noExecute.isEmpty()) {
            return Verdict.STAY;
        }
        List<Toleration> tolerations = pod.getSpec() == null || pod.getSpec().getTolerations() == null
                ? List.of() : pod.getSpec().getTolerations();
        Set<Toleration> used = new LinkedHashSet<>();
        Instant start = null;
        for (Taint taint : noExecute) {
            List<Toleration> matching = tolerations.stream().filter(t -> Tolerations.tolerates(t, taint)).toList();
            if (matching.isEmpty()) {
                return new Verdict(Instant.MIN, "the taint " + describe(taint) + " is not tolerated");
            }
            used.addAll(matching);
            Instant added = since.apply(taint);
            start = start == null || (added != null && added.isBefore(start)) ? added : start;
        }
        Long minSeconds = null;
        for (Toleration t : used) {
            if (t.getTolerationSeconds() != null && (minSeconds == null || t.getTolerationSeconds() < minSeconds)) {
                minSeconds = t.getTolerationSeconds();
            }
        }
        if (minSeconds == null) {
            return Verdict.STAY;
        }
        if (minSeconds <= 0) {
            return new Verdict(Instant.MIN, "the NoExecute taints are tolerated for 0 seconds");
        }
        Instant created = Timestamps.parse(pod.getMetadata().getCreationTimestamp());
        Instant from = Timestamps.latest(start, created);
        if (from == null) {
            from = Instant.EPOCH;
        }
        return new Verdict(from.plusSeconds(minSeconds), "the NoExecute taints are tolerated for " + minSeconds + "s");
    }

    static String describe(Taint t) {
        return t.getKey() + (t.getValue() == null || t.getValue().isEmpty() ? "" : "=" + t.getValue()) + ":" + t.getEffect();
    }
}
