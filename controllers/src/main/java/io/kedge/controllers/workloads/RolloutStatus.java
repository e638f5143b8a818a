package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Deployment's status, which {@code kubectl rollout status} reads: replica counts summed over its
 * ReplicaSets, Available, and Progressing with its deadline.
 */
final class RolloutStatus {
    private RolloutStatus() {}

    static DeploymentStatus calculate(DeploymentPass p, List<ReplicaSet> all, ReplicaSet newRs) {
        Deployment d = p.deployment();
        int available = ReplicaSets.availableSum(all);
        int total = ReplicaSets.specSum(all);
        DeploymentStatus status = p.statusCopy();
        status.setObservedGeneration(d.getMetadata().getGeneration());
        status.setReplicas(ReplicaSets.statusSum(all));
        status.setUpdatedReplicas(newRs == null ? 0 : ReplicaSets.statusReplicas(newRs));
        status.setReadyReplicas(ReplicaSets.readySum(all));
        status.setAvailableReplicas(available);
        status.setUnavailableReplicas(Math.max(0, total - available));
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        Clock clock = p.ctx.clock();
        if (available >= RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d)) {
            DeploymentConditions.set(status, DeploymentConditions.of(clock, DeploymentConditions.AVAILABLE, "True",
                    DeploymentConditions.MIN_AVAILABLE, "Deployment has minimum availability."));
        } else {
            DeploymentConditions.set(status, DeploymentConditions.of(clock, DeploymentConditions.AVAILABLE, "False",
                    DeploymentConditions.MIN_UNAVAILABLE, "Deployment does not have minimum availability."));
        }
        return status;
    }

    /** Writes the counts and conditions only; no progress estimate (scaling, pausing, deletion). */
    static void sync(DeploymentPass p, List<ReplicaSet> all, ReplicaSet newRs) {
        DeploymentStatus status = calculate(p, all, newRs);
        if (!same(p.deployment().getStatus(), status)) {
            p.writeStatus(status);
        }
    }

    /**
     * Writes the status with the progress estimate of a rollout.
     * @return when to look again for the progress deadline, or null
     */
    static Duration syncRollout(DeploymentPass p, List<ReplicaSet> all, ReplicaSet newRs) {
        Deployment d = p.deployment();
        Clock clock = p.ctx.clock();
        DeploymentStatus status = calculate(p, all, newRs);
        if (!p.hasProgressDeadline()) {
            DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
        }
        DeploymentCondition current = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
        boolean alreadyComplete = n(status.getReplicas()) == n(status.getUpdatedReplicas()) && current != null
                && DeploymentConditions.NEW_RS_AVAILABLE.equals(current.getReason());
        if (p.hasProgressDeadline() && !alreadyComplete) {
            String subject = newRs != null ? "ReplicaSet \"" + newRs.getMetadata().getName() + "\""
                    : "Deployment \"" + d.getMetadata().getName() + "\"";
            if (complete(d, status)) {
                DeploymentConditions.set(status, DeploymentConditions.of(clock, DeploymentConditions.PROGRESSING, "True",
                        DeploymentConditions.NEW_RS_AVAILABLE, subject + " has successfully progressed."));
            } else if (progressing(d, status)) {
                DeploymentCondition c = DeploymentConditions.of(clock, DeploymentConditions.PROGRESSING, "True",
                        DeploymentConditions.RS_UPDATED, subject + " is progressing.");
                // unlike other conditions, progress refreshes lastUpdateTime even with the same reason
                if (current != null) {
                    if ("True".equals(current.getStatus())) {
                        c.setLastTransitionTime(current.getLastTransitionTime());
                    }
                    DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
                }
                DeploymentConditions.set(status, c);
            } else if (timedOut(d, status, clock.instant())) {
                DeploymentConditions.set(status, DeploymentConditions.of(clock, DeploymentConditions.PROGRESSING, "False",
                        DeploymentConditions.TIMED_OUT, subject + " has timed out progressing."));
            }
        }
        DeploymentCondition failure = replicaFailure(all, newRs);
        if (failure != null) {
            DeploymentConditions.set(status, failure);
        } else {
            DeploymentConditions.remove(status, DeploymentConditions.REPLICA_FAILURE);
        }
        if (!same(d.getStatus(), status)) {
            p.writeStatus(status);
        }
        return untilDeadline(p, status, clock.instant());
    }

    static boolean complete(Deployment d, DeploymentStatus s) {
        int desired = RolloutMath.replicas(d);
        return n(s.getUpdatedReplicas()) == desired && n(s.getReplicas()) == desired && n(s.getAvailableReplicas()) == desired
                && l(s.getObservedGeneration()) >= l(d.getMetadata().getGeneration());
    }

    /** New pods came, got ready or available, or old ones went, since the status last written. */
    static boolean progressing(Deployment d, DeploymentStatus s) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int oldOld = n(old.getReplicas()) - n(old.getUpdatedReplicas());
        int newOld = n(s.getReplicas()) - n(s.getUpdatedReplicas());
        return n(s.getUpdatedReplicas()) > n(old.getUpdatedReplicas()) || newOld < oldOld
                || n(s.getReadyReplicas()) > n(old.getReadyReplicas()) || n(s.getAvailableReplicas()) > n(old.getAvailableReplicas());
    }

    static boolean timedOut(Deployment d, DeploymentStatus s, Instant now) {
        DeploymentCondition c = DeploymentConditions.get(s, DeploymentConditions.PROGRESSING);
        if (c == null || DeploymentConditions.NEW_RS_AVAILABLE.equals(c.getReason())) {
            return false;
        }
        if (DeploymentConditions.TIMED_OUT.equals(c.getReason())) {
            return true;
        }
        Instant from = Times.parse(c.getLastUpdateTime());
        return from != null && from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
    }

    /** A rollout in progress is looked at again when its deadline would pass without any event. */
    private static Duration untilDeadline(DeploymentPass p, DeploymentStatus s, Instant now) {
        Deployment d = p.deployment();
        DeploymentCondition c = DeploymentConditions.get(s, DeploymentConditions.PROGRESSING);
        if (!p.hasProgressDeadline() || c == null || complete(d, s)
                || DeploymentConditions.TIMED_OUT.equals(c.getReason()) || DeploymentConditions.NEW_RS_AVAILABLE.equals(c.getReason())) {
            return null;
        }
        Instant from = Times.parse(c.getLastUpdateTime());
        if (from == null) {
            return null;
        }
        Duration after = Duration.between(now, from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
        // whole-second timestamps: a second more lands safely past the deadline
        return after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after.plusSeconds(1);
    }

    /** A ReplicaFailure of the new ReplicaSet (else of an old one), as the Deployment's. */
    private static DeploymentCondition replicaFailure(List<ReplicaSet> all, ReplicaSet newRs) {
        List<ReplicaSet> order = new ArrayList<>();
        if (newRs != null) {
            order.add(newRs);
        }
        all.stream().filter(rs -> newRs == null || !rs.getMetadata().getUid().equals(newRs.getMetadata().getUid())).forEach(order::add);
        for (ReplicaSet rs : order) {
            if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
                continue;
            }
            for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
                if (ReplicaSetStatuses.REPLICA_FAILURE.equals(c.getType())) {
                    DeploymentCondition dc = new DeploymentCondition();
                    dc.setType(DeploymentConditions.REPLICA_FAILURE);
                    dc.setStatus(c.getStatus());
                    dc.setReason(c.getReason());
                    dc.setMessage(c.getMessage());
                    dc.setLastUpdateTime(c.getLastTransitionTime());
                    dc.setLastTransitionTime(c.getLastTransitionTime());
                    return dc;
                }
            }
        }
        return null;
    }

    /** Equal, reading missing counts as zero (servers drop zero fields). */
    static boolean same(DeploymentStatus a, DeploymentStatus b) {
        DeploymentStatus x = a == null ? new DeploymentStatus() : a;
        return n(x.getReplicas()) == n(b.getReplicas()) && n(x.getUpdatedReplicas()) == n(b.getUpdatedReplicas())
                && n(x.getReadyReplicas()) == n(b.getReadyReplicas()) && n(x.getAvailableReplicas()) == n(b.getAvailableReplicas())
                && n(x.getUnavailableReplicas()) == n(b.getUnavailableReplicas())
                && l(x.getObservedGeneration()) == l(b.getObservedGeneration())
                && Objects.equals(x.getCollisionCount(), b.getCollisionCount())
                && Objects.equals(conditions(x), conditions(b));
    }

    private static List<DeploymentCondition> conditions(DeploymentStatus s) {
        return s.getConditions() == null ? List.of() : s.getConditions();
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private static long l(Long v) {
        return v == null ? 0 : v;
    }
}
