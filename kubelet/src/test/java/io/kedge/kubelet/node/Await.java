package io.kedge.kubelet.node;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls until a condition holds; fails with what was awaited after a generous deadline. */
final class Await {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private Await() {
    }

    static <T> T until(String what, Supplier<T> value) {
        Instant end = Instant.now().plus(DEADLINE);
        RuntimeException last = null;
        while (Instant.now().isBefore(end)) {
            try {
                T v = value.get();
                if (v != null && !Boolean.FALSE.equals(v)) {
                    return v;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while awaiting " + what, e);
            }
        }
        throw new AssertionError("timed out awaiting " + what, last);
    }
}
