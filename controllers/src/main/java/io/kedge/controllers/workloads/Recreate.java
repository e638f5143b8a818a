package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Recreate strategy: scale every old ReplicaSet to zero, wait until none of their pods is left
 * running (terminating pods count as running), and only then create or scale up the new one.
 */
final class Recreate {
    private final NewReplicaSets newReplicaSets;

    Recreate(NewReplicaSets newReplicaSets) {
        this.newReplicaSets = newReplicaSets;
    }

    /** @param podsByReplicaSet the Deployment's pods, by the uid of the ReplicaSet that controls them */
    Duration rollout(DeploymentPass p, Map<String, List<Pod>> podsByReplicaSet) {
        NewReplicaSets.Split split = newReplicaSets.sync(p, false);
        ReplicaSet newRs = split.newRs();
        boolean scaledDown = false;
        for (ReplicaSet rs : ReplicaSets.active(split.old())) {
            scaledDown |= Scaler.scaleAndRecord(p, rs, 0).scaled();
        }
        if (scaledDown || oldPodsRunning(p, newRs, split.old(), podsByReplicaSet)) {
            return RolloutStatus.syncRollout(p, p.replicaSets(), RollingUpdate.current(p, newRs));
        }
        if (newRs == null) {
            split = newReplicaSets.sync(p, true);
            newRs = split.newRs();
        }
        newRs = RollingUpdate.current(p, newRs);
        Scaler.scaleAndRecord(p, newRs, RolloutMath.replicas(p.deployment()));
        if (RolloutStatus.complete(p.deployment(), p.deployment().getStatus())) {
            HistoryCleanup.cleanup(p, split.old());
        }
        return RolloutStatus.syncRollout(p, p.replicaSets(), RollingUpdate.current(p, newRs));
    }

    private static boolean oldPodsRunning(DeploymentPass p, ReplicaSet newRs, List<ReplicaSet> old,
                                          Map<String, List<Pod>> podsByReplicaSet) {
        if (ReplicaSets.statusSum(old.stream().map(rs -> RollingUpdate.current(p, rs)).toList()) > 0) {
            return true;
        }
        for (Map.Entry<String, List<Pod>> e : podsByReplicaSet.entrySet()) {
            if (newRs != null && newRs.getMetadata().getUid().equals(e.getKey())) {
                continue;
            }
            for (Pod pod : e.getValue()) {
                String phase = Pods.phase(pod);
                if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                    return true;
                }
            }
        }
        return false;
    }
}
