package io.kedge.controllers.batch;

import static io.kedge.controllers.batch.BatchFixture.await;
import static io.kedge.controllers.batch.BatchFixture.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPodsBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobControllerTest {
    private static BatchFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = BatchFixture.shared();
    }

    private static Job create(String ns, JobBuilder job) {
        return fx.client.batch().v1().jobs().inNamespace(ns).resource(job.editOrNewMetadata().withNamespace(ns).endMetadata().build()).create();
    }

    private static JobBuilder job(String name, PodTemplateSpec template) {
        return new JobBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withTemplate(template).endSpec();
    }

    private static Job awaitCondition(String ns, String name, String type) throws InterruptedException {
        return await(name + " condition " + type, () -> {
            Job j = fx.client.batch().v1().jobs().inNamespace(ns).withName(name).get();
            return j != null && JobConditions.isTrue(j, type) ? j : null;
        });
    }

    private static List<String> conditionTypes(Job j) {
        return j.getStatus().getConditions().stream().map(JobCondition::getType).toList();
    }

    @Test
    void aJobOfThreeCompletionsTwoAtATimeCompletesWithThreeSucceeded() throws Exception {
        String ns = fx.namespace("complete");
        AtomicInteger mostRunning = new AtomicInteger();
        Set<String> running = ConcurrentHashMap.newKeySet();
        SharedIndexInformer<Pod> watch = fx.client.pods().inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod p) { note(p); }
            @Override public void onUpdate(Pod o, Pod p) { note(p); }
            @Override public void onDelete(Pod p, boolean unknown) { running.remove(p.getMetadata().getName()); }

            private void note(Pod p) {
                if (JobPods.active(p)) {
                    running.add(p.getMetadata().getName());
                } else {
                    running.remove(p.getMetadata().getName());
                }
                mostRunning.accumulateAndGet(running.size(), Math::max);
            }
        });
        try {
            create(ns, job("pi", podTemplate("0")).editSpec().withCompletions(3).withParallelism(2).endSpec());

            Job done = awaitCondition(ns, "pi", JobConditions.COMPLETE);

            assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
            assertThat(done.getStatus().getFailed()).isZero();
            assertThat(done.getStatus().getActive()).isZero();
            assertThat(done.getStatus().getStartTime()).isNotNull();
            assertThat(done.getStatus().getCompletionTime()).isNotNull();
            assertThat(done.getStatus().getUncountedTerminatedPods().getSucceeded()).isEmpty();
            assertThat(conditionTypes(done)).containsExactly(JobConditions.SUCCESS_CRITERIA_MET, JobConditions.COMPLETE);
            assertThat(done.getStatus().getConditions()).allSatisfy(c -> {
                assertThat(c.getReason()).isEqualTo("CompletionsReached");
                assertThat(c.getMessage()).isEqualTo("Reached expected number of succeeded pods");
            });
            List<Pod> pods = fx.podsOf(ns, done);
            assertThat(pods).hasSize(3).allSatisfy(p -> {
                assertThat(p.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/controller-uid", done.getMetadata().getUid())
                        .containsEntry("controller-uid", done.getMetadata().getUid())
                        .containsEntry("batch.kubernetes.io/job-name", "pi").containsEntry("job-name", "pi");
                assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                    assertThat(r.getKind()).isEqualTo("Job");
                    assertThat(r.getBlockOwnerDeletion()).isTrue();
                });
                assertThat(p.getMetadata().getFinalizers()).doesNotContain(JobPods.TRACKING_FINALIZER);
                assertThat(p.getMetadata().getName()).startsWith("pi-");
            });
            assertThat(mostRunning.get()).as("never more pods running than the parallelism").isBetween(1, 2);
            await("events", () -> fx.eventReasons(ns, "pi").contains("Completed") ? true : null);
            assertThat(fx.eventReasons(ns, "pi")).contains("SuccessfulCreate");
        } finally {
            watch.close();
        }
    }

    @Test
    void aFailingJobStopsAtItsBackoffLimitHavingRunBackoffLimitPlusOnePods() throws Exception {
        String ns = fx.namespace("backoff");
        create(ns, job("flaky", podTemplate("1")).editSpec().withBackoffLimit(2).endSpec());

        Job failed = awaitCondition(ns, "flaky", JobConditions.FAILED);

        JobCondition condition = JobConditions.findTrue(failed, JobConditions.FAILED).orElseThrow();
        assertThat(condition.getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(condition.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        assertThat(conditionTypes(failed)).containsExactly(JobConditions.FAILURE_TARGET, JobConditions.FAILED);
        assertThat(failed.getStatus().getFailed()).isEqualTo(3);
        assertThat(failed.getStatus().getSucceeded()).isZero();
        assertThat(failed.getStatus().getCompletionTime()).as("only a successful Job has a completion time").isNull();
        assertThat(fx.podsOf(ns, failed)).hasSize(3);
        await("event", () -> fx.eventReasons(ns, "flaky").contains("BackoffLimitExceeded") ? true : null);
    }

    @Test
    void anActiveDeadlineFailsAJobWhosePodsNeverFinishAndRemovesThem() throws Exception {
        String ns = fx.namespace("deadline");
        create(ns, job("forever", podTemplate(null)).editSpec().withParallelism(2).withCompletions(2)
                .withActiveDeadlineSeconds(2L).endSpec());
        await("two running pods", () -> fx.client.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> "Running".equals(JobPods.phase(p))).count() == 2 ? true : null);

        Job failed = awaitCondition(ns, "forever", JobConditions.FAILED);

        assertThat(JobConditions.findTrue(failed, JobConditions.FAILED).orElseThrow().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(failed.getStatus().getActive()).isZero();
        assertThat(failed.getStatus().getFailed()).as("pods stopped by the deadline count as failed").isEqualTo(2);
        assertThat(fx.podsOf(ns, failed)).as("the running pods were deleted").isEmpty();
        await("event", () -> fx.eventReasons(ns, "forever").contains("DeadlineExceeded") ? true : null);
    }

    @Test
    void ttlSecondsAfterFinishedDeletesAFinishedJob() throws Exception {
        String ns = fx.namespace("ttl");
        Job created = create(ns, job("short-lived", podTemplate("0")).editSpec().withTtlSecondsAfterFinished(1).endSpec());

        await("the job to be deleted", () -> fx.client.batch().v1().jobs().inNamespace(ns).withName("short-lived").get() == null ? true : null);

        assertThat(fx.podsOf(ns, created)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).doesNotContain(JobPods.TRACKING_FINALIZER));
    }

    @Test
    void aSuspendedJobRunsNothingUntilResumed() throws Exception {
        String ns = fx.namespace("suspend");
        Job created = create(ns, job("later", podTemplate("0")).editSpec().withSuspend(true).endSpec());

        Job suspended = awaitCondition(ns, "later", JobConditions.SUSPENDED);
        assertThat(suspended.getStatus().getStartTime()).isNull();
        assertThat(fx.podsOf(ns, created)).isEmpty();

        fx.client.batch().v1().jobs().inNamespace(ns).withName("later").edit(j -> {
            j.getSpec().setSuspend(false);
            return j;
        });
        Job done = awaitCondition(ns, "later", JobConditions.COMPLETE);

        JobCondition resumed = JobConditions.find(done.getStatus().getConditions(), JobConditions.SUSPENDED).orElseThrow();
        assertThat(resumed.getStatus()).isEqualTo("False");
        assertThat(resumed.getReason()).isEqualTo("JobResumed");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
        assertThat(fx.eventReasons(ns, "later")).contains("Suspended", "Resumed");
    }

    @Test
    void anIndexedJobNumbersItsPodsAndRecordsTheCompletedIndexes() throws Exception {
        String ns = fx.namespace("indexed");
        create(ns, job("shards", podTemplate("0")).editSpec().withCompletionMode("Indexed").withCompletions(3)
                .withParallelism(3).endSpec());

        Job done = awaitCondition(ns, "shards", JobConditions.COMPLETE);

        assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0-2");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
        List<Pod> pods = fx.podsOf(ns, done);
        assertThat(pods).extracting(JobPods::completionIndex).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(pods).allSatisfy(p -> {
            String index = Integer.toString(JobPods.completionIndex(p));
            assertThat(p.getMetadata().getLabels()).containsEntry(JobPods.COMPLETION_INDEX, index);
            assertThat(p.getMetadata().getName()).startsWith("shards-" + index + "-");
            assertThat(p.getSpec().getHostname()).isEqualTo("shards-" + index);
            assertThat(p.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName).contains(JobPodTemplate.INDEX_ENV);
        });
    }

    @Test
    void thePodsOfADeletedJobLetGoOfTheTrackingFinalizer() throws Exception {
        String ns = fx.namespace("orphans");
        Job created = create(ns, job("abandoned", podTemplate(null)).editSpec().withParallelism(2).withCompletions(2).endSpec());
        await("pods holding the finalizer", () -> fx.podsOf(ns, created).stream()
                .filter(JobPods::hasTrackingFinalizer).count() == 2 ? true : null);

        fx.client.batch().v1().jobs().inNamespace(ns).withName("abandoned")
                .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        await("pods without the finalizer", () -> {
            List<Pod> pods = fx.client.pods().inNamespace(ns).list().getItems();
            return pods.size() == 2 && pods.stream().noneMatch(JobPods::hasTrackingFinalizer) ? true : null;
        });
    }

    @Test
    void aRestartedControllerCountsEachFinishedPodOnceWhereverTheLastOneStopped() throws Exception {
        String ns = fx.namespace("restart");
        fx.stopJobController();
        Job job;
        try {
            job = create(ns, job("resumed", podTemplate("0")).editSpec().withCompletions(2).withParallelism(2).endSpec());
            // the pods the stopped controller had created; both end Succeeded on the hollow node
            Pod first = createPodFor(job);
            Pod second = createPodFor(job);
            await("both pods to succeed", () -> fx.podsOf(ns, job).stream().filter(JobPods::succeeded).count() == 2 ? true : null);
            // it stopped after listing both as uncounted and releasing only the second
            Job current = fx.client.batch().v1().jobs().inNamespace(ns).withName("resumed").get();
            current.setStatus(new JobStatus());
            current.getStatus().setStartTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            current.getStatus().setUncountedTerminatedPods(new UncountedTerminatedPodsBuilder()
                    .withSucceeded(JobPods.uid(first), JobPods.uid(second)).build());
            fx.client.batch().v1().jobs().inNamespace(ns).resource(current).updateStatus();
            fx.client.pods().inNamespace(ns).withName(second.getMetadata().getName()).edit(p -> {
                p.getMetadata().getFinalizers().remove(JobPods.TRACKING_FINALIZER);
                return p;
            });
        } finally {
            fx.startJobController();
        }

        Job done = awaitCondition(ns, "resumed", JobConditions.COMPLETE);

        assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
        assertThat(done.getStatus().getUncountedTerminatedPods().getSucceeded()).isEmpty();
        assertThat(fx.podsOf(ns, job)).hasSize(2).noneMatch(JobPods::hasTrackingFinalizer);
    }

    private static Pod createPodFor(Job job) {
        Pod pod = JobPodTemplate.podFor(job, JobPods.NO_INDEX);
        return fx.client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
    }
}
