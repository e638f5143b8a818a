package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which surplus pods a ReplicaSet deletes first, in upstream's order: unscheduled before
 * scheduled; Pending before Unknown before Running; not ready before ready; lower
 * {@code controller.kubernetes.io/pod-deletion-cost} first; pods doubled up on a node with more
 * related pods first; more recently ready first; more restarts first; newer first. Times are
 * compared in logarithmic buckets of age, so pods of about the same age count as equal.
 */
final class PodDeletionOrder {
    static final String DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

    private PodDeletionOrder() {}

    /**
     * @param candidates the active pods of the ReplicaSet
     * @param related    the active pods of every ReplicaSet under the same owner, for the doubled-up rank
     */
    static List<Pod> podsToDelete(List<Pod> candidates, List<Pod> related, int count, Instant now) {
        if (count >= candidates.size()) {
            return List.copyOf(candidates);
        }
        Map<String, Integer> onNode = new HashMap<>();
        for (Pod p : related) {
            if (Pods.isActive(p)) {
                onNode.merge(nodeName(p), 1, Integer::sum);
            }
        }
        List<Pod> sorted = new ArrayList<>(candidates);
        sorted.sort(comparator(p -> onNode.getOrDefault(nodeName(p), 0), now));
        return List.copyOf(sorted.subList(0, count));
    }

    interface Rank {
        int of(Pod p);
    }

    /** Orders pods so that the first ones are the cheapest to delete. */
    static Comparator<Pod> comparator(Rank rank, Instant now) {
        return (a, b) -> {
            boolean aUnassigned = nodeName(a).isEmpty();
            boolean bUnassigned = nodeName(b).isEmpty();
            if (aUnassigned != bUnassigned) {
                return aUnassigned ? -1 : 1;
            }
            int phase = Integer.compare(phaseOrdinal(a), phaseOrdinal(b));
            if (phase != 0) {
                return phase;
            }
            boolean aReady = Pods.isReady(a);
            boolean bReady = Pods.isReady(b);
            if (aReady != bReady) {
                return aReady ? 1 : -1;
            }
            int cost = Integer.compare(deletionCost(a), deletionCost(b));
            if (cost != 0) {
                return cost;
            }
            int doubled = Integer.compare(rank.of(b), rank.of(a));
            if (doubled != 0) {
                return doubled;
            }
            if (aReady) {
                int ready = newerFirst(Pods.readySince(a), Pods.readySince(b), a, b, now);
                if (ready != 0) {
                    return ready;
                }
            }
            int restarts = compareRestarts(a, b);
            if (restarts != 0) {
                return restarts;
            }
            return newerFirst(Times.parse(a.getMetadata().getCreationTimestamp()),
                    Times.parse(b.getMetadata().getCreationTimestamp()), a, b, now);
        };
    }

    private static String nodeName(Pod p) {
        return p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
    }

    private static int phaseOrdinal(Pod p) {
        String phase = Pods.phase(p);
        if ("Unknown".equals(phase)) {
            return 1;
        }
        return "Running".equals(phase) ? 2 : 0;
    }

    static int deletionCost(Pod p) {
        String v = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(DELETION_COST_ANNOTATION);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Zero (unknown) times first, then the younger; equal log2 age buckets are tied and broken by UID. */
    private static int newerFirst(Instant ta, Instant tb, Pod a, Pod b, Instant now) {
        if (ta == null || tb == null) {
            if (ta == null && tb == null) {
                return 0;
            }
            return ta == null ? -1 : 1;
        }
        if (ta.equals(tb)) {
            return 0;
        }
        long bucketA = ageBucket(ta, now);
        long bucketB = ageBucket(tb, now);
        if (bucketA != bucketB) {
            return Long.compare(bucketA, bucketB);
        }
        String ua = a.getMetadata().getUid() == null ? "" : a.getMetadata().getUid();
        String ub = b.getMetadata().getUid() == null ? "" : b.getMetadata().getUid();
        return ua.compareTo(ub);
    }

    private static long ageBucket(Instant t, Instant now) {
        long nanos = Duration.between(t, now).toNanos();
        return nanos > 0 ? (long) (Math.log(nanos) / Math.log(2)) : -1;
    }

    /** More restarts first; regular containers decide before restartable (sidecar) init containers. */
    private static int compareRestarts(Pod a, Pod b) {
        int regular = Integer.compare(maxRestarts(a, false), maxRestarts(b, false));
        if (regular != 0) {
            return -regular;
        }
        return -Integer.compare(maxRestarts(a, true), maxRestarts(b, true));
    }

    private static int maxRestarts(Pod p, boolean sidecars) {
        if (p.getStatus() == null) {
            return 0;
        }
        List<ContainerStatus> statuses = sidecars ? p.getStatus().getInitContainerStatuses() : p.getStatus().getContainerStatuses();
        if (statuses == null) {
            return 0;
        }
        Set<String> sidecarNames = new HashSet<>();
        if (sidecars && p.getSpec() != null && p.getSpec().getInitContainers() != null) {
            for (Container c : p.getSpec().getInitContainers()) {
                if ("Always".equals(c.getRestartPolicy())) {
                    sidecarNames.add(c.getName());
                }
            }
        }
        int max = 0;
        for (ContainerStatus s : statuses) {
            if ((!sidecars || sidecarNames.contains(s.getName())) && s.getRestartCount() != null) {
                max = Math.max(max, s.getRestartCount());
            }
        }
        return max;
    }
}
