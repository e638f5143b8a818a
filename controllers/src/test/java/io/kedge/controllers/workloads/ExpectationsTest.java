package io.kedge.controllers.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
    private Instant now = Instant.parse("2030-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };
    private final Expectations expectations = new Expectations(clock);

    @Test
    void aKeyWithNothingOutstandingIsSatisfied() {
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void creationsAreOutstandingUntilEachIsObserved() {
        expectations.expectCreations("ns/rs", 2);
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        expectations.creationObserved("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        expectations.creationObserved("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void deletionsAreOutstandingUntilThoseVeryPodsAreObservedGone() {
        expectations.expectDeletions("ns/rs", Set.of("ns/a", "ns/b"));
        expectations.deletionObserved("ns/rs", "ns/other");
        expectations.deletionObserved("ns/rs", "ns/a");
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        expectations.deletionObserved("ns/rs", "ns/b");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void outstandingExpectationsLapseAfterTheTimeoutSoALostEventCannotStallAnOwner() {
        expectations.expectCreations("ns/rs", 1);
        now = now.plus(Expectations.TIMEOUT).plusSeconds(1);
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void forgettingAKeyDropsWhatWasOutstanding() {
        expectations.expectCreations("ns/rs", 3);
        expectations.forget("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }
}
