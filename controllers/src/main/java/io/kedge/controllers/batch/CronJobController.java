package io.kedge.controllers.batch;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.Reconciler;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The CronJob controller: starts a Job for each scheduled time, within the starting deadline and the
 * concurrency policy, keeps {@code status.active}, {@code lastScheduleTime} and
 * {@code lastSuccessfulTime}, trims finished Jobs to the history limits, and wakes at the next time.
 */
public final class CronJobController implements Reconciler {
    private final ControllerContext ctx;
    private final ZoneId defaultZone;
    private final SharedIndexInformer<CronJob> cronJobs;
    private final SharedIndexInformer<Job> jobs;
    private final WrittenVersions written = new WrittenVersions();

    private CronJobController(ControllerContext ctx, ZoneId defaultZone, SharedIndexInformer<CronJob> cronJobs,
                              SharedIndexInformer<Job> jobs) {
        this.ctx = ctx;
        this.defaultZone = defaultZone;
        this.cronJobs = cronJobs;
        this.jobs = jobs;
    }

    /** Schedules without {@code spec.timeZone} follow this process's time zone, as upstream's controller manager's do. */
    public static Controller create(ControllerContext ctx) {
        return create(ctx, ZoneId.systemDefault());
    }

    static Controller create(ControllerContext ctx, ZoneId defaultZone) {
        CronJobController reconciler = reconciler(ctx, defaultZone);
        Controller controller = new Controller("cronjob", reconciler, 2);
        reconciler.cronJobs.addEventHandler(controller.<CronJob>enqueueSelf());
        reconciler.jobs.addEventHandler(controller.<Job>enqueueOwner("CronJob"));
        return controller;
    }

    /** The reconciler without a work queue, for driving one reconcile at a time. */
    static CronJobController reconciler(ControllerContext ctx, ZoneId defaultZone) {
        return new CronJobController(ctx, defaultZone, Informers.shared(ctx, CronJob.class), Informers.shared(ctx, Job.class));
    }

    @Override
    public Duration reconcile(String key) {
        CronJob cached = cronJobs.getStore().getByKey(key);
        if (cached == null || cached.getSpec() == null) {
            return null;
        }
        Instant now = ctx.clock().instant();
        if (!written.seen(cached, now)) {
            return Duration.ofSeconds(1); // our own last status write is not in the cache yet
        }
        CronJob cronJob = ctx.client().getKubernetesSerialization().clone(cached);
        if (cronJob.getStatus() == null) {
            cronJob.setStatus(new CronJobStatus());
        }
        if (cronJob.getStatus().getActive() == null) {
            cronJob.getStatus().setActive(new ArrayList<>());
        }
        String uid = cached.getMetadata().getUid();
        List<Job> children = Informers.inNamespace(jobs, Keys.namespace(key)).stream()
                .filter(j -> JobPods.controlledBy(j, uid)).toList();
        reconcileActive(cronJob, children);
        Duration next = JobPods.beingDeleted(cronJob) ? null : schedule(cronJob, now);
        new CronJobHistory(ctx, cronJob).trim(children);
        CronJobStatus before = cached.getStatus() != null ? cached.getStatus() : new CronJobStatus();
        if (!Objects.equals(cronJob.getStatus(), before)) {
            CronJob result = ctx.client().batch().v1().cronjobs().inNamespace(cronJob.getMetadata().getNamespace())
                    .resource(cronJob).updateStatus();
            written.wrote(result, now);
        }
        return next;
    }

    /** Brings {@code status.active} in line with the CronJob's Jobs, and notes the latest success. */
    private void reconcileActive(CronJob cronJob, List<Job> children) {
        CronJobStatus status = cronJob.getStatus();
        for (Job job : children) {
            boolean listed = isActive(status, JobPods.uid(job));
            boolean finished = JobConditions.finished(job);
            if (!listed && !finished) {
                ctx.events().warning(cronJob, "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + job.getMetadata().getName());
            } else if (listed && finished) {
                status.getActive().removeIf(r -> JobPods.uid(job).equals(r.getUid()));
                ctx.events().normal(cronJob, "SawCompletedJob", "Saw completed job: " + job.getMetadata().getName()
                        + ", status: " + CronJobJobs.finishedType(job));
            }
            Instant completed = JobPods.parseTime(job.getStatus() == null ? null : job.getStatus().getCompletionTime());
            Instant lastSuccess = JobPods.parseTime(status.getLastSuccessfulTime());
            if (CronJobJobs.succeeded(job) && completed != null && (lastSuccess == null || completed.isAfter(lastSuccess))) {
                status.setLastSuccessfulTime(completed.toString());
            }
        }
        for (ObjectReference ref : List.copyOf(status.getActive())) {
            if (children.stream().anyMatch(j -> JobPods.uid(j).equals(ref.getUid()))) {
                continue;
            }
            // the cache may lag behind a Job just created: only the API can say it is gone
            Job job = ctx.client().batch().v1().jobs().inNamespace(cronJob.getMetadata().getNamespace()).withName(ref.getName()).get();
            if (job == null || !JobPods.uid(job).equals(ref.getUid())) {
                status.getActive().remove(ref);
                ctx.events().normal(cronJob, "MissingJob", "Active job went missing: " + ref.getName());
            }
        }
    }

    /** Starts the Job of the due scheduled time if the policies allow; returns how long until the next one. */
    private Duration schedule(CronJob cronJob, Instant now) {
        ZoneId zone = zoneOf(cronJob);
        if (zone == null || Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
            return null;
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(cronJob.getSpec().getSchedule());
        } catch (IllegalArgumentException e) {
            ctx.events().warning(cronJob, "UnparseableSchedule", "unparseable schedule: \"" + cronJob.getSpec().getSchedule() + "\" : " + e.getMessage());
            return null;
        }
        CronJobStatus status = cronJob.getStatus();
        Instant created = Optional.ofNullable(JobPods.parseTime(cronJob.getMetadata().getCreationTimestamp())).orElse(now);
        Instant lastScheduled = JobPods.parseTime(status.getLastScheduleTime());
        Instant earliest = CronJobTiming.earliest(lastScheduled, created, null, now);
        if (schedule.nextAfter(earliest, zone).isEmpty()) {
            ctx.events().warning(cronJob, "InvalidSchedule", "invalid schedule: " + cronJob.getSpec().getSchedule()
                    + " : it does not fire within five years");
            return null;
        }
        Duration untilNext = CronJobTiming.untilNext(schedule, zone, earliest, now).orElse(null);
        Instant searchFrom = CronJobTiming.earliest(lastScheduled, created, cronJob.getSpec().getStartingDeadlineSeconds(), now);
        Optional<CronJobTiming.Due> due = CronJobTiming.mostRecent(schedule, zone, searchFrom, now);
        if (due.isEmpty()) {
            return untilNext;
        }
        if (due.get().manyMissed()) {
            ctx.events().warning(cronJob, "TooManyMissedTimes",
                    "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        Instant scheduled = due.get().time();
        String jobName = CronJobJobs.name(cronJob, scheduled);
        if (status.getActive().stream().anyMatch(r -> jobName.equals(r.getName())) || scheduled.equals(lastScheduled)) {
            return untilNext;
        }
        String policy = cronJob.getSpec().getConcurrencyPolicy();
        if ("Forbid".equals(policy) && !status.getActive().isEmpty()) {
            ctx.events().normal(cronJob, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            return untilNext;
        }
        if ("Replace".equals(policy)) {
            for (ObjectReference ref : List.copyOf(status.getActive())) {
                CronJobHistory.deleteJob(ctx, cronJob, ref.getName());
                status.getActive().remove(ref);
            }
        }
        Job job = start(cronJob, scheduled, zone);
        if (job == null || isActive(status, JobPods.uid(job))) {
            return untilNext;
        }
        status.getActive().add(CronJobJobs.reference(job));
        status.setLastScheduleTime(scheduled.toString());
        return untilNext;
    }

    /** Creates the Job for the scheduled time; a Job already there under its name is taken if this CronJob owns it. */
    private Job start(CronJob cronJob, Instant scheduled, ZoneId zone) {
        Job request = CronJobJobs.forScheduledTime(cronJob, scheduled, zone);
        String ns = cronJob.getMetadata().getNamespace();
        try {
            Job created = ctx.client().batch().v1().jobs().inNamespace(ns).resource(request).create();
            ctx.events().normal(cronJob, "SuccessfulCreate", "Created job " + created.getMetadata().getName());
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                ctx.events().warning(cronJob, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
        }
        Job existing = ctx.client().batch().v1().jobs().inNamespace(ns).withName(request.getMetadata().getName()).get();
        return existing != null && JobPods.controlledBy(existing, cronJob.getMetadata().getUid()) ? existing : null;
    }

    private ZoneId zoneOf(CronJob cronJob) {
        String name = cronJob.getSpec().getTimeZone();
        if (name == null) {
            return defaultZone;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            ctx.events().warning(cronJob, "UnknownTimeZone", "invalid timeZone: \"" + name + "\": " + e.getMessage());
            return null;
        }
    }

    private static boolean isActive(CronJobStatus status, String jobUid) {
        return status.getActive().stream().anyMatch(r -> jobUid.equals(r.getUid()));
    }
}
