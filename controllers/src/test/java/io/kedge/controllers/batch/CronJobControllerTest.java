package io.kedge.controllers.batch;

import static io.kedge.controllers.batch.BatchFixture.await;
import static io.kedge.controllers.batch.BatchFixture.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kedge.controllers.testing.SettableClock;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kedge.controllers.framework.Controller;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CronJob controller against a real server and a real Job controller. Only the CronJob
 * controller's clock is a test's: it is set past scheduled times instead of waiting for them, and
 * the CronJob's key is queued again after each move, as the controller's own wake-up would.
 */
class CronJobControllerTest {
    private static BatchFixture fx;
    private static SettableClock clock;
    private static Controller cronJobs;

    @BeforeAll
    static void start() throws Exception {
        fx = BatchFixture.shared();
        clock = new SettableClock(Instant.now().minus(Duration.ofHours(1)));
        cronJobs = fx.startController(CronJobController.create(fx.context(clock, "cronjob-controller"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        if (cronJobs != null) {
            cronJobs.close();
        }
    }

    /** Parks the clock before any test's CronJob exists, so that nothing is due until a test says so. */
    @BeforeEach
    void parkTheClock() {
        clock.set(Instant.now().minus(Duration.ofHours(1)));
    }

    private static CronJob create(String ns, String name, String schedule, PodTemplateSpec pods, CronJobBuilder more) {
        CronJob cj = more.editOrNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .editOrNewSpec().withSchedule(schedule).withNewJobTemplate().withNewSpec().withBackoffLimit(0)
                .withTemplate(pods).endSpec().endJobTemplate().endSpec().build();
        return fx.client.batch().v1().cronjobs().inNamespace(ns).resource(cj).create();
    }

    /** Moves the CronJob controller's clock to {@code t} and has it look at the CronJob again. */
    private static void wakeAt(Instant t, CronJob cj) {
        clock.set(t);
        cronJobs.queue().add(cj.getMetadata().getNamespace() + "/" + cj.getMetadata().getName());
    }

    /** A time a few seconds past a whole minute some minutes after the CronJob's creation, so that a "* * * * *" schedule is due. */
    private static Instant minutesAfterCreation(CronJob cj, int minutes) {
        return Instant.parse(cj.getMetadata().getCreationTimestamp()).truncatedTo(ChronoUnit.MINUTES)
                .plus(minutes, ChronoUnit.MINUTES).plusSeconds(5);
    }

    private static List<Job> jobsOf(CronJob cj) {
        return fx.client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).list().getItems().stream()
                .filter(j -> JobPods.controlledBy(j, cj.getMetadata().getUid())).toList();
    }

    private static CronJob get(CronJob cj) {
        return fx.client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace()).withName(cj.getMetadata().getName()).get();
    }

    private static String jobName(CronJob cj, Instant scheduled) {
        return cj.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
    }

    @Test
    void aDueScheduleStartsAJobNamedAndAnnotatedForItsTimeAndTracksItToSuccess() throws Exception {
        String ns = fx.namespace("spawn");
        CronJob cj = create(ns, "tick", "* * * * *", podTemplate("0"), new CronJobBuilder().withNewSpec().withTimeZone("Asia/Kolkata").endSpec());
        Instant now = minutesAfterCreation(cj, 2);
        Instant scheduled = now.truncatedTo(ChronoUnit.MINUTES);

        wakeAt(now, cj);

        Job job = await("the job", () -> fx.client.batch().v1().jobs().inNamespace(ns).withName(jobName(cj, scheduled)).get());
        String stamp = job.getMetadata().getAnnotations().get(CronJobJobs.SCHEDULED_TIMESTAMP);
        assertThat(stamp).as("RFC 3339 in the CronJob's time zone").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\+05:30");
        assertThat(OffsetDateTime.parse(stamp).toInstant()).isEqualTo(scheduled);
        assertThat(JobPods.controllerOf(job)).satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("CronJob");
            assertThat(r.getUid()).isEqualTo(cj.getMetadata().getUid());
        });
        CronJob afterStart = await("lastScheduleTime", () -> {
            CronJob c = get(cj);
            return c.getStatus() != null && c.getStatus().getLastScheduleTime() != null ? c : null;
        });
        assertThat(Instant.parse(afterStart.getStatus().getLastScheduleTime())).isEqualTo(scheduled);

        CronJob afterSuccess = await("the job's success", () -> {
            CronJob c = get(cj);
            return c.getStatus().getLastSuccessfulTime() != null && c.getStatus().getActive().isEmpty() ? c : null;
        });
        assertThat(afterSuccess.getStatus().getLastSuccessfulTime()).isNotNull();
        assertThat(jobsOf(cj)).hasSize(1);
        assertThat(fx.eventReasons(ns, "tick")).contains("SuccessfulCreate", "SawCompletedJob")
                .as("its own new job is no surprise to it").doesNotContain("UnexpectedJob");
    }

    @Test
    void forbidSkipsAScheduledTimeWhileTheLastJobIsStillRunning() throws Exception {
        String ns = fx.namespace("forbid");
        CronJob cj = create(ns, "exclusive", "* * * * *", podTemplate(null),
                new CronJobBuilder().withNewSpec().withConcurrencyPolicy("Forbid").endSpec());
        Instant first = minutesAfterCreation(cj, 2);
        wakeAt(first, cj);
        await("the first job", () -> jobsOf(cj).size() == 1 && get(cj).getStatus() != null
                && get(cj).getStatus().getActive().size() == 1 ? true : null);

        wakeAt(first.plus(Duration.ofMinutes(1)), cj);

        await("the refusal", () -> fx.eventReasons(ns, "exclusive").contains("JobAlreadyActive") ? true : null);
        assertThat(jobsOf(cj)).extracting(j -> j.getMetadata().getName())
                .containsExactly(jobName(cj, first.truncatedTo(ChronoUnit.MINUTES)));
        assertThat(Instant.parse(get(cj).getStatus().getLastScheduleTime())).isEqualTo(first.truncatedTo(ChronoUnit.MINUTES));
    }

    @Test
    void replaceDeletesTheRunningJobAndStartsTheNextOne() throws Exception {
        String ns = fx.namespace("replace");
        CronJob cj = create(ns, "latest", "* * * * *", podTemplate(null),
                new CronJobBuilder().withNewSpec().withConcurrencyPolicy("Replace").endSpec());
        Instant first = minutesAfterCreation(cj, 2);
        wakeAt(first, cj);
        await("the first job", () -> jobsOf(cj).size() == 1 ? true : null);

        Instant second = first.plus(Duration.ofMinutes(1));
        wakeAt(second, cj);

        String secondName = jobName(cj, second.truncatedTo(ChronoUnit.MINUTES));
        await("only the second job, and it alone active", () -> {
            List<Job> jobs = jobsOf(cj);
            List<String> active = get(cj).getStatus().getActive().stream().map(r -> r.getName()).toList();
            return jobs.size() == 1 && jobs.get(0).getMetadata().getName().equals(secondName)
                    && active.equals(List.of(secondName)) ? true : null;
        });
        assertThat(fx.eventReasons(ns, "latest")).contains("SuccessfulDelete");
    }

    @Test
    void historyLimitsKeepOnlyTheNewestFinishedJobs() throws Exception {
        String ns = fx.namespace("history");
        CronJob ok = create(ns, "ok", "* * * * *", podTemplate("0"),
                new CronJobBuilder().withNewSpec().withSuccessfulJobsHistoryLimit(1).endSpec());
        CronJob bad = create(ns, "bad", "* * * * *", podTemplate("1"),
                new CronJobBuilder().withNewSpec().withFailedJobsHistoryLimit(1).endSpec());
        Instant t = minutesAfterCreation(ok, 2);
        for (int run = 1; run <= 3; run++) {
            Instant at = t.plus(Duration.ofMinutes(run));
            wakeAt(at, ok);
            wakeAt(at, bad);
            String okName = jobName(ok, at.truncatedTo(ChronoUnit.MINUTES));
            String badName = jobName(bad, at.truncatedTo(ChronoUnit.MINUTES));
            await("run " + run + " to finish", () -> finished(ns, okName) && finished(ns, badName) ? true : null);
        }
        wakeAt(t.plus(Duration.ofMinutes(3)), ok);
        wakeAt(t.plus(Duration.ofMinutes(3)), bad);

        String newestOk = jobName(ok, t.plus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MINUTES));
        String newestBad = jobName(bad, t.plus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MINUTES));
        await("the older jobs to go", () -> jobsOf(ok).size() == 1 && jobsOf(bad).size() == 1 ? true : null);
        assertThat(jobsOf(ok)).extracting(j -> j.getMetadata().getName()).containsExactly(newestOk);
        assertThat(jobsOf(bad)).extracting(j -> j.getMetadata().getName()).containsExactly(newestBad);
    }

    @Test
    void aStartingDeadlineLetsATimeMissedForTooLongPass() throws Exception {
        String ns = fx.namespace("deadline");
        CronJob cj = create(ns, "punctual", "* * * * *", podTemplate("0"),
                new CronJobBuilder().withNewSpec().withStartingDeadlineSeconds(10L).endSpec());
        await("the cache to hold the cronjob", () -> fx.informers.getExistingSharedIndexInformer(CronJob.class).getStore()
                .getByKey(ns + "/punctual"));
        // driven one reconcile at a time, with its own clock, while the running controller's clock stays parked
        SettableClock ownClock = new SettableClock(Instant.EPOCH);
        CronJobController reconciler = CronJobController.reconciler(fx.context(ownClock, "cronjob-controller"), ZoneOffset.UTC);
        Instant late = minutesAfterCreation(cj, 2).plusSeconds(25); // 30 s after the scheduled time

        ownClock.set(late);
        Duration wait = reconciler.reconcile(ns + "/punctual");

        assertThat(jobsOf(cj)).as("no job for a time missed by more than the deadline").isEmpty();
        assertThat(wait).isEqualTo(Duration.ofSeconds(30).plusMillis(100));

        Instant onTime = late.plus(wait).plusSeconds(3);
        ownClock.set(onTime);
        reconciler.reconcile(ns + "/punctual");

        assertThat(jobsOf(cj)).extracting(j -> j.getMetadata().getName())
                .containsExactly(jobName(cj, onTime.truncatedTo(ChronoUnit.MINUTES)));
    }

    private static boolean finished(String ns, String jobName) {
        Job j = fx.client.batch().v1().jobs().inNamespace(ns).withName(jobName).get();
        return j != null && JobConditions.finished(j);
    }
}
