package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** ReplicaSet counts with the API's defaults applied (replicas 1, missing counts 0), summed and ordered. */
final class ReplicaSets {
    private ReplicaSets() {}

    static int specReplicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    static int minReadySeconds(ReplicaSet rs) {
        return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    }

    static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
    }

    static int readyReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
    }

    static int availableReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    }

    static long observedGeneration(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0 : rs.getStatus().getObservedGeneration();
    }

    static long generation(ReplicaSet rs) {
        return rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
    }

    /** Sum of spec.replicas: the pods asked for. */
    static int specSum(Collection<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::specReplicas).sum();
    }

    /** Sum of status.replicas: the pods that exist. */
    static int statusSum(Collection<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::statusReplicas).sum();
    }

    static int readySum(Collection<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::readyReplicas).sum();
    }

    static int availableSum(Collection<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(ReplicaSets::availableReplicas).sum();
    }

    /** Those that ask for pods. */
    static List<ReplicaSet> active(Collection<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).filter(rs -> specReplicas(rs) > 0).toList();
    }

    static Instant created(ReplicaSet rs) {
        Instant t = Times.parse(rs.getMetadata().getCreationTimestamp());
        return t == null ? Instant.EPOCH : t;
    }

    /** Oldest first; ties by name. */
    static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator.comparing(ReplicaSets::created)
            .thenComparing(rs -> rs.getMetadata().getName());

    static String key(ReplicaSet rs) {
        return rs.getMetadata().getNamespace() + "/" + rs.getMetadata().getName();
    }
}
