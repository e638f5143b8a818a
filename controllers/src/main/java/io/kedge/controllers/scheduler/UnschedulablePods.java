package io.kedge.controllers.scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Pods that did not fit, with their attempt count. A cluster change sends them back to the queue,
 * each after its own back-off (1 s doubling to 10 s since its last attempt, like upstream), so that
 * a busy cluster does not retry every pending pod at every event.
 */
final class UnschedulablePods {
    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** A retry even without an event the scheduler recognises, as a safety net. */
    static final Duration PERIODIC_RETRY = Duration.ofSeconds(60);

    private record Attempt(int count, long atNanos, boolean podAffinity) {
    }

    private final Map<String, Attempt> pods = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    UnschedulablePods(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void failed(String key, boolean podAffinity) {
        pods.compute(key, (k, a) -> new Attempt(a == null ? 1 : a.count() + 1, nanoTime.getAsLong(), podAffinity));
    }

    void clear(String key) {
        pods.remove(key);
    }

    int size() {
        return pods.size();
    }

    /** Sends every pending pod back, or only those refused for pod affinity (a new pod may satisfy them). */
    void move(boolean onlyPodAffinity, BiConsumer<String, Duration> requeue) {
        long now = nanoTime.getAsLong();
        pods.forEach((key, a) -> {
            if (!onlyPodAffinity || a.podAffinity()) {
                long waited = now - a.atNanos();
                requeue.accept(key, Duration.ofNanos(Math.max(0, backoff(a.count()).toNanos() - waited)));
            }
        });
    }

    static Duration backoff(int attempts) {
        long millis = INITIAL_BACKOFF.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }
}
