package io.kedge.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition that other processes make true. */
final class Poll {
    private Poll() {}

    /** Checks {@code done} every {@code intervalMillis}; false if it did not hold within {@code timeout}. */
    static boolean until(BooleanSupplier done, Duration timeout, long intervalMillis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            ServerProcess.sleep(intervalMillis);
        }
        return true;
    }
}
