package io.kedge.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Fans committed SQLite writes out to watches. The writer publishes each batch here after it
 * commits; a watch that is not yet (or no longer) live reads the log instead, and
 * {@link #goLive} is the hand-over point between the two.
 */
final class WatchHub implements AutoCloseable {
    static final int DEFAULT_MAX_QUEUED = 10_000;

    private final SqliteReaderPool readers;
    private final int maxQueuedPerWatch;
    private final ExecutorService delivery;
    private final Set<HubWatch> watches = new LinkedHashSet<>();
    private long lastPublished;
    private boolean closed;

    WatchHub(SqliteReaderPool readers, long newestRevision, int maxQueuedPerWatch) {
        this.readers = readers;
        this.lastPublished = newestRevision;
        this.maxQueuedPerWatch = maxQueuedPerWatch;
        this.delivery = Executors.newCachedThreadPool(daemonThreads("kedge-sqlite-watch-"));
    }

    HubWatch open(String prefix, long afterRevision, Consumer<WatchEvent> listener, Consumer<Exception> onFailure) {
        HubWatch watch = new HubWatch(this, prefix, afterRevision, listener, onFailure, maxQueuedPerWatch);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            watches.add(watch);
        }
        watch.start();
        return watch;
    }

    /** Called by the writer with each committed batch's events, in revision order. */
    synchronized void publish(List<WatchEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (HubWatch watch : watches) {
            watch.offer(events);
        }
        lastPublished = events.get(events.size() - 1).revision();
    }

    /**
     * Makes the watch live. It has delivered everything up to {@code covered} from the log;
     * it must still read (covered, returned revision] from the log, and gets every later
     * event pushed.
     */
    synchronized long goLive(HubWatch watch, long covered) {
        long liveAfter = Math.max(covered, lastPublished);
        watch.markLive(liveAfter);
        return liveAfter;
    }

    HistoryPage history(byte[] prefix, byte[] prefixEnd, long after, long upTo, int limit) {
        return readers.read("read the change history", r -> r.history(prefix, prefixEnd, after, upTo, limit));
    }

    void execute(Runnable task) {
        delivery.execute(task);
    }

    synchronized void remove(HubWatch watch) {
        watches.remove(watch);
    }

    /** Ends every watch (without failure callbacks) and stops delivery. */
    @Override
    public void close() {
        List<HubWatch> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(watches);
        }
        open.forEach(HubWatch::close);
        delivery.shutdown();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
