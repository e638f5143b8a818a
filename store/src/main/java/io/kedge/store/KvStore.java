package io.kedge.store;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A revisioned key-value store with watch, shaped like etcd v3.
 *
 * <p>Every successful write gets a new store-wide revision, strictly greater than every
 * earlier one, across restarts too. A write returns only once it is durable.
 *
 * <p>Keys are non-empty strings compared as UTF-8 bytes; prefixes are plain byte prefixes,
 * so a caller that wants a "directory" adds the trailing {@code /} itself
 * ({@code "/a/b/"} does not match {@code "/a/bc"}, {@code "/a/b"} does).
 */
public interface KvStore extends AutoCloseable {

    /** The revision of the newest write, or the compaction floor of an empty store. */
    long currentRevision();

    Optional<KeyValue> get(String key);

    /**
     * Keys with the given prefix, in key order, starting after {@code startAfter} (exclusive,
     * null for the first), at most {@code limit} of them (0 = no limit), as of the current
     * revision.
     */
    RangeResult range(String prefix, String startAfter, int limit);

    /** @return the new object's revision. */
    long create(String key, byte[] value) throws StoreException.KeyExists;

    /**
     * Replaces the value if the key's modRevision still equals {@code expectedModRevision};
     * {@code expectedModRevision == 0} means unconditionally.
     *
     * @return the new revision.
     */
    long update(String key, byte[] value, long expectedModRevision)
            throws StoreException.NotFound, StoreException.Conflict;

    /**
     * Deletes the key if its modRevision still equals {@code expectedModRevision} (0 = any).
     *
     * @return the revision of the delete.
     */
    long delete(String key, long expectedModRevision)
            throws StoreException.NotFound, StoreException.Conflict;

    /**
     * Streams every change to keys under {@code prefix} with a revision greater than
     * {@code afterRevision}, in revision order, first the history then live changes, with no
     * gap and no duplicate. {@code afterRevision} may be ahead of the current revision; the
     * watch then waits for it.
     *
     * <p>Events arrive on a thread of the store, one at a time per watch. A watch can end on its
     * own: its history was compacted while it was reconnecting or catching up
     * ({@link StoreException.Compacted}), the backend failed for good
     * ({@link StoreException.StoreUnavailable}), or the listener threw (that exception). Then
     * {@code onFailure} is called once, no more events follow, and the caller should relist
     * and watch again. Closing the watch or the store ends it without calling {@code onFailure}.
     *
     * @throws StoreException.Compacted if history after {@code afterRevision} is already gone
     */
    Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
                Consumer<Exception> onFailure) throws StoreException.Compacted;

    /**
     * Like {@link #watch(String, long, Consumer, Consumer)}, but a watch that ends on its own is
     * only logged. Prefer the four-argument form wherever a lost watch must be noticed.
     */
    default Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener)
            throws StoreException.Compacted {
        return watch(prefix, afterRevision, listener, WatchFailureLog::log);
    }

    /**
     * Drops history at and below {@code revision}; current values are kept, and so is each
     * live key's value as of {@code revision} (the prevKv of the next change). Compacting at or
     * below the current floor does nothing.
     *
     * @throws IllegalArgumentException if {@code revision} is newer than the current revision
     */
    void compact(long revision);

    /** The oldest revision whose history is still kept (exclusive lower bound for watches). */
    long compactedRevision();

    /** Ends every watch of this store and releases the backend. Idempotent. */
    @Override
    void close();

    /**
     * A registered watch. Once {@link #close()} returns, no further event starts being delivered
     * (one already in the listener may finish). Closing from inside the listener is allowed.
     */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
