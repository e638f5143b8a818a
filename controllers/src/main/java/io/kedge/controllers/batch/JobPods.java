package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** What a Job controller needs to know about one of its pods. */
final class JobPods {
    /** Keeps a finished pod until its Job has counted it, so that counts survive pod deletion and controller restarts. */
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    static final int NO_INDEX = -1;

    private JobPods() {}

    static String uid(HasMetadata o) {
        return o.getMetadata().getUid();
    }

    static boolean hasTrackingFinalizer(Pod p) {
        return p.getMetadata().getFinalizers() != null && p.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean succeeded(Pod p) {
        return "Succeeded".equals(phase(p));
    }

    static boolean terminal(Pod p) {
        return succeeded(p) || "Failed".equals(phase(p));
    }

    static boolean beingDeleted(HasMetadata o) {
        return o.getMetadata().getDeletionTimestamp() != null;
    }

    static boolean active(Pod p) {
        return !terminal(p) && !beingDeleted(p);
    }

    static boolean terminating(Pod p) {
        return !terminal(p) && beingDeleted(p);
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The completion index an Indexed Job gave the pod, or {@link #NO_INDEX} if it has none or a malformed one. */
    static int completionIndex(Pod p) {
        Map<String, String> annotations = p.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(COMPLETION_INDEX);
        if (text == null || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            return NO_INDEX;
        }
        return Integer.parseInt(text);
    }

    /** When the pod's last container ended; else when its deletion began; else {@code fallback}. */
    static Instant finishTime(Pod p, Instant fallback) {
        Instant latest = null;
        if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
                if (cs.getState() != null && cs.getState().getTerminated() != null) {
                    Instant t = parseTime(cs.getState().getTerminated().getFinishedAt());
                    if (t != null && (latest == null || t.isAfter(latest))) {
                        latest = t;
                    }
                }
            }
        }
        if (latest == null) {
            latest = parseTime(p.getMetadata().getDeletionTimestamp());
        }
        return latest != null ? latest : fallback;
    }

    static Instant parseTime(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static OwnerReference controllerOf(HasMetadata o) {
        if (o.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        return o.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
    }

    static boolean controlledBy(HasMetadata o, String ownerUid) {
        OwnerReference ref = controllerOf(o);
        return ref != null && ownerUid.equals(ref.getUid());
    }
}
