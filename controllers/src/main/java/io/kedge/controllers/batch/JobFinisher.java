package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What happens around a Job's end: its pods let go of the tracking finalizer, and the Job is deleted when its TTL runs out. */
final class JobFinisher {
    private final JobRuntime rt;

    JobFinisher(JobRuntime rt) {
        this.rt = rt;
    }

    /**
     * Releases pods that hold the finalizer for a Job of this name that no longer exists: owned by
     * another uid than {@code liveUid} (null if no Job has the name), or orphaned but labelled with the name.
     */
    void releaseLeftBehind(String jobName, String liveUid, List<Pod> namespacePods) {
        for (Pod pod : namespacePods) {
            if (!JobPods.hasTrackingFinalizer(pod)) {
                continue;
            }
            OwnerReference ref = JobPods.controllerOf(pod);
            boolean leftBehind;
            if (ref != null) {
                leftBehind = "Job".equals(ref.getKind()) && jobName.equals(ref.getName()) && !Objects.equals(ref.getUid(), liveUid);
            } else {
                Map<String, String> labels = pod.getMetadata().getLabels();
                leftBehind = labels != null && jobName.equals(labels.get(JobPods.JOB_NAME_LABEL));
            }
            if (leftBehind) {
                PodActions.releaseFinalizer(rt.ctx().client(), pod);
            }
        }
    }

    /** A finished Job has counted all its pods; any still holding the finalizer (e.g. marked finished by another writer) are let go. */
    void releaseAll(List<Pod> pods) {
        for (Pod pod : pods) {
            if (JobPods.hasTrackingFinalizer(pod)) {
                PodActions.releaseFinalizer(rt.ctx().client(), pod);
            }
        }
    }

    /**
     * Deletes a finished Job whose {@code ttlSecondsAfterFinished} has passed, with its pods in the
     * background, after checking the API's current copy, since a user may have changed the TTL.
     *
     * @return the time left until it expires, or null when there is nothing to wait for
     */
    Duration expireAfterTtl(Job cached) {
        Duration left = timeLeft(cached);
        if (left == null || left.compareTo(Duration.ZERO) > 0) {
            return left;
        }
        String ns = cached.getMetadata().getNamespace();
        String name = cached.getMetadata().getName();
        Job fresh = rt.ctx().client().batch().v1().jobs().inNamespace(ns).withName(name).get();
        if (fresh == null || !JobPods.uid(fresh).equals(JobPods.uid(cached))) {
            return null;
        }
        left = timeLeft(fresh);
        if (left == null || left.compareTo(Duration.ZERO) > 0) {
            return left;
        }
        rt.ctx().client().batch().v1().jobs().inNamespace(ns).withName(name)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        return null;
    }

    private Duration timeLeft(Job job) {
        Integer ttl = job.getSpec() == null ? null : job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null || JobPods.beingDeleted(job)) {
            return null;
        }
        Optional<Instant> finishedAt = JobConditions.finishedAt(job);
        if (finishedAt.isEmpty()) {
            return null;
        }
        return Duration.between(rt.ctx().clock().instant(), finishedAt.get().plusSeconds(ttl));
    }
}
