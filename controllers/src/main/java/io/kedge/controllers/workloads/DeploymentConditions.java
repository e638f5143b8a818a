package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The Deployment conditions and reasons {@code kubectl rollout status} and {@code describe} read. */
final class DeploymentConditions {
    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String REPLICA_FAILURE = "ReplicaFailure";

    static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    static final String RS_UPDATED = "ReplicaSetUpdated";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";
    static final String MIN_AVAILABLE = "MinimumReplicasAvailable";
    static final String MIN_UNAVAILABLE = "MinimumReplicasUnavailable";

    private DeploymentConditions() {}

    static DeploymentCondition of(Clock clock, String type, String status, String reason, String message) {
        String now = Times.now(clock);
        DeploymentCondition c = new DeploymentCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastUpdateTime(now);
        c.setLastTransitionTime(now);
        return c;
    }

    static DeploymentCondition get(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /**
     * Puts the condition in place of the one of its type, unless that one already has the same
     * status and reason; a condition that keeps its status keeps its lastTransitionTime.
     */
    static void set(DeploymentStatus status, DeploymentCondition c) {
        DeploymentCondition current = get(status, c.getType());
        if (current != null && Objects.equals(current.getStatus(), c.getStatus()) && Objects.equals(current.getReason(), c.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
            c.setLastTransitionTime(current.getLastTransitionTime());
        }
        remove(status, c.getType());
        status.getConditions().add(c);
    }

    static void remove(DeploymentStatus status, String type) {
        List<DeploymentCondition> kept = new ArrayList<>();
        if (status.getConditions() != null) {
            status.getConditions().stream().filter(c -> !type.equals(c.getType())).forEach(kept::add);
        }
        status.setConditions(kept);
    }
}
