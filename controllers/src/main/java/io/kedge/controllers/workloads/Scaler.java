package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets ReplicaSet sizes for a Deployment. Each write also records the Deployment's size on the
 * ReplicaSet, so that when the Deployment is resized mid-rollout every ReplicaSet can be scaled in
 * proportion to its share.
 */
final class Scaler {
    record Result(boolean scaled, ReplicaSet rs) {}

    private Scaler() {}

    /** Scales to newScale if that differs from the current size. */
    static Result scaleAndRecord(DeploymentPass p, ReplicaSet rs, int newScale) {
        int current = ReplicaSets.specReplicas(rs);
        if (current == newScale) {
            return new Result(false, rs);
        }
        return scale(p, rs, newScale, current < newScale ? "up" : "down");
    }

    static Result scale(DeploymentPass p, ReplicaSet rs, int newScale, String operation) {
        Deployment d = p.deployment();
        int oldScale = ReplicaSets.specReplicas(rs);
        int desired = RolloutMath.replicas(d);
        int max = desired + RolloutMath.maxSurge(d);
        boolean sizeChanges = oldScale != newScale;
        if (!sizeChanges && !Revisions.replicasAnnotationsNeedUpdate(rs, desired, max)) {
            return new Result(false, rs);
        }
        ReplicaSet copy = p.copy(rs);
        copy.getSpec().setReplicas(newScale);
        Revisions.setReplicasAnnotations(copy, desired, max);
        ReplicaSet updated = p.updateReplicaSet(copy);
        if (sizeChanges) {
            p.event("Normal", "ScalingReplicaSet", "Scaled " + operation + " replica set " + updated.getMetadata().getName()
                    + " from " + oldScale + " to " + newScale);
        }
        return new Result(sizeChanges, updated);
    }

    /** True when an active ReplicaSet was sized for a different spec.replicas than the Deployment has now. */
    static boolean isScalingEvent(DeploymentPass p, NewReplicaSets.Split split) {
        int desired = RolloutMath.replicas(p.deployment());
        for (ReplicaSet rs : ReplicaSets.active(split.all())) {
            Integer was = Revisions.desiredReplicas(rs);
            if (was != null && was != desired) {
                return true;
            }
        }
        return false;
    }

    /**
     * Resizes for a changed spec.replicas without advancing a rollout: one active ReplicaSet (or
     * none) takes the whole size; a saturated new one lets the old go to zero; otherwise, during a
     * rolling update, every active ReplicaSet grows or shrinks in proportion, leftovers going to the
     * largest.
     */
    static void scale(DeploymentPass p, ReplicaSet newRs, List<ReplicaSet> old) {
        Deployment d = p.deployment();
        int desired = RolloutMath.replicas(d);
        ReplicaSet activeOrLatest = activeOrLatest(newRs, old);
        if (activeOrLatest != null) {
            // also when only its recorded size is stale (resized by hand), or it would look like a scaling event for ever
            int current = ReplicaSets.specReplicas(activeOrLatest);
            scale(p, activeOrLatest, desired, current <= desired ? "up" : "down");
            return;
        }
        if (isSaturated(d, newRs)) {
            for (ReplicaSet rs : ReplicaSets.active(old)) {
                scaleAndRecord(p, rs, 0);
            }
            return;
        }
        if (!RolloutMath.isRollingUpdate(d)) {
            return;
        }
        List<ReplicaSet> all = new ArrayList<>(old);
        if (newRs != null) {
            all.add(newRs);
        }
        List<ReplicaSet> active = new ArrayList<>(ReplicaSets.active(all));
        int allowed = desired > 0 ? desired + RolloutMath.maxSurge(d) : 0;
        int toAdd = allowed - ReplicaSets.specSum(active);
        String operation = null;
        if (toAdd > 0) {
            active.sort(Comparator.comparingInt(ReplicaSets::specReplicas).reversed()
                    .thenComparing(ReplicaSets.OLDEST_FIRST.reversed()));
            operation = "up";
        } else if (toAdd < 0) {
            active.sort(Comparator.comparingInt(ReplicaSets::specReplicas).reversed().thenComparing(ReplicaSets.OLDEST_FIRST));
            operation = "down";
        }
        Map<String, Integer> sizes = new HashMap<>();
        int added = 0;
        for (ReplicaSet rs : active) {
            int proportion = toAdd == 0 ? 0 : proportion(d, rs, toAdd, added);
            sizes.put(rs.getMetadata().getUid(), ReplicaSets.specReplicas(rs) + proportion);
            added += proportion;
        }
        for (int i = 0; i < active.size(); i++) {
            ReplicaSet rs = active.get(i);
            int size = sizes.get(rs.getMetadata().getUid());
            if (i == 0 && toAdd != 0) {
                size = Math.max(0, size + toAdd - added);
            }
            scale(p, rs, size, operation == null ? "up" : operation);
        }
    }

    /** The only ReplicaSet with pods; or, when none has any, the newest; null when several have pods. */
    static ReplicaSet activeOrLatest(ReplicaSet newRs, List<ReplicaSet> old) {
        if (newRs == null && old.isEmpty()) {
            return null;
        }
        List<ReplicaSet> newestFirst = new ArrayList<>(old);
        newestFirst.sort(ReplicaSets.OLDEST_FIRST.reversed());
        List<ReplicaSet> all = new ArrayList<>(newestFirst);
        if (newRs != null) {
            all.add(newRs);
        }
        List<ReplicaSet> active = ReplicaSets.active(all);
        if (active.isEmpty()) {
            return newRs != null ? newRs : newestFirst.get(0);
        }
        return active.size() == 1 ? active.get(0) : null;
    }

    /** The new ReplicaSet has all the Deployment's pods, sized for its current spec, and all available. */
    static boolean isSaturated(Deployment d, ReplicaSet rs) {
        if (rs == null) {
            return false;
        }
        int desired = RolloutMath.replicas(d);
        Integer was = Revisions.desiredReplicas(rs);
        return ReplicaSets.specReplicas(rs) == desired && was != null && was == desired
                && ReplicaSets.availableReplicas(rs) == desired;
    }

    /** How much of {@code toAdd} this ReplicaSet takes, capped by what is left to hand out. */
    static int proportion(Deployment d, ReplicaSet rs, int toAdd, int added) {
        if (ReplicaSets.specReplicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(d, rs);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    private static int fraction(Deployment d, ReplicaSet rs) {
        int desired = RolloutMath.replicas(d);
        if (desired == 0) {
            return -ReplicaSets.specReplicas(rs);
        }
        int maxNow = desired + RolloutMath.maxSurge(d);
        Integer maxBefore = Revisions.maxReplicas(rs);
        if (maxBefore == null || maxBefore == 0) {
            // without the annotation (edited by hand), the Deployment's current size is the best guess
            maxBefore = d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
            if (maxBefore == 0) {
                return 0;
            }
        }
        double newSize = (double) ReplicaSets.specReplicas(rs) * maxNow / maxBefore;
        return (int) Math.round(newSize) - ReplicaSets.specReplicas(rs);
    }
}
