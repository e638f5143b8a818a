package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one pass of the StatefulSet controller does, from the set and its pods: which ordinals to
 * create (and from which revision), which pods to delete, and the status counts.
 *
 * <p>OrderedReady takes one step at a time: it creates ordinals upwards, each only once all below
 * it are running and ready; removes surplus ordinals downwards, one at a time; and updates from the
 * highest ordinal down to the partition, one at a time, each after the one above is healthy again.
 * Parallel creates and removes all at once, but still updates one pod at a time.
 */
final class StatefulSetPlan {
    record Create(int ordinal, boolean fromUpdateRevision) {}

    record Counts(int replicas, int ready, int available, int current, int updated) {}

    final List<Create> create = new ArrayList<>();
    final List<Pod> delete = new ArrayList<>();
    Counts counts;
    Duration recheck;

    static StatefulSetPlan compute(StatefulSet set, List<Pod> pods, String currentRevision, String updateRevision,
                                   Instant now) {
        StatefulSetSpec spec = set.getSpec();
        int replicas = spec.getReplicas() == null ? 1 : spec.getReplicas();
        int start = spec.getOrdinals() == null || spec.getOrdinals().getStart() == null ? 0 : spec.getOrdinals().getStart();
        int minReady = spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds();
        boolean ordered = !"Parallel".equals(spec.getPodManagementPolicy());
        boolean onDelete = spec.getUpdateStrategy() != null && "OnDelete".equals(spec.getUpdateStrategy().getType());
        int partition = onDelete || spec.getUpdateStrategy() == null || spec.getUpdateStrategy().getRollingUpdate() == null
                || spec.getUpdateStrategy().getRollingUpdate().getPartition() == null
                ? 0 : spec.getUpdateStrategy().getRollingUpdate().getPartition();

        Map<Integer, Pod> slots = new TreeMap<>();
        List<Pod> condemned = new ArrayList<>();
        for (Pod p : pods) {
            int ordinal = StatefulPods.ordinal(set, p);
            if (ordinal < 0) {
                continue;
            }
            if (ordinal >= start && ordinal < start + replicas) {
                slots.put(ordinal, p);
            } else {
                condemned.add(p);
            }
        }
        condemned.sort(Comparator.comparingInt((Pod p) -> StatefulPods.ordinal(set, p)).reversed());

        StatefulSetPlan plan = new StatefulSetPlan();
        plan.counts = count(pods, currentRevision, updateRevision, minReady, now);
        plan.recheck = soonestAvailability(pods, minReady, now);
        if (!plan.scale(slots, condemned, replicas, start, partition, onDelete, ordered, minReady, now) || onDelete) {
            return plan;
        }
        plan.rollingUpdate(slots, replicas, start, partition, updateRevision, minReady, now);
        return plan;
    }

    /** @return whether the set has all its ordinals, healthy, and nothing surplus, so updating may go on */
    private boolean scale(Map<Integer, Pod> slots, List<Pod> condemned, int replicas, int start, int partition,
                          boolean onDelete, boolean ordered, int minReady, Instant now) {
        boolean settled = true;
        for (int i = 0; i < replicas; i++) {
            Pod p = slots.get(start + i);
            if (p == null) {
                // ordinals below the partition keep the current revision, as if not yet updated
                create.add(new Create(start + i, onDelete || i >= partition));
                settled = false;
            } else if ((PodStates.failed(p) || PodStates.succeeded(p)) && !PodStates.terminating(p)) {
                delete.add(p); // replaced once it is gone
                settled = false;
            } else if (!healthy(p, minReady, now)) {
                settled = false;
            } else {
                continue;
            }
            if (ordered) {
                return false;
            }
        }
        for (Pod p : condemned) {
            settled = false;
            if (PodStates.terminating(p)) {
                if (ordered) {
                    return false;
                }
                continue;
            }
            delete.add(p);
            if (ordered) {
                return false;
            }
        }
        return settled;
    }

    private void rollingUpdate(Map<Integer, Pod> slots, int replicas, int start, int partition, String updateRevision,
                               int minReady, Instant now) {
        for (int i = replicas - 1; i >= partition; i--) {
            Pod p = slots.get(start + i);
            if (p == null) {
                return;
            }
            if (!updateRevision.equals(StatefulPods.revision(p)) && !PodStates.terminating(p)) {
                delete.add(p);
                return;
            }
            if (!healthy(p, minReady, now)) {
                return;
            }
        }
    }

    private static boolean healthy(Pod p, int minReady, Instant now) {
        return !PodStates.terminating(p) && PodStates.runningAndReady(p) && PodStates.available(p, minReady, now);
    }

    private static Counts count(List<Pod> pods, String currentRevision, String updateRevision, int minReady, Instant now) {
        int replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
        for (Pod p : pods) {
            replicas++;
            if (PodStates.runningAndReady(p)) {
                ready++;
                if (PodStates.available(p, minReady, now)) {
                    available++;
                }
            }
            if (!PodStates.terminating(p)) {
                String revision = StatefulPods.revision(p);
                if (currentRevision.equals(revision)) {
                    current++;
                }
                if (updateRevision.equals(revision)) {
                    updated++;
                }
            }
        }
        return new Counts(replicas, ready, available, current, updated);
    }

    private static Duration soonestAvailability(List<Pod> pods, int minReady, Instant now) {
        if (minReady <= 0) {
            return null;
        }
        Instant soonest = null;
        for (Pod p : pods) {
            Instant at = PodStates.availableAt(p, minReady);
            if (at != null && at.isAfter(now) && (soonest == null || at.isBefore(soonest))) {
                soonest = at;
            }
        }
        return soonest == null ? null : Duration.between(now, soonest).plusMillis(100);
    }
}
