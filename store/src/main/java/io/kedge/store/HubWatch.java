package io.kedge.store;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite watch. It starts by reading the log (history), then goes live and takes events
 * pushed by the hub. If its listener falls so far behind that more than {@code maxQueued}
 * events wait, it drops them and reads the log again from where it was, so a slow watcher
 * costs memory for a bounded queue only.
 *
 * <p>One task at a time runs {@link #run}; it is the only code that delivers events or
 * touches {@link #covered}: every matching change up to {@code covered} has been delivered.
 */
final class HubWatch implements KvStore.Watch {
    private static final Logger LOG = LoggerFactory.getLogger(HubWatch.class);
    private static final int PAGE = 512;

    private final WatchHub hub;
    private final String prefix;
    private final byte[] prefixBytes;
    private final byte[] prefixEnd;
    private final Consumer<WatchEvent> listener;
    private final Consumer<Exception> onFailure;
    private final int maxQueued;

    private final Object lock = new Object();
    private final ArrayDeque<WatchEvent> queue = new ArrayDeque<>();
    private boolean live;
    private long liveAfter;
    /** While live: the newest published revision; every queued event is at or below it. */
    private long publishedUpTo;
    /** After an overflow: everything up to here had been delivered or did not match. */
    private long resumeAfter;
    private boolean running = true;
    private int fallbacks;
    private volatile boolean closed;

    private long covered;

    HubWatch(WatchHub hub, String prefix, long afterRevision, Consumer<WatchEvent> listener,
             Consumer<Exception> onFailure, int maxQueued) {
        this.hub = hub;
        this.prefix = prefix;
        this.prefixBytes = KeyBytes.prefix(prefix);
        this.prefixEnd = KeyBytes.prefixEnd(prefixBytes);
        this.listener = listener;
        this.onFailure = onFailure;
        this.maxQueued = maxQueued;
        this.covered = afterRevision;
    }

    void start() {
        schedule();
    }

    /** Under the hub's lock: a committed batch, in revision order. */
    void offer(List<WatchEvent> batch) {
        synchronized (lock) {
            if (!live || closed) {
                return;
            }
            for (WatchEvent event : batch) {
                // A string prefix of the key is exactly a byte prefix of its UTF-8 form.
                if (event.revision() > liveAfter && event.kv().key().startsWith(prefix)) {
                    queue.add(event);
                }
            }
            publishedUpTo = Math.max(publishedUpTo, batch.get(batch.size() - 1).revision());
            if (queue.size() > maxQueued) {
                live = false;
                fallbacks++;
                resumeAfter = queue.peek().revision() - 1;
                queue.clear();
            }
            if (running || (queue.isEmpty() && live)) {
                return;
            }
            running = true;
        }
        schedule();
    }

    /** Under the hub's lock. */
    void markLive(long liveAfter) {
        synchronized (lock) {
            this.live = true;
            this.liveAfter = liveAfter;
            this.publishedUpTo = liveAfter;
        }
    }

    boolean isLive() {
        synchronized (lock) {
            return live;
        }
    }

    /** How often the queue overflowed and the watch went back to reading the log. */
    int fallbacks() {
        synchronized (lock) {
            return fallbacks;
        }
    }

    private void schedule() {
        try {
            hub.execute(this::run);
        } catch (RejectedExecutionException e) {
            close();
        }
    }

    private void run() {
        try {
            while (true) {
                WatchEvent next;
                synchronized (lock) {
                    if (closed) {
                        running = false;
                        return;
                    }
                    if (!live) {
                        covered = Math.max(covered, resumeAfter);
                        next = null;
                    } else {
                        next = queue.poll();
                        if (next == null) {
                            covered = Math.max(covered, publishedUpTo);
                            running = false;
                            return;
                        }
                    }
                }
                if (next == null) {
                    catchUp();
                } else {
                    deliver(next);
                }
            }
        } catch (StoreException.Compacted | RuntimeException e) {
            synchronized (lock) {
                running = false;
            }
            fail(e);
        }
    }

    /** Reads the log until it has caught up with the hub, then goes live. */
    private void catchUp() throws StoreException.Compacted {
        HistoryPage page;
        do {
            page = read(Long.MAX_VALUE);
            deliverAll(page);
        } while (page.full() && !closed);
        covered = Math.max(covered, page.snapshotRevision());

        long liveAfter = hub.goLive(this, covered);
        while (covered < liveAfter && !closed) {
            page = read(liveAfter);
            deliverAll(page);
            if (!page.full()) {
                covered = liveAfter;
            }
        }
    }

    private HistoryPage read(long upTo) throws StoreException.Compacted {
        HistoryPage page = hub.history(prefixBytes, prefixEnd, covered, upTo, PAGE);
        if (page.compactedRevision() > covered) {
            throw new StoreException.Compacted(covered, page.compactedRevision());
        }
        return page;
    }

    private void deliverAll(HistoryPage page) {
        for (WatchEvent event : page.events()) {
            deliver(event);
        }
    }

    private void deliver(WatchEvent event) {
        if (closed) {
            return;
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        covered = Math.max(covered, event.revision());
    }

    private void fail(Exception failure) {
        if (closed) {
            return;
        }
        close();
        try {
            onFailure.accept(failure);
        } catch (RuntimeException e) {
            LOG.warn("a watch failure handler threw", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            queue.clear();
        }
        hub.remove(this);
    }
}
