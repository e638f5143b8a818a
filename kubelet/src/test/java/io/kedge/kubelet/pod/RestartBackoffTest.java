package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final MutableClock clock = new MutableClock();
    private final RestartBackoff backoff = new RestartBackoff(clock);

    @Test
    void theFirstRestartIsImmediateAndLaterOnesWaitTenSecondsDoubling() {
        assertThat(backoff.remaining("p/c", clock.instant())).isEmpty();
        backoff.retried("p/c");

        assertThat(backoff.remaining("p/c", clock.instant())).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(backoff.remaining("p/c", clock.instant().minusSeconds(10))).isEmpty();
        backoff.retried("p/c");
        assertThat(backoff.delay("p/c")).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.remaining("p/c", clock.instant())).contains(Duration.ofSeconds(20));
    }

    @Test
    void theDelayStopsGrowingAtFiveMinutes() {
        for (int i = 0; i < 12; i++) {
            backoff.retried("p/c");
            clock.advance(Duration.ofMinutes(5));
        }
        assertThat(backoff.delay("p/c")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aKeyQuietForTwiceTheMaximumStartsOver() {
        backoff.retried("p/c");
        backoff.retried("p/c");
        backoff.retried("p/c");
        clock.advance(Duration.ofMinutes(11));

        assertThat(backoff.remaining("p/c", clock.instant())).isEmpty();
        backoff.retried("p/c");
        assertThat(backoff.delay("p/c")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void forgettingAPodForgetsOnlyItsKeys() {
        backoff.retried("pod-a/c");
        backoff.retried("pod-b/c");

        backoff.forget("pod-a/");

        assertThat(backoff.remaining("pod-a/c", clock.instant())).isEmpty();
        assertThat(backoff.remaining("pod-b/c", clock.instant())).isPresent();
    }
}
