package io.kedge.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls until the cluster reaches a state; the generous limit only catches one that never does. */
public final class Await {
    private Await() {}

    /**
     * Calls {@code probe} until it returns something other than null or false, and returns that.
     * A probe that throws counts as not yet, and its last failure is reported if time runs out.
     */
    public static <T> T until(String what, Duration limit, Callable<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("gave up after " + limit + " waiting for " + what);
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            Thread.sleep(250);
        }
    }
}
