package io.kedge.store;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A watch listener for tests: records events and failures, and waits for them. */
final class EventRecorder implements Consumer<WatchEvent> {
    private static final long WAIT_SECONDS = 30;

    private final BlockingQueue<WatchEvent> arrived = new LinkedBlockingQueue<>();
    private final List<WatchEvent> taken = new ArrayList<>();
    private final BlockingQueue<Exception> failures = new LinkedBlockingQueue<>();

    @Override
    public void accept(WatchEvent event) {
        arrived.add(event);
    }

    Consumer<Exception> failureHandler() {
        return failures::add;
    }

    /** Waits until {@code count} events have arrived in total and returns all of them. */
    synchronized List<WatchEvent> await(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (taken.size() < count) {
            WatchEvent next = arrived.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                fail("expected " + count + " watch events but got " + taken.size() + ": " + describe(taken)
                        + (failures.isEmpty() ? "" : "; failures: " + failures));
            }
            taken.add(next);
        }
        return List.copyOf(taken);
    }

    /** Everything that has arrived so far, without waiting. */
    synchronized List<WatchEvent> soFar() {
        arrived.drainTo(taken);
        return List.copyOf(taken);
    }

    Exception awaitFailure() throws InterruptedException {
        Exception failure = failures.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (failure == null) {
            fail("expected the watch to fail, but it did not");
        }
        return failure;
    }

    List<Exception> failures() {
        return new CopyOnWriteArrayList<>(failures);
    }

    static String describe(List<WatchEvent> events) {
        List<String> out = new ArrayList<>();
        for (WatchEvent e : events) {
            out.add(e.type() + " " + e.kv().key() + "@" + e.revision());
        }
        return out.toString();
    }
}
