package io.kedge.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's health as the hub measures it: one failed check makes it unhealthy, two successful
 * checks in a row make it healthy again. It starts healthy, so the first requests are tried upstream.
 */
final class CloudHealth {
    private static final Logger LOG = LoggerFactory.getLogger(CloudHealth.class);
    static final int SUCCESSES_TO_RECOVER = 2;

    private final Clock clock;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private boolean healthy = true;
    private int successes;
    private Instant since;
    private String lastProblem;
    private long changes;

    CloudHealth(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    /** Called with the new state after each change, outside the lock. */
    void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    void success() {
        boolean changed;
        synchronized (this) {
            successes++;
            changed = !healthy && successes >= SUCCESSES_TO_RECOVER;
            if (changed) {
                Duration down = Duration.between(since, clock.instant());
                healthy = true;
                since = clock.instant();
                changes++;
                LOG.info("cloud is healthy again after {} successful checks in a row; it was unreachable for {} s ({})",
                        successes, down.toSeconds(), lastProblem);
            }
        }
        if (changed) {
            listeners.forEach(l -> l.accept(true));
        }
    }

    void failure(String problem) {
        boolean changed;
        synchronized (this) {
            successes = 0;
            lastProblem = problem;
            changed = healthy;
            if (changed) {
                healthy = false;
                since = clock.instant();
                changes++;
                LOG.warn("cloud is unhealthy: {}; reads are answered from the cache and node writes journaled", problem);
            }
        }
        if (changed) {
            listeners.forEach(l -> l.accept(false));
        }
    }

    synchronized boolean healthy() {
        return healthy;
    }

    /** When the current state began. */
    synchronized Instant since() {
        return since;
    }

    synchronized String lastProblem() {
        return lastProblem;
    }

    synchronized long changes() {
        return changes;
    }
}
