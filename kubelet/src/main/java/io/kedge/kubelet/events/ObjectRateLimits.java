package io.kedge.kubelet.events;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source and object, as upstream's spam filter has: a burst of 25 events, then
 * one more each 5 minutes, so a crash-looping container cannot flood the API. Only the sender
 * thread uses it.
 */
final class ObjectRateLimits {
    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    private static final int MAX_OBJECTS = 4096;

    private final Map<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_OBJECTS;
        }
    };

    private static final class Bucket {
        double tokens = BURST;
        Instant refilledAt;

        Bucket(Instant now) {
            refilledAt = now;
        }
    }

    /** Takes a token of the object's bucket at {@code now}; false when it has none left. */
    boolean tryTake(String objectKey, Instant now) {
        Bucket b = buckets.computeIfAbsent(objectKey, k -> new Bucket(now));
        Duration elapsed = Duration.between(b.refilledAt, now);
        if (!elapsed.isNegative()) {
            b.tokens = Math.min(BURST, b.tokens + (double) elapsed.toMillis() / REFILL.toMillis());
            b.refilledAt = now;
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }
}
