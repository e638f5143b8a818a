package io.kedge.kubelet.events;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names of new events: {@code <object>.<16 hex digits>}, the digits from the clock's nanoseconds as
 * upstream's are, but never the same twice from one kubelet even when the clock repeats itself,
 * since the hub drops an offline event whose name the cloud already has as a duplicate.
 */
final class EventNames {
    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    EventNames(Clock clock) {
        this.clock = clock;
    }

    String next(String objectName) {
        Instant now = clock.instant();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long unique = last.accumulateAndGet(nanos, (prev, n) -> Math.max(prev + 1, n));
        return objectName + "." + String.format("%016x", unique);
    }
}
