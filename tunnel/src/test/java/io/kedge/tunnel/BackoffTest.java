package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** A random source that always returns the same fraction, to pin the jitter. */
    private static Random fixed(double fraction) {
        return new Random() {
            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    @Test
    void delaysDoubleUntilTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), fixed(0.999));
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ms.add(b.next().toMillis());
        }
        assertThat(ms).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
    }

    @Test
    void jitterStaysWithinTheUpperHalfOfEachStep() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), fixed(0.0));
        assertThat(low.next().toMillis()).isEqualTo(50);
        assertThat(low.next().toMillis()).isEqualTo(100);
        Backoff random = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(7));
        for (int i = 0; i < 200; i++) {
            long step = Math.min(100L << Math.min(i, 30), 10_000);
            assertThat(random.next().toMillis()).isBetween(step / 2, step);
        }
    }

    @Test
    void aResetStartsFromTheInitialDelayAgain() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), fixed(0.999));
        b.next();
        b.next();
        b.next();
        b.reset();
        assertThat(b.next().toMillis()).isEqualTo(100);
    }

    @Test
    void aMaximumBelowTheInitialDelayIsRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be below");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
                .hasMessageContaining("must be positive");
    }
}
