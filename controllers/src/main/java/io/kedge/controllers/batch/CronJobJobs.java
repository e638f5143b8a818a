package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Jobs of a CronJob: how one is made for a scheduled time, named, referred to, and ordered by age. */
final class CronJobJobs {
    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** Oldest first by start time (unstarted last), then by name. */
    static final Comparator<Job> BY_START_TIME = Comparator
            .comparing((Job j) -> JobPods.parseTime(j.getStatus() == null ? null : j.getStatus().getStartTime()),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(j -> j.getMetadata().getName());

    private CronJobJobs() {}

    /** The name doubles as a lock: one scheduled time, one name, so a repeated attempt cannot start a second Job. */
    static String name(CronJob cronJob, Instant scheduledTime) {
        return cronJob.getMetadata().getName() + "-" + Math.floorDiv(scheduledTime.getEpochSecond(), 60);
    }

    static Job forScheduledTime(CronJob cronJob, Instant scheduledTime, ZoneId zone) {
        JobTemplateSpec template = cronJob.getSpec().getJobTemplate();
        if (template == null || template.getSpec() == null) {
            throw new IllegalArgumentException("cronjob " + cronJob.getMetadata().getName() + " has no spec.jobTemplate.spec");
        }
        ObjectMeta from = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name(cronJob, scheduledTime));
        meta.setNamespace(cronJob.getMetadata().getNamespace());
        meta.setLabels(from.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(from.getLabels()));
        Map<String, String> annotations = from.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(from.getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP, scheduledTime.atZone(zone).format(RFC3339));
        meta.setAnnotations(annotations);
        meta.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        JobSpec spec = new JobSpecBuilder(template.getSpec()).build();
        Job job = new Job();
        job.setMetadata(meta);
        job.setSpec(spec);
        return job;
    }

    static ObjectReference reference(Job job) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid()).withResourceVersion(job.getMetadata().getResourceVersion()).build();
    }

    static boolean succeeded(Job job) {
        return JobConditions.isTrue(job, JobConditions.COMPLETE);
    }

    static String finishedType(Job job) {
        return succeeded(job) ? JobConditions.COMPLETE : JobConditions.FAILED;
    }
}
