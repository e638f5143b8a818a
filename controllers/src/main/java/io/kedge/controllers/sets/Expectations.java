package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pod creations and deletions a controller made but its informer has not shown yet. Until they
 * show, the controller's view of the owner's pods is out of date, and acting on it would create
 * or delete twice. An expectation that never shows (a lost watch event) lapses after a while.
 */
final class Expectations {
    static final Duration LAPSE = Duration.ofMinutes(1);

    private static final class Pending {
        final Set<String> creates = ConcurrentHashMap.newKeySet();
        final Set<String> deletes = ConcurrentHashMap.newKeySet();
        volatile Instant since;
    }

    private final Map<String, Pending> byOwner = new ConcurrentHashMap<>();

    void created(String owner, String podKey, Instant now) {
        pending(owner, now).creates.add(podKey);
    }

    void deleted(String owner, String podKey, Instant now) {
        pending(owner, now).deletes.add(podKey);
    }

    void forget(String owner) {
        byOwner.remove(owner);
    }

    /** Whether the informer shows everything this controller did for the owner. */
    boolean met(String owner, Function<String, Pod> lookup, Instant now) {
        Pending p = byOwner.get(owner);
        if (p == null) {
            return true;
        }
        p.creates.removeIf(k -> lookup.apply(k) != null);
        p.deletes.removeIf(k -> {
            Pod pod = lookup.apply(k);
            return pod == null || PodStates.terminating(pod);
        });
        if (p.creates.isEmpty() && p.deletes.isEmpty() || now.isAfter(p.since.plus(LAPSE))) {
            byOwner.remove(owner, p);
            return true;
        }
        return false;
    }

    private Pending pending(String owner, Instant now) {
        Pending p = byOwner.computeIfAbsent(owner, k -> new Pending());
        p.since = now;
        return p;
    }
}
