package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobJobsTest {
    private static final Instant SCHEDULED = Instant.parse("2024-05-01T10:03:00Z");

    private static CronJob cronJob() {
        return new CronJobBuilder().withNewMetadata().withName("backup").withNamespace("ns").withUid("cj-1").endMetadata()
                .withNewSpec().withSchedule("* * * * *").withNewJobTemplate().withNewMetadata().addToLabels("team", "ops")
                .addToAnnotations("note", "x").endMetadata().withNewSpec().withBackoffLimit(2).withNewTemplate().withNewSpec()
                .addNewContainer().withName("c").withImage("restic").endContainer().endSpec().endTemplate().endSpec()
                .endJobTemplate().endSpec().build();
    }

    @Test
    void aJobIsNamedForItsScheduledTimeInMinutesSinceTheEpoch() {
        assertThat(CronJobJobs.name(cronJob(), SCHEDULED)).isEqualTo("backup-" + (SCHEDULED.getEpochSecond() / 60)).isEqualTo("backup-28575963");
    }

    @Test
    void aJobCarriesTheTemplateTheScheduledTimeInTheZoneAndAControllingOwnerReference() {
        Job job = CronJobJobs.forScheduledTime(cronJob(), SCHEDULED, ZoneId.of("Europe/Berlin"));

        assertThat(job.getMetadata().getName()).isEqualTo("backup-28575963");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "ops");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("note", "x")
                .containsEntry(CronJobJobs.SCHEDULED_TIMESTAMP, "2024-05-01T12:03:00+02:00");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("CronJob");
            assertThat(r.getUid()).isEqualTo("cj-1");
            assertThat(r.getController()).isTrue();
            assertThat(r.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    }

    @Test
    void aTimestampInUtcEndsInZ() {
        Job job = CronJobJobs.forScheduledTime(cronJob(), SCHEDULED, ZoneOffset.UTC);
        assertThat(job.getMetadata().getAnnotations()).containsEntry(CronJobJobs.SCHEDULED_TIMESTAMP, "2024-05-01T10:03:00Z");
    }

    @Test
    void finishedJobsAreOrderedByStartTimeWithUnstartedOnesLast() {
        Job late = new JobBuilder().withNewMetadata().withName("b").endMetadata().withNewStatus().withStartTime("2024-05-01T10:05:00Z").endStatus().build();
        Job early = new JobBuilder().withNewMetadata().withName("c").endMetadata().withNewStatus().withStartTime("2024-05-01T10:01:00Z").endStatus().build();
        Job unstarted = new JobBuilder().withNewMetadata().withName("a").endMetadata().build();
        List<Job> jobs = new ArrayList<>(List.of(unstarted, late, early));
        jobs.sort(CronJobJobs.BY_START_TIME);
        assertThat(jobs).extracting(j -> j.getMetadata().getName()).containsExactly("c", "b", "a");
    }
}
