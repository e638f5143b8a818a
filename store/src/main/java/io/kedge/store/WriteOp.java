package io.kedge.store;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One write waiting for the group-commit writer. {@link #apply} runs inside the batch's
 * transaction and either accepts (a revision, and the event to publish) or rejects with the
 * caller's precondition failure; the caller learns which only after the batch commits.
 */
abstract class WriteOp {
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private long revision;
    private WatchEvent event;
    private Exception rejection;

    abstract void apply(SqliteLogWriter log) throws SQLException;

    final void accept(long revision, WatchEvent event) {
        this.revision = revision;
        this.event = event;
    }

    final void reject(Exception rejection) {
        this.rejection = rejection;
    }

    /** The change to publish once committed, or null. */
    final WatchEvent event() {
        return rejection == null ? event : null;
    }

    final void complete() {
        if (rejection != null) {
            done.completeExceptionally(rejection);
        } else {
            done.complete(revision);
        }
    }

    final void fail(RuntimeException failure) {
        done.completeExceptionally(failure);
    }

    /** Waits for the commit; throws the rejection, or StoreUnavailable if the batch failed. */
    final long await() throws StoreException {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException.StoreUnavailable(
                    "interrupted while waiting for a write to commit; it may still be applied", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreException se) {
                throw se;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException.StoreUnavailable("write failed: " + cause, cause);
        }
    }

    static final class Create extends WriteOp {
        private final String key;
        private final byte[] keyBytes;
        private final byte[] value;

        Create(String key, byte[] value) {
            this.keyBytes = KeyBytes.key(key);
            this.key = key;
            this.value = KeyBytes.value(value).clone();
        }

        @Override
        void apply(SqliteLogWriter log) throws SQLException {
            if (log.live(keyBytes) != null) {
                reject(new StoreException.KeyExists(key));
                return;
            }
            long revision = log.appendCreate(keyBytes, value);
            accept(revision, new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, value, revision, revision), null));
        }
    }

    static final class Update extends WriteOp {
        private final String key;
        private final byte[] keyBytes;
        private final byte[] value;
        private final long expectedModRevision;

        Update(String key, byte[] value, long expectedModRevision) {
            this.keyBytes = KeyBytes.key(key);
            this.key = key;
            this.value = KeyBytes.value(value).clone();
            KeyBytes.checkRevision("expectedModRevision", expectedModRevision);
            this.expectedModRevision = expectedModRevision;
        }

        @Override
        void apply(SqliteLogWriter log) throws SQLException {
            SqliteLogWriter.LiveRow current = log.live(keyBytes);
            if (current == null) {
                reject(new StoreException.NotFound(key));
            } else if (expectedModRevision != 0 && current.revision() != expectedModRevision) {
                reject(new StoreException.Conflict(key, current.revision()));
            } else {
                long revision = log.appendUpdate(keyBytes, current, value);
                KeyValue kv = new KeyValue(key, value, current.createRevision(), revision);
                accept(revision, new WatchEvent(WatchEvent.Type.PUT, kv, current.toKeyValue(key)));
            }
        }
    }

    static final class Delete extends WriteOp {
        private final String key;
        private final byte[] keyBytes;
        private final long expectedModRevision;

        Delete(String key, long expectedModRevision) {
            this.keyBytes = KeyBytes.key(key);
            this.key = key;
            KeyBytes.checkRevision("expectedModRevision", expectedModRevision);
            this.expectedModRevision = expectedModRevision;
        }

        @Override
        void apply(SqliteLogWriter log) throws SQLException {
            SqliteLogWriter.LiveRow current = log.live(keyBytes);
            if (current == null) {
                reject(new StoreException.NotFound(key));
            } else if (expectedModRevision != 0 && current.revision() != expectedModRevision) {
                reject(new StoreException.Conflict(key, current.revision()));
            } else {
                long revision = log.appendDelete(keyBytes, current);
                KeyValue tombstone = new KeyValue(key, SqliteLogWriter.NO_VALUE, 0, revision);
                accept(revision, new WatchEvent(WatchEvent.Type.DELETE, tombstone, current.toKeyValue(key)));
            }
        }
    }

    /** Accepts with the compaction floor after it ran. */
    static final class Compact extends WriteOp {
        private final long revision;

        Compact(long revision) {
            KeyBytes.checkRevision("compaction revision", revision);
            this.revision = revision;
        }

        @Override
        void apply(SqliteLogWriter log) throws SQLException {
            long newest = log.newestRevision();
            long floor = log.compactedRevision();
            if (revision > newest) {
                reject(new IllegalArgumentException("cannot compact at revision " + revision
                        + ": the newest revision is " + newest));
            } else if (revision <= floor) {
                accept(floor, null);
            } else {
                log.compact(floor, revision);
                accept(revision, null);
            }
        }
    }
}
