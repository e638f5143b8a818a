package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Which of a Job's running pods to give up first: those that have got least far. */
final class PodOrder {
    private static final Comparator<Pod> LEAST_PROGRESS_FIRST = Comparator
            .comparing((Pod p) -> p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
            .thenComparingInt(PodOrder::phaseRank)
            .thenComparing(JobPods::ready)
            .thenComparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp(),
                    Comparator.reverseOrder());

    private PodOrder() {}

    /** Unscheduled before scheduled, pending before running, not ready before ready, newer before older. */
    static List<Pod> forRemoval(List<Pod> pods) {
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(LEAST_PROGRESS_FIRST);
        return sorted;
    }

    /**
     * For an Indexed Job: pods without a valid index and all but the furthest-along pod of each index,
     * then more in removal order until at least {@code atLeast} are chosen.
     */
    static List<Pod> indexedRemovals(List<Pod> pods, int atLeast, int completions) {
        List<Pod> sorted = forRemoval(pods);
        List<Pod> remove = new ArrayList<>();
        Set<Integer> kept = new HashSet<>();
        for (int i = sorted.size() - 1; i >= 0; i--) {
            Pod p = sorted.get(i);
            int ix = JobPods.completionIndex(p);
            if (ix == JobPods.NO_INDEX || ix >= completions || !kept.add(ix)) {
                remove.add(p);
            }
        }
        for (Pod p : sorted) {
            if (remove.size() >= atLeast) {
                break;
            }
            if (!remove.contains(p)) {
                remove.add(p);
            }
        }
        return remove;
    }

    private static int phaseRank(Pod p) {
        String phase = JobPods.phase(p);
        if (phase == null || "Pending".equals(phase)) {
            return 0;
        }
        return "Running".equals(phase) ? 2 : 1;
    }
}
