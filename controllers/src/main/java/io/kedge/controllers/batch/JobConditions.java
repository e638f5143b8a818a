package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The conditions a Job's status carries, and the rules for changing them. */
final class JobConditions {
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUSPENDED = "Suspended";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";

    private JobConditions() {}

    static Optional<JobCondition> find(List<JobCondition> conditions, String type) {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static Optional<JobCondition> findTrue(Job job, String type) {
        return find(job.getStatus() == null ? null : job.getStatus().getConditions(), type)
                .filter(c -> "True".equals(c.getStatus()));
    }

    static boolean isTrue(Job job, String type) {
        return findTrue(job, type).isPresent();
    }

    /** Whether the Job has ended, successfully or not: nothing more will be done for it but clean-up. */
    static boolean finished(Job job) {
        return isTrue(job, COMPLETE) || isTrue(job, FAILED);
    }

    /** When the Job ended: its completion time, or else when its terminal condition became true. */
    static Optional<Instant> finishedAt(Job job) {
        if (!finished(job)) {
            return Optional.empty();
        }
        Instant completion = JobPods.parseTime(job.getStatus().getCompletionTime());
        if (completion != null) {
            return Optional.of(completion);
        }
        return findTrue(job, COMPLETE).or(() -> findTrue(job, FAILED))
                .map(c -> JobPods.parseTime(c.getLastTransitionTime()));
    }

    static JobCondition create(String type, String status, String reason, String message, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new JobConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastProbeTime(time).withLastTransitionTime(time).build();
    }

    /**
     * Sets a condition of the given type to the given state, replacing one that differs. A False
     * condition is never added where none existed: its absence already says as much.
     *
     * @return whether the list changed
     */
    static boolean ensure(List<JobCondition> conditions, String type, String status, String reason, String message,
                          Instant now) {
        Optional<JobCondition> existing = find(conditions, type);
        if (existing.isPresent()) {
            JobCondition c = existing.get();
            if (status.equals(c.getStatus()) && reason.equals(c.getReason()) && message.equals(c.getMessage())) {
                return false;
            }
            conditions.set(conditions.indexOf(c), create(type, status, reason, message, now));
            return true;
        }
        if ("False".equals(status)) {
            return false;
        }
        conditions.add(create(type, status, reason, message, now));
        return true;
    }
}
