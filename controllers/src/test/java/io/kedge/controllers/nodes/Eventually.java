package io.kedge.controllers.nodes;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls until the cluster converges: controllers act asynchronously, so tests wait for a state, never for a time. */
public final class Eventually {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Eventually() {}

    /**
     * Calls {@code probe} until it returns something other than null or false, and returns that.
     *
     * @param what what is awaited, for the failure message
     */
    public static <T> T await(String what, Callable<T> probe) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception | AssertionError e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
        throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + "s waiting until " + what, last);
    }
}
