package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kedge.controllers.nodes.Timestamps;
import java.time.Instant;

/** What a controller reads off a pod's status. */
final class PodStates {
    private PodStates() {}

    static boolean terminating(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean failed(Pod p) {
        return "Failed".equals(phase(p));
    }

    static boolean succeeded(Pod p) {
        return "Succeeded".equals(phase(p));
    }

    static PodCondition readyCondition(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }

    static boolean ready(Pod p) {
        PodCondition c = readyCondition(p);
        return c != null && "True".equals(c.getStatus());
    }

    static boolean runningAndReady(Pod p) {
        return "Running".equals(phase(p)) && ready(p);
    }

    /** Ready for at least minReadySeconds. */
    static boolean available(Pod p, int minReadySeconds, Instant now) {
        return availableAt(p, minReadySeconds) != null && !availableAt(p, minReadySeconds).isAfter(now);
    }

    /** When a ready pod becomes available, or null if it is not ready. */
    static Instant availableAt(Pod p, int minReadySeconds) {
        if (!ready(p)) {
            return null;
        }
        if (minReadySeconds <= 0) {
            return Instant.MIN;
        }
        Instant since = Timestamps.parse(readyCondition(p).getLastTransitionTime());
        return since == null ? Instant.MIN : since.plusSeconds(minReadySeconds);
    }

    static Instant created(Pod p) {
        Instant t = Timestamps.parse(p.getMetadata().getCreationTimestamp());
        return t == null ? Instant.EPOCH : t;
    }
}
