package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Deletes the oldest revisions beyond spec.revisionHistoryLimit, once they have no pods left. */
final class HistoryCleanup {
    private HistoryCleanup() {}

    static void cleanup(DeploymentPass p, List<ReplicaSet> old) {
        Integer limit = p.deployment().getSpec().getRevisionHistoryLimit();
        if (limit == null || limit == Integer.MAX_VALUE) {
            return;
        }
        List<ReplicaSet> cleanable = new ArrayList<>(old.stream().filter(rs -> !OwnerRefs.isDeleting(rs)).toList());
        int surplus = cleanable.size() - limit;
        if (surplus <= 0) {
            return;
        }
        cleanable.sort(Comparator.comparingLong((ReplicaSet rs) -> Revisions.of(rs)).thenComparing(ReplicaSets.OLDEST_FIRST));
        for (ReplicaSet rs : cleanable.subList(0, surplus)) {
            if (ReplicaSets.statusReplicas(rs) != 0 || ReplicaSets.specReplicas(rs) != 0
                    || ReplicaSets.generation(rs) > ReplicaSets.observedGeneration(rs)) {
                continue;
            }
            try {
                p.client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName()).delete();
                p.forget(rs);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }
}
