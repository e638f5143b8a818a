package io.kedge.kubelet.certs;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Polls until a value is there (not null, not false); fails with what was awaited after a generous deadline. */
final class Await {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Await() {
    }

    static <T> T until(String what, Callable<T> value) throws InterruptedException {
        Instant end = Instant.now().plus(DEADLINE);
        Exception last = null;
        while (Instant.now().isBefore(end)) {
            try {
                T v = value.call();
                if (v != null && !Boolean.FALSE.equals(v)) {
                    return v;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out awaiting " + what, last);
    }
}
