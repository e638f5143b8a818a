package io.kedge.controllers.batch;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Job controller: runs a Job's pods to the wanted number of completions, within its parallelism,
 * back-off limit and active deadline; marks it Complete or Failed; and deletes it once its
 * {@code ttlSecondsAfterFinished} has passed.
 */
public final class JobController implements Reconciler {
    /** A Job naming another controller in {@code spec.managedBy} is left to it. */
    static final String MANAGER = "kubernetes.io/job-controller";

    private final JobRuntime rt;
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<Pod> pods;
    private final JobFinisher finisher;

    private JobController(JobRuntime rt, SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods) {
        this.rt = rt;
        this.jobs = jobs;
        this.pods = pods;
        this.finisher = new JobFinisher(rt);
    }

    public static Controller create(ControllerContext ctx) {
        return create(ctx, JobSettings.defaults());
    }

    static Controller create(ControllerContext ctx, JobSettings settings) {
        JobRuntime rt = new JobRuntime(ctx, settings, new JobExpectations(), new PodFailureBackoff(), new WrittenVersions());
        SharedIndexInformer<Job> jobs = Informers.shared(ctx, Job.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx, Pod.class);
        JobController reconciler = new JobController(rt, jobs, pods);
        Controller controller = new Controller("job", reconciler, settings.workers());
        jobs.addEventHandler(controller.<Job>enqueueSelf());
        jobs.addEventHandler(reconciler.forgetDeletedJobs());
        pods.addEventHandler(controller.<Pod>enqueue(JobController::jobKeysOf));
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        if (namespace == null) {
            throw new IllegalArgumentException("job key " + key + " has no namespace");
        }
        List<Pod> namespacePods = Informers.inNamespace(pods, namespace);
        Job job = jobs.getStore().getByKey(key);
        finisher.releaseLeftBehind(name, job == null ? null : JobPods.uid(job), namespacePods);
        if (job == null || !managedHere(job)) {
            return null;
        }
        Instant now = rt.ctx().clock().instant();
        if (!rt.written().seen(job, now)) {
            return Duration.ofSeconds(1); // our own last status write is not in the cache yet
        }
        String uid = JobPods.uid(job);
        List<Pod> own = namespacePods.stream().filter(p -> JobPods.controlledBy(p, uid)).toList();
        if (JobConditions.finished(job)) {
            rt.backoff().forget(uid);
            finisher.releaseAll(own);
            return finisher.expireAfterTtl(job);
        }
        Job working = rt.ctx().client().getKubernetesSerialization().clone(job);
        return new JobSync(rt, job, working, own).run();
    }

    private static boolean managedHere(Job job) {
        String managedBy = job.getSpec() == null ? null : job.getSpec().getManagedBy();
        return job.getSpec() != null && (managedBy == null || MANAGER.equals(managedBy));
    }

    /** The Job a pod belongs to; for a pod whose owner reference is gone but which still holds the finalizer, the Job it was named for. */
    static List<String> jobKeysOf(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        OwnerReference ref = JobPods.controllerOf(pod);
        if (ref != null) {
            return "Job".equals(ref.getKind()) && ref.getApiVersion() != null && ref.getApiVersion().startsWith("batch/")
                    ? List.of(ns + "/" + ref.getName()) : List.of();
        }
        Map<String, String> labels = pod.getMetadata().getLabels();
        String jobName = labels == null ? null : labels.get(JobPods.JOB_NAME_LABEL);
        return JobPods.hasTrackingFinalizer(pod) && jobName != null ? List.of(ns + "/" + jobName) : List.of();
    }

    private ResourceEventHandler<Job> forgetDeletedJobs() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) { }

            @Override
            public void onUpdate(Job oldJob, Job newJob) { }

            @Override
            public void onDelete(Job job, boolean finalStateUnknown) {
                String uid = JobPods.uid(job);
                rt.expectations().forget(uid);
                rt.backoff().forget(uid);
                rt.written().forget(uid);
            }
        };
    }
}
