package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobExpectationsTest {
    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    private static Pod pod(String name, String uid, boolean finalizer, boolean deleting) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withUid(uid).endMetadata();
        if (finalizer) {
            b.editMetadata().addToFinalizers(JobPods.TRACKING_FINALIZER).endMetadata();
        }
        if (deleting) {
            b.editMetadata().withDeletionTimestamp(T.toString()).endMetadata();
        }
        return b.build();
    }

    @Test
    void aCreatedPodIsAwaitedUntilTheCacheShowsIt() {
        JobExpectations e = new JobExpectations();
        e.expectCreated("job", "pi-abcde", T);
        assertThat(e.podsSettled("job", List.of(), T)).isFalse();
        assertThat(e.podsSettled("job", List.of(pod("pi-abcde", "p1", true, false)), T)).isTrue();
    }

    @Test
    void aDeletedPodIsAwaitedUntilTheCacheShowsItGoingOrGone() {
        JobExpectations e = new JobExpectations();
        e.expectDeleted("job", "p1", T);
        assertThat(e.podsSettled("job", List.of(pod("a", "p1", true, false)), T)).isFalse();
        assertThat(e.podsSettled("job", List.of(pod("a", "p1", true, true)), T)).isTrue();
    }

    @Test
    void aReleasedPodIsReportedUntilTheCacheShowsItWithoutTheFinalizer() {
        JobExpectations e = new JobExpectations();
        e.expectReleased("job", "p1", T);
        assertThat(e.podsSettled("job", List.of(pod("a", "p1", true, false)), T)).as("release does not hold back creation").isTrue();
        assertThat(e.beingReleased("job")).containsExactly("p1");
        e.podsSettled("job", List.of(pod("a", "p1", false, false)), T);
        assertThat(e.beingReleased("job")).isEmpty();
    }

    @Test
    void expectationsThatNeverComeTrueAreGivenUpAfterFiveMinutes() {
        JobExpectations e = new JobExpectations();
        e.expectCreated("job", "never-seen", T);
        assertThat(e.podsSettled("job", List.of(), T.plus(Duration.ofMinutes(6)))).isTrue();
    }
}
