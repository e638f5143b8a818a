package io.kedge.controllers.framework;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keys waiting to be reconciled. A key is queued at most once however often it is added, and is
 * never handed to two workers at once: a key added while it is being processed is queued again
 * when its worker is done. Failed keys come back with per-key exponential back-off.
 */
public final class WorkQueue {
    private static final Duration BASE_DELAY = Duration.ofMillis(5);
    private static final Duration MAX_DELAY = Duration.ofSeconds(300);

    private final Deque<String> ready = new ArrayDeque<>();
    private final Set<String> queued = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirtyWhileProcessing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final ScheduledExecutorService timer;
    private boolean shutdown;

    public WorkQueue(String name) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-queue-timer");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized void add(String key) {
        if (shutdown) {
            return;
        }
        if (processing.contains(key)) {
            dirtyWhileProcessing.add(key);
            return;
        }
        if (queued.add(key)) {
            ready.addLast(key);
            notifyAll();
        }
    }

    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        try {
            timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            // the controller is stopping; the key does not matter any more
        }
    }

    /** Re-adds a key that failed, after a delay that doubles with each consecutive failure. */
    public void addRateLimited(String key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum);
        }
        long millis = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << Math.min(n - 1, 30));
        addAfter(key, Duration.ofMillis(millis));
    }

    /** Clears a key's failure count after it reconciled cleanly. */
    public synchronized void forget(String key) {
        failures.remove(key);
    }

    public synchronized int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    /** Blocks for the next key; null once the queue is shut down. */
    public synchronized String take() throws InterruptedException {
        while (ready.isEmpty() && !shutdown) {
            wait();
        }
        if (shutdown) {
            return null;
        }
        String key = ready.removeFirst();
        queued.remove(key);
        processing.add(key);
        return key;
    }

    public synchronized void done(String key) {
        processing.remove(key);
        if (dirtyWhileProcessing.remove(key) && queued.add(key)) {
            ready.addLast(key);
            notifyAll();
        }
    }

    public synchronized int length() {
        return ready.size();
    }

    public synchronized void shutdown() {
        shutdown = true;
        timer.shutdownNow();
        notifyAll();
    }
}
