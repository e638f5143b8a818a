package io.kedge.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps about {@code keep} worth of history in a store and compacts the rest, for either
 * backend. Neither backend records when a revision was written, so this samples
 * {@link KvStore#currentRevision()} on every {@link #tick()}: a revision sampled at time t was
 * written at or before t, so once t is older than {@code keep} it can be compacted. History is
 * thus kept for between {@code keep} and {@code keep} plus one tick interval. Samples use a
 * monotonic clock and live in memory: after a restart nothing is compacted until {@code keep}
 * has passed again, which only keeps more history than asked.
 */
public final class HistoryRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

    private record Sample(long nanos, long revision) {}

    private final KvStore store;
    private final long keepNanos;
    private final LongSupplier nanoClock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long compactedTo;
    private ScheduledExecutorService scheduler;

    /** A retention that only acts when {@link #tick()} is called, reading time from {@code nanoClock}. */
    public HistoryRetention(KvStore store, Duration keep, LongSupplier nanoClock) {
        if (store == null || keep == null || nanoClock == null) {
            throw new IllegalArgumentException("history retention needs a store, a duration and a clock");
        }
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("history retention must be positive, got " + keep);
        }
        this.store = store;
        this.keepNanos = keep.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Starts a daemon thread that ticks every {@code keep / 30} (at least once a second), so
     * history is kept for at most about 3% longer than asked.
     */
    public static HistoryRetention start(KvStore store, Duration keep) {
        HistoryRetention retention = new HistoryRetention(store, keep, System::nanoTime);
        long periodMillis = Math.max(1_000, keep.toMillis() / 30);
        retention.scheduler = Executors.newSingleThreadScheduledExecutor(WatchHub.daemonThreads("kedge-history-retention-"));
        retention.scheduler.scheduleWithFixedDelay(retention::tickQuietly, 0, periodMillis, TimeUnit.MILLISECONDS);
        return retention;
    }

    /** Samples the current revision and compacts up to the newest sample older than {@code keep}. */
    public synchronized void tick() {
        long now = nanoClock.getAsLong();
        samples.addLast(new Sample(now, store.currentRevision()));
        Sample expired = null;
        while (!samples.isEmpty() && now - samples.peekFirst().nanos() >= keepNanos) {
            expired = samples.pollFirst();
        }
        if (expired != null && expired.revision() > compactedTo) {
            store.compact(expired.revision());
            compactedTo = expired.revision();
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("compacting old history failed; will retry", e);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
