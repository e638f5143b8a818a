package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;

/** Pod facts the workload controllers count by. */
final class Pods {
    private Pods() {}

    /** Neither finished nor being deleted: it counts toward its owner's replicas. */
    static boolean isActive(Pod p) {
        String phase = phase(p);
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && p.getMetadata().getDeletionTimestamp() == null;
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean isReady(Pod p) {
        PodCondition c = readyCondition(p);
        return c != null && "True".equals(c.getStatus());
    }

    /** Ready for at least minReadySeconds. */
    static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
        if (!isReady(p)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        Instant since = readySince(p);
        return since != null && since.plusSeconds(minReadySeconds).isBefore(now);
    }

    /** When a ready pod became ready; null if it is not ready or does not say. */
    static Instant readySince(Pod p) {
        PodCondition c = readyCondition(p);
        return c != null && "True".equals(c.getStatus()) ? Times.parse(c.getLastTransitionTime()) : null;
    }

    private static PodCondition readyCondition(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }
}
