package io.kedge.hub;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

final class Await {
    private Await() {}

    /** Polls until {@code check} gives a non-null, non-false value; fails after 30 s naming what was awaited. */
    static <T> T until(String what, Callable<T> check) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        Exception last = null;
        while (Instant.now().isBefore(end)) {
            try {
                T value = check.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new Exception(e);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }
}
