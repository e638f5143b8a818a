package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodFailureBackoffTest {
    private static final Duration BASE = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofMinutes(10);
    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    private static Pod finishedAt(Instant t) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase("Failed")
                .addNewContainerStatus().withName("c").withNewState().withNewTerminated().withExitCode(1)
                .withFinishedAt(t.toString()).endTerminated().endState().endContainerStatus().endStatus().build();
    }

    @Test
    void theDelayDoublesWithEachFailureUpToTheMaximum() {
        assertThat(PodFailureBackoff.remaining(new PodFailureBackoff.Record(1, T), T, BASE, MAX)).isEqualTo(Duration.ofSeconds(10));
        assertThat(PodFailureBackoff.remaining(new PodFailureBackoff.Record(3, T), T, BASE, MAX)).isEqualTo(Duration.ofSeconds(40));
        assertThat(PodFailureBackoff.remaining(new PodFailureBackoff.Record(30, T), T, BASE, MAX)).isEqualTo(MAX);
    }

    @Test
    void theDelayCountsFromTheLastFailure() {
        assertThat(PodFailureBackoff.remaining(new PodFailureBackoff.Record(2, T), T.plusSeconds(15), BASE, MAX))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(PodFailureBackoff.remaining(new PodFailureBackoff.Record(2, T), T.plusSeconds(25), BASE, MAX)).isZero();
        assertThat(PodFailureBackoff.remaining(PodFailureBackoff.Record.NONE, T, BASE, MAX)).isZero();
    }

    @Test
    void failuresAddUpUntilASuccessAfterThem() {
        PodFailureBackoff b = new PodFailureBackoff();
        PodFailureBackoff.Record one = b.next("job", List.of(), List.of(finishedAt(T)), T);
        b.commit("job", one);
        PodFailureBackoff.Record two = b.next("job", List.of(), List.of(finishedAt(T.plusSeconds(20))), T);
        assertThat(two).isEqualTo(new PodFailureBackoff.Record(2, T.plusSeconds(20)));
        b.commit("job", two);

        PodFailureBackoff.Record afterSuccess = b.next("job", List.of(finishedAt(T.plusSeconds(30))), List.of(finishedAt(T.plusSeconds(40))), T);

        assertThat(afterSuccess).as("only the failure after the success counts").isEqualTo(new PodFailureBackoff.Record(1, T.plusSeconds(40)));
    }

    @Test
    void nothingIsRememberedUntilCommitted() {
        PodFailureBackoff b = new PodFailureBackoff();
        b.next("job", List.of(), List.of(finishedAt(T)), T);
        assertThat(b.next("job", List.of(), List.of(), T)).isEqualTo(PodFailureBackoff.Record.NONE);
    }
}
