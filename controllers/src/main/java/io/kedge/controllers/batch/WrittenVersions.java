package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resourceVersion of this controller's last write to each object, so that a reconcile does not
 * act on a cached copy older than its own write (it would recount what it has already counted).
 */
final class WrittenVersions {
    /** Past this, a cached copy is trusted anyway, in case the watch skipped the written version. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private record Written(String version, Instant at) { }

    private final Map<String, Written> written = new ConcurrentHashMap<>();

    void wrote(HasMetadata result, Instant now) {
        written.put(result.getMetadata().getUid(), new Written(result.getMetadata().getResourceVersion(), now));
    }

    /** Whether the cached copy is at least as new as the last write to it. */
    boolean seen(HasMetadata cached, Instant now) {
        String uid = cached.getMetadata().getUid();
        Written w = written.get(uid);
        if (w == null) {
            return true;
        }
        String version = cached.getMetadata().getResourceVersion();
        boolean caughtUp = w.version().equals(version) || newerOrEqual(version, w.version())
                || Duration.between(w.at(), now).compareTo(PATIENCE) > 0;
        if (caughtUp) {
            written.remove(uid, w);
        }
        return caughtUp;
    }

    void forget(String uid) {
        written.remove(uid);
    }

    /** Versions are opaque to clients, but the servers in use count them up; unreadable ones never compare. */
    private static boolean newerOrEqual(String version, String than) {
        try {
            return Long.parseLong(version) >= Long.parseLong(than);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
