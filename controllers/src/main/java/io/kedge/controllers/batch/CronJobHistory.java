package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.controllers.framework.ControllerContext;
import java.util.ArrayList;
import java.util.List;

/** Keeps a CronJob's finished Jobs to its {@code successfulJobsHistoryLimit} and {@code failedJobsHistoryLimit}, deleting the oldest. */
final class CronJobHistory {
    private final ControllerContext ctx;
    private final CronJob cronJob;

    CronJobHistory(ControllerContext ctx, CronJob cronJob) {
        this.ctx = ctx;
        this.cronJob = cronJob;
    }

    void trim(List<Job> children) {
        Integer successful = cronJob.getSpec().getSuccessfulJobsHistoryLimit();
        Integer failed = cronJob.getSpec().getFailedJobsHistoryLimit();
        List<Job> succeededJobs = new ArrayList<>();
        List<Job> failedJobs = new ArrayList<>();
        for (Job job : children) {
            if (JobPods.beingDeleted(job) || !JobConditions.finished(job)) {
                continue;
            }
            (CronJobJobs.succeeded(job) ? succeededJobs : failedJobs).add(job);
        }
        if (successful != null) {
            removeOldest(succeededJobs, successful);
        }
        if (failed != null) {
            removeOldest(failedJobs, failed);
        }
    }

    private void removeOldest(List<Job> finished, int keep) {
        finished.sort(CronJobJobs.BY_START_TIME);
        for (int i = 0; i < finished.size() - keep; i++) {
            deleteJob(ctx, cronJob, finished.get(i).getMetadata().getName());
            String uid = JobPods.uid(finished.get(i));
            cronJob.getStatus().getActive().removeIf(r -> uid.equals(r.getUid()));
        }
    }

    /** Deletes one of the CronJob's Jobs, its pods following in the background. */
    static void deleteJob(ControllerContext ctx, CronJob cronJob, String name) {
        try {
            ctx.client().batch().v1().jobs().inNamespace(cronJob.getMetadata().getNamespace()).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            ctx.events().normal(cronJob, "SuccessfulDelete", "Deleted job " + name);
        } catch (KubernetesClientException e) {
            ctx.events().warning(cronJob, "FailedDelete", "Deleted job: " + e.getMessage());
            throw e;
        }
    }
}
