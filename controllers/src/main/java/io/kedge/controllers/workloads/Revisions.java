package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The annotations a Deployment and its ReplicaSets carry: the revision (what {@code kubectl rollout
 * history/undo} read), the revisions a reused ReplicaSet had before, and the sizes the Deployment
 * had when a ReplicaSet was last scaled (for proportional scaling).
 */
final class Revisions {
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    static final String DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to";
    /** Annotations of the Deployment that are not copied onto its ReplicaSets. */
    static final Set<String> NOT_COPIED = Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
            MAX_REPLICAS, DEPRECATED_ROLLBACK_TO);
    static final int MAX_HISTORY_CHARS = 2000;

    private Revisions() {}

    /** The revision of a ReplicaSet or Deployment, 0 when it has none or an unreadable one. */
    static long of(Map<String, String> annotations) {
        String v = annotations == null ? null : annotations.get(REVISION);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static long of(ReplicaSet rs) {
        return of(rs.getMetadata().getAnnotations());
    }

    static long max(Collection<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToLong(Revisions::of).max().orElse(0);
    }

    /**
     * Brings a (new or reused) ReplicaSet's annotations up to date: the Deployment's own annotations,
     * the revision if it grew (remembering the old one in the history), and on creation the sizes.
     * @return whether anything changed
     */
    static boolean applyToNewReplicaSet(Deployment d, ReplicaSet rs, long newRevision, boolean exists) {
        Map<String, String> ann = annotations(rs);
        boolean changed = copyDeploymentAnnotations(d, ann);
        String oldValue = ann.get(REVISION);
        long oldRevision;
        try {
            oldRevision = oldValue == null ? 0 : Long.parseLong(oldValue);
        } catch (NumberFormatException e) {
            return changed;
        }
        if (oldRevision < newRevision) {
            ann.put(REVISION, Long.toString(newRevision));
            changed = true;
            if (oldValue != null) {
                appendHistory(ann, oldValue);
            }
        }
        if (!exists) {
            changed |= setReplicasAnnotations(rs, RolloutMath.replicas(d), RolloutMath.replicas(d) + RolloutMath.maxSurge(d));
        }
        return changed;
    }

    /** A reused ReplicaSet keeps the revisions it had, up to a length limit that drops the oldest. */
    private static void appendHistory(Map<String, String> ann, String oldRevision) {
        String history = ann.get(REVISION_HISTORY);
        if (history == null || history.isEmpty()) {
            ann.put(REVISION_HISTORY, oldRevision);
            return;
        }
        List<String> revisions = new ArrayList<>(Arrays.asList(history.split(",")));
        int total = history.length() + oldRevision.length() + 1;
        while (total > MAX_HISTORY_CHARS && !revisions.isEmpty()) {
            total -= revisions.remove(0).length() + 1;
        }
        if (total <= MAX_HISTORY_CHARS) {
            revisions.add(oldRevision);
            ann.put(REVISION_HISTORY, String.join(",", revisions));
        }
    }

    private static boolean copyDeploymentAnnotations(Deployment d, Map<String, String> target) {
        boolean changed = false;
        Map<String, String> source = d.getMetadata().getAnnotations();
        if (source == null) {
            return false;
        }
        for (Map.Entry<String, String> e : source.entrySet()) {
            if (NOT_COPIED.contains(e.getKey()) || e.getValue().equals(target.get(e.getKey()))) {
                continue;
            }
            target.put(e.getKey(), e.getValue());
            changed = true;
        }
        return changed;
    }

    static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
        Map<String, String> ann = annotations(rs);
        String d = Integer.toString(desired);
        String m = Integer.toString(max);
        boolean changed = !d.equals(ann.get(DESIRED_REPLICAS)) || !m.equals(ann.get(MAX_REPLICAS));
        ann.put(DESIRED_REPLICAS, d);
        ann.put(MAX_REPLICAS, m);
        return changed;
    }

    static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
        Map<String, String> ann = rs.getMetadata().getAnnotations();
        return ann == null || !Integer.toString(desired).equals(ann.get(DESIRED_REPLICAS))
                || !Integer.toString(max).equals(ann.get(MAX_REPLICAS));
    }

    /** The Deployment's spec.replicas when the ReplicaSet was last scaled, or null. */
    static Integer desiredReplicas(ReplicaSet rs) {
        return intAnnotation(rs, DESIRED_REPLICAS);
    }

    static Integer maxReplicas(ReplicaSet rs) {
        return intAnnotation(rs, MAX_REPLICAS);
    }

    private static Integer intAnnotation(ReplicaSet rs, String key) {
        String v = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> annotations(ReplicaSet rs) {
        if (rs.getMetadata().getAnnotations() == null) {
            rs.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        return rs.getMetadata().getAnnotations();
    }
}
