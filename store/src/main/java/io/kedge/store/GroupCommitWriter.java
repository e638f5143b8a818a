package io.kedge.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes the SQLite file. It takes whatever writes are waiting, applies
 * them in order in one transaction (each with its own revision and precondition check),
 * commits once, publishes their events, and only then completes their callers. Under
 * concurrent writers a single fsync thus covers many writes.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;

    private final SqliteLogWriter log;
    private final Consumer<List<WatchEvent>> onCommitted;
    private final BlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>();
    private final WriteOp stop = new WriteOp() {
        @Override
        void apply(SqliteLogWriter log) {}
    };
    private final Object submitLock = new Object();
    private boolean closed;
    private final Thread thread;

    /** {@code onCommitted} gets each committed batch's events in revision order, on the writer thread. */
    GroupCommitWriter(SqliteLogWriter log, String name, Consumer<List<WatchEvent>> onCommitted) {
        this.log = log;
        this.onCommitted = onCommitted;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    void submit(WriteOp op) {
        synchronized (submitLock) {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            queue.add(op);
        }
    }

    private void run() {
        List<WriteOp> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                LOG.error("the store writer was interrupted; writes are no longer accepted");
                closeQuietly();
                stopping = true;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping |= batch.remove(stop);
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
        }
        // close() or an interrupt made submit() refuse new work; fail whatever slipped in before.
        List<WriteOp> leftovers = new ArrayList<>();
        queue.drainTo(leftovers);
        leftovers.forEach(op -> op.fail(new StoreException.StoreUnavailable("the store was closed before this write ran", null)));
    }

    private void commit(List<WriteOp> batch) {
        try {
            for (WriteOp op : batch) {
                op.apply(log);
            }
            log.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            String why = e.getMessage() != null && e.getMessage().contains("database or disk is full")
                    ? "the disk is full (free space where the store is; nothing of this write was kept)" : e.getMessage();
            var failure = new StoreException.StoreUnavailable(
                    "writing to the SQLite store failed, the write may not be applied: " + why, e);
            batch.forEach(op -> op.fail(failure));
            return;
        }
        List<WatchEvent> events = new ArrayList<>(batch.size());
        for (WriteOp op : batch) {
            WatchEvent event = op.event();
            if (event != null) {
                events.add(event);
            }
        }
        try {
            onCommitted.accept(events);
        } catch (RuntimeException e) {
            LOG.error("publishing committed writes failed", e);
        }
        batch.forEach(WriteOp::complete);
    }

    private void rollbackQuietly() {
        try {
            log.rollback();
        } catch (SQLException e) {
            LOG.warn("rolling back a failed write batch failed", e);
        }
    }

    private void closeQuietly() {
        synchronized (submitLock) {
            closed = true;
        }
    }

    /** Refuses new writes, finishes the queued ones, and stops the thread. */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(stop);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
