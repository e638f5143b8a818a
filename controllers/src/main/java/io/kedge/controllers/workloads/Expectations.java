package io.kedge.controllers.workloads;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The creations and deletions a controller has asked for and not yet seen in its informer cache.
 * While any are outstanding the cache is known to be behind the controller's own writes, so the
 * controller must not size its pods from it again: doing so would create (or delete) twice.
 * Outstanding expectations lapse after a timeout, so that a lost watch event cannot stall an owner
 * for ever.
 */
final class Expectations {
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, Pending> byKey = new ConcurrentHashMap<>();

    Expectations(Clock clock) {
        this.clock = clock;
    }

    private static final class Pending {
        int creations;
        final Set<String> deletions = new HashSet<>();
        final Instant since;

        Pending(Instant since) {
            this.since = since;
        }
    }

    /** True when the cache reflects every write made for the key, or the wait has timed out. */
    boolean satisfied(String key) {
        Pending p = byKey.get(key);
        if (p == null) {
            return true;
        }
        synchronized (p) {
            return (p.creations <= 0 && p.deletions.isEmpty()) || p.since.plus(TIMEOUT).isBefore(clock.instant());
        }
    }

    void expectCreations(String key, int count) {
        byKey.put(key, newPending(count, Set.of()));
    }

    void expectDeletions(String key, Set<String> podKeys) {
        byKey.put(key, newPending(0, podKeys));
    }

    private Pending newPending(int creations, Set<String> deletions) {
        Pending p = new Pending(clock.instant());
        p.creations = creations;
        p.deletions.addAll(deletions);
        return p;
    }

    void creationObserved(String key) {
        Pending p = byKey.get(key);
        if (p != null) {
            synchronized (p) {
                p.creations--;
            }
        }
    }

    void deletionObserved(String key, String podKey) {
        Pending p = byKey.get(key);
        if (p != null) {
            synchronized (p) {
                p.deletions.remove(podKey);
            }
        }
    }

    void forget(String key) {
        byKey.remove(key);
    }
}
