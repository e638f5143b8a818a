package io.kedge.apiserver.storage;

/**
 * One open watch. The cache calls {@link #send} in revision order, from one thread at a time; an
 * implementation must not block.
 */
public interface Watcher {
    /** @return false when the watcher is gone (closed or too slow) and should be dropped. */
    boolean send(CacheEvent event, boolean matchesNow, boolean matchedBefore);

    /** A point in the stream with nothing to report, for clients that asked for bookmarks. */
    void bookmark(long revision, boolean initialEventsEnd);

    /** Ends the stream with a Status, e.g. when history ran out. */
    void fail(io.kedge.api.ApiException error);

    /** Writes what was queued during the initial replay. */
    void flush();

    WatchFilter filter();
}
