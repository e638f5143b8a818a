package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudHealthTest {
    private final CloudHealth health = new CloudHealth(Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC));
    private final List<Boolean> changes = new ArrayList<>();

    {
        health.onChange(changes::add);
    }

    @Test
    void oneFailureMakesTheCloudUnhealthy() {
        health.failure("connection refused");
        assertThat(health.healthy()).isFalse();
        assertThat(health.lastProblem()).isEqualTo("connection refused");
        assertThat(changes).containsExactly(false);
    }

    @Test
    void twoSuccessesInARowMakeItHealthyAgainButOneDoesNot() {
        health.failure("timeout");
        health.success();
        assertThat(health.healthy()).isFalse();
        health.success();
        assertThat(health.healthy()).isTrue();
        assertThat(changes).containsExactly(false, true);
    }

    @Test
    void aFailureBetweenTwoSuccessesStartsTheCountAgain() {
        health.failure("timeout");
        health.success();
        health.failure("timeout");
        health.success();
        assertThat(health.healthy()).isFalse();
        health.success();
        assertThat(health.healthy()).isTrue();
        assertThat(health.changes()).isEqualTo(2);
    }

    @Test
    void successesWhileHealthyChangeNothing() {
        health.success();
        health.success();
        assertThat(changes).isEmpty();
        assertThat(health.healthy()).isTrue();
    }
}
