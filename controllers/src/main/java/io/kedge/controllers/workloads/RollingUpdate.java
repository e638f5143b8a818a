package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The RollingUpdate strategy: grow the new ReplicaSet while the total stays within
 * replicas + maxSurge, and shrink old ones while at least replicas - maxUnavailable stay available,
 * removing old unhealthy pods first since they cost no availability.
 */
final class RollingUpdate {
    private final NewReplicaSets newReplicaSets;

    RollingUpdate(NewReplicaSets newReplicaSets) {
        this.newReplicaSets = newReplicaSets;
    }

    Duration rollout(DeploymentPass p) {
        NewReplicaSets.Split split = newReplicaSets.sync(p, true);
        ReplicaSet newRs = split.newRs();
        if (reconcileNew(p, split)) {
            return RolloutStatus.syncRollout(p, p.replicaSets(), current(p, newRs));
        }
        newRs = current(p, newRs);
        if (reconcileOld(p, newRs, ReplicaSets.active(split.old()))) {
            return RolloutStatus.syncRollout(p, p.replicaSets(), newRs);
        }
        if (RolloutStatus.complete(p.deployment(), p.deployment().getStatus())) {
            HistoryCleanup.cleanup(p, split.old());
        }
        return RolloutStatus.syncRollout(p, p.replicaSets(), newRs);
    }

    private boolean reconcileNew(DeploymentPass p, NewReplicaSets.Split split) {
        Deployment d = p.deployment();
        ReplicaSet newRs = split.newRs();
        int desired = RolloutMath.replicas(d);
        int current = ReplicaSets.specReplicas(newRs);
        if (current == desired) {
            return false;
        }
        if (current > desired) {
            return Scaler.scaleAndRecord(p, newRs, desired).scaled();
        }
        return Scaler.scaleAndRecord(p, newRs, RolloutMath.newReplicaSetReplicas(d, split.all(), newRs)).scaled();
    }

    private boolean reconcileOld(DeploymentPass p, ReplicaSet newRs, List<ReplicaSet> activeOld) {
        Deployment d = p.deployment();
        if (ReplicaSets.specSum(activeOld) == 0) {
            return false;
        }
        List<ReplicaSet> all = new ArrayList<>(activeOld);
        all.add(newRs);
        int minAvailable = RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d);
        int newUnavailable = ReplicaSets.specReplicas(newRs) - ReplicaSets.availableReplicas(newRs);
        int maxScaledDown = ReplicaSets.specSum(all) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        List<ReplicaSet> old = new ArrayList<>(activeOld);
        int cleaned = cleanupUnhealthy(p, old, maxScaledDown);
        List<ReplicaSet> afterCleanup = new ArrayList<>(old);
        afterCleanup.add(newRs);
        int scaledDown = scaleDownOld(p, afterCleanup, old, minAvailable);
        return cleaned + scaledDown > 0;
    }

    /** Scales old ReplicaSets down by their unavailable pods, oldest first, up to {@code max}. */
    private static int cleanupUnhealthy(DeploymentPass p, List<ReplicaSet> old, int max) {
        old.sort(ReplicaSets.OLDEST_FIRST);
        int total = 0;
        for (int i = 0; i < old.size() && total < max; i++) {
            ReplicaSet rs = old.get(i);
            int replicas = ReplicaSets.specReplicas(rs);
            int unhealthy = replicas - ReplicaSets.availableReplicas(rs);
            if (replicas == 0 || unhealthy <= 0) {
                continue;
            }
            int count = Math.min(max - total, unhealthy);
            old.set(i, Scaler.scaleAndRecord(p, rs, replicas - count).rs());
            total += count;
        }
        return total;
    }

    /** Scales old ReplicaSets down, oldest first, by as many pods as are available beyond minAvailable. */
    private static int scaleDownOld(DeploymentPass p, List<ReplicaSet> all, List<ReplicaSet> old, int minAvailable) {
        int available = ReplicaSets.availableSum(all);
        if (available <= minAvailable) {
            return 0;
        }
        int budget = available - minAvailable;
        List<ReplicaSet> ordered = new ArrayList<>(old);
        ordered.sort(ReplicaSets.OLDEST_FIRST);
        int total = 0;
        for (ReplicaSet rs : ordered) {
            if (total >= budget) {
                break;
            }
            int replicas = ReplicaSets.specReplicas(rs);
            if (replicas == 0) {
                continue;
            }
            int count = Math.min(replicas, budget - total);
            Scaler.scaleAndRecord(p, rs, replicas - count);
            total += count;
        }
        return total;
    }

    /** The pass's latest copy of a ReplicaSet (it may have been written since it was found). */
    static ReplicaSet current(DeploymentPass p, ReplicaSet rs) {
        if (rs == null) {
            return null;
        }
        return p.replicaSets().stream().filter(r -> r.getMetadata().getUid().equals(rs.getMetadata().getUid()))
                .findFirst().orElse(rs);
    }
}
