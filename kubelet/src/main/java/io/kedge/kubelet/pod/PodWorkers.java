package io.kedge.kubelet.pod;

import io.kedge.kubelet.cri.CriUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs syncs per pod uid, one at a time for each pod and in parallel across pods. Asking for a sync
 * while one runs makes exactly one more run after it, so bursts of events coalesce. A failed sync
 * is tried again a little later.
 */
final class PodWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);
    static final Duration RETRY_RUNTIME_DOWN = Duration.ofSeconds(2);
    static final Duration RETRY_FAILED = Duration.ofSeconds(5);

    private final Predicate<String> sync;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile String lastRuntimeProblem;

    private static final class Slot {
        boolean running;
        boolean dirty;
        /** Taken out of the map; an enqueue that still holds it must make a new slot. */
        boolean retired;
    }

    /** @param sync syncs one pod and returns false once the pod needs no more syncs */
    PodWorkers(Predicate<String> sync, ExecutorService pool, ScheduledExecutorService timer) {
        this.sync = sync;
        this.pool = pool;
        this.timer = timer;
    }

    void enqueue(String uid) {
        if (closed) {
            return;
        }
        Slot slot;
        while (true) {
            slot = slots.computeIfAbsent(uid, k -> new Slot());
            synchronized (slot) {
                if (slot.retired) {
                    continue;
                }
                slot.dirty = true;
                if (slot.running) {
                    return;
                }
                slot.running = true;
                break;
            }
        }
        Slot claimed = slot;
        try {
            pool.execute(() -> drain(uid, claimed));
        } catch (RejectedExecutionException e) {
            synchronized (claimed) {
                claimed.running = false;
            }
        }
    }

    void enqueueAfter(String uid, Duration delay) {
        if (closed) {
            return;
        }
        try {
            timer.schedule(() -> enqueue(uid), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void drain(String uid, Slot slot) {
        while (true) {
            synchronized (slot) {
                if (!slot.dirty || closed) {
                    slot.running = false;
                    return;
                }
                slot.dirty = false;
            }
            boolean keep = true;
            try {
                keep = sync.test(uid);
                lastRuntimeProblem = null;
            } catch (CriUnavailableException e) {
                if (!e.getMessage().equals(lastRuntimeProblem)) {
                    LOG.warn("pods wait for the container runtime: {}", e.getMessage());
                    lastRuntimeProblem = e.getMessage();
                }
                enqueueAfter(uid, RETRY_RUNTIME_DOWN);
            } catch (RuntimeException e) {
                if (closed) {
                    // closing interrupts syncs on purpose
                    return;
                }
                LOG.warn("sync of pod {} failed, retrying in {}s", uid, RETRY_FAILED.toSeconds(), e);
                enqueueAfter(uid, RETRY_FAILED);
            }
            if (!keep) {
                synchronized (slot) {
                    if (!slot.dirty) {
                        slot.retired = true;
                        slots.remove(uid, slot);
                        slot.running = false;
                        return;
                    }
                }
            }
        }
    }

    void close() {
        closed = true;
    }
}
