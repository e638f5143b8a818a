package io.kedge.tunnel;

import java.time.Duration;
import java.util.Random;

/**
 * Delays between reconnect attempts: doubling from {@code initial} up to {@code max}, each drawn
 * at random from the upper half of its step, so that thousands of agents cut off together do not
 * come back in lockstep.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final Random random;
    private int failures;

    public Backoff(Duration initial, Duration max, Random random) {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the initial back-off must be positive, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the maximum back-off (" + max + ") must not be below the initial one ("
                    + initial + ")");
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public synchronized Duration next() {
        long step = initialMillis << Math.min(failures, 30);
        if (step <= 0 || step > maxMillis) {
            step = maxMillis;
        }
        failures++;
        long half = step / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (step - half + 1)));
    }

    /** After a success: the next failure starts from the initial delay again. */
    public synchronized void reset() {
        failures = 0;
    }
}
