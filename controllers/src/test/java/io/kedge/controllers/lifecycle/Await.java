package io.kedge.controllers.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls until a condition holds; the generous limit only catches a controller that never converges. */
final class Await {
    static final Duration LIMIT = Duration.ofSeconds(60);

    private Await() {}

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(LIMIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
