package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A ReplicaSet's status from its pods, and writing it only when it changed. */
final class ReplicaSetStatuses {
    static final String REPLICA_FAILURE = "ReplicaFailure";

    private ReplicaSetStatuses() {}

    static ReplicaSetStatus calculate(ReplicaSet rs, List<Pod> owned, Exception manageError, Instant now, Clock clock) {
        Map<String, String> templateLabels = rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
                ? null : rs.getSpec().getTemplate().getMetadata().getLabels();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        int minReady = ReplicaSets.minReadySeconds(rs);
        for (Pod p : owned) {
            if (hasAll(p.getMetadata().getLabels(), templateLabels)) {
                fullyLabeled++;
            }
            if (Pods.isReady(p)) {
                ready++;
                if (Pods.isAvailable(p, minReady, now)) {
                    available++;
                }
            }
        }
        ReplicaSetStatus old = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        ReplicaSetStatus status = new ReplicaSetStatus();
        status.setObservedGeneration(old.getObservedGeneration());
        status.setConditions(new ArrayList<>(old.getConditions() == null ? List.of() : old.getConditions()));
        boolean hasFailure = status.getConditions().stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
        if (manageError != null && !hasFailure) {
            int diff = owned.size() - ReplicaSets.specReplicas(rs);
            String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : null;
            ReplicaSetCondition c = new ReplicaSetCondition();
            c.setType(REPLICA_FAILURE);
            c.setStatus("True");
            c.setReason(reason);
            c.setMessage(errorMessage(manageError));
            c.setLastTransitionTime(Times.now(clock));
            status.getConditions().add(c);
        } else if (manageError == null && hasFailure) {
            status.getConditions().removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
        }
        status.setReplicas(owned.size());
        status.setFullyLabeledReplicas(fullyLabeled);
        status.setReadyReplicas(ready);
        status.setAvailableReplicas(available);
        return status;
    }

    private static String errorMessage(Exception e) {
        return e instanceof KubernetesClientException k ? PodMaker.message(k) : e.getMessage();
    }

    private static boolean hasAll(Map<String, String> labels, Map<String, String> wanted) {
        if (wanted == null) {
            return true;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())));
    }

    /** Writes the status, marked as observing the ReplicaSet's generation, unless nothing would change. */
    static void write(KubernetesClient client, ReplicaSet rs, ReplicaSetStatus status) {
        long generation = ReplicaSets.generation(rs);
        ReplicaSetStatus old = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        if (sameCounts(old, status) && Objects.equals(old.getObservedGeneration(), generation)
                && Objects.equals(conditions(old), conditions(status))) {
            return;
        }
        status.setObservedGeneration(generation);
        ReplicaSet target = rs;
        for (int attempt = 0; ; attempt++) {
            target.setStatus(status);
            try {
                client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(target).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    // deleted meanwhile: its pods are the garbage collector's now
                    return;
                }
                if (attempt >= 1) {
                    throw e;
                }
                // one retry on a fresh copy, as upstream: the next event brings another pass anyway
                target = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                        .withName(rs.getMetadata().getName()).get();
                if (target == null) {
                    return;
                }
            }
        }
    }

    private static boolean sameCounts(ReplicaSetStatus a, ReplicaSetStatus b) {
        return n(a.getReplicas()) == n(b.getReplicas()) && n(a.getFullyLabeledReplicas()) == n(b.getFullyLabeledReplicas())
                && n(a.getReadyReplicas()) == n(b.getReadyReplicas()) && n(a.getAvailableReplicas()) == n(b.getAvailableReplicas());
    }

    private static List<ReplicaSetCondition> conditions(ReplicaSetStatus s) {
        return s.getConditions() == null ? List.of() : s.getConditions();
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
