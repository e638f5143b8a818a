package io.kedge.kubelet.pod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential back-off per key (a container of a pod, or an image pull): the first retry is
 * immediate, then each must wait 10s, 20s, 40s... up to 5 minutes after the last failure. A key
 * that has not failed for twice the maximum starts again from the beginning.
 */
final class RestartBackoff {
    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Duration delay, Instant lastRetry) {
    }

    RestartBackoff(Clock clock) {
        this(clock, INITIAL, MAX);
    }

    RestartBackoff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /**
     * How long to wait yet before retrying {@code key}, whose last attempt failed at {@code failedAt};
     * empty when a retry may happen now.
     */
    Optional<Duration> remaining(String key, Instant failedAt) {
        Entry e = entries.get(key);
        Instant now = clock.instant();
        if (e == null || expired(e, now)) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, failedAt.plus(e.delay));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /** The current delay for the key, for messages such as "back-off 20s restarting failed container". */
    Duration delay(String key) {
        Entry e = entries.get(key);
        return e == null ? initial : e.delay;
    }

    /** Records a retry of {@code key} now, which doubles the delay the next failure must wait. */
    void retried(String key) {
        Instant now = clock.instant();
        entries.compute(key, (k, e) -> e == null || expired(e, now)
                ? new Entry(initial, now)
                : new Entry(e.delay.multipliedBy(2).compareTo(max) > 0 ? max : e.delay.multipliedBy(2), now));
    }

    /** Forgets every key that starts with {@code prefix} (a pod's keys, once the pod is gone). */
    void forget(String prefix) {
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private boolean expired(Entry e, Instant now) {
        return Duration.between(e.lastRetry, now).compareTo(max.multipliedBy(2)) > 0;
    }
}
