package io.kedge.hub;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The cloud watches the hub holds open for its clients' watches, found by {@link WatchKey}; several
 * may share a key when clients asked for versions that one of them could not serve.
 */
final class SharedWatches {
    /** How long a cloud watch stays open after its last client left: an informer re-watching at once finds it. */
    static final Duration LINGER = Duration.ofSeconds(5);
    /**
     * How many bytes a client may leave unread before it is dropped, unless the system property
     * {@code kedge.hub.watch-backlog-bytes} says otherwise when the hub starts.
     */
    static final long BACKLOG_LIMIT = 16L << 20;

    private final Set<SharedWatch> open = ConcurrentHashMap.newKeySet();
    private final long backlogLimit;
    private final boolean enabled;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-watch-timer");
        t.setDaemon(true);
        return t;
    });

    /** @param enabled false: every client watch gets a cloud watch of its own (system property {@code kedge.hub.share-watches=false}) */
    SharedWatches(long backlogLimit, boolean enabled) {
        this.backlogLimit = backlogLimit;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Places a client's watch in an open cloud watch of its key that can serve it; false when none can. */
    boolean join(WatchKey key, ClientWatch watch, String resourceVersion, boolean bookmarks) {
        for (SharedWatch shared : open) {
            if (shared.key().equals(key) && shared.join(watch, resourceVersion, bookmarks)) {
                return true;
            }
        }
        return false;
    }

    void opened(SharedWatch shared) {
        open.add(shared);
    }

    void closed(SharedWatch shared) {
        open.remove(shared);
    }

    /** Cloud watches open for shared use. */
    int upstreams() {
        return open.size();
    }

    /** Clients served by a cloud watch another client opened. */
    int sharedClients() {
        return open.stream().mapToInt(SharedWatch::sharedClients).sum();
    }

    long backlogLimit() {
        return backlogLimit;
    }

    ScheduledFuture<?> schedule(Runnable task) {
        return after(LINGER, task);
    }

    /** Runs {@code task} after {@code delay}; at once (returning null) when the hub is closing. */
    ScheduledFuture<?> after(Duration delay, Runnable task) {
        try {
            return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            task.run();
            return null;
        }
    }

    void close() {
        timer.shutdownNow();
    }
}
