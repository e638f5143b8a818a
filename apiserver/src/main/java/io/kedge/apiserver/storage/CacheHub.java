package io.kedge.apiserver.storage;

import io.kedge.api.ApiException;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.store.KvStore;
import io.kedge.store.RangeResult;
import io.kedge.store.StoreException;
import io.kedge.store.WatchEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every resource cache from one store watch on {@code /registry/}, and tracks the revision
 * the caches have reached so that reads can wait until they are fresh.
 */
public final class CacheHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheHub.class);
    private static final int MAX_HISTORY_PER_RESOURCE = 200_000;

    private final KvStore store;
    private final Map<String, ResourceCache> byPrefix = new ConcurrentHashMap<>();
    private final Object revisionLock = new Object();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cache-maintenance");
        t.setDaemon(true);
        return t;
    });
    private final Duration history;
    private volatile long revision;
    private long maintenanceRuns;
    private KvStore.Watch watch;

    public CacheHub(KvStore store, Duration history) {
        this.store = store;
        this.history = history;
    }

    /**
     * @param onWatchLost called if the store watch ends on its own; the caches are then stale and the
     *                    server must stop rather than serve old data
     */
    public void start(Consumer<Exception> onWatchLost) throws StoreException.Compacted {
        revision = store.currentRevision();
        watch = store.watch("/registry/", revision, this::dispatch, e -> {
            LOG.error("the store watch that feeds the caches ended: {}", e.toString());
            onWatchLost.accept(e);
        });
        timer.scheduleAtFixedRate(this::maintain, 10, 10, TimeUnit.SECONDS);
    }

    /** Creates (or returns) the cache of a resource, loading its objects at a consistent revision. */
    public ResourceCache cacheFor(ResourceType type) {
        ResourceCache existing = byPrefix.get(type.keyPrefix());
        if (existing != null) {
            existing.updateType(type);
            return existing;
        }
        ResourceCache cache = new ResourceCache(type, MAX_HISTORY_PER_RESOURCE);
        ResourceCache raced = byPrefix.putIfAbsent(type.keyPrefix(), cache);
        if (raced != null) {
            return raced;
        }
        RangeResult all = store.range(type.keyPrefix(), null, 0);
        cache.load(all.kvs(), all.revision());
        return cache;
    }

    public ResourceCache existing(ResourceType type) {
        return byPrefix.get(type.keyPrefix());
    }

    /** Forgets a resource whose definition is gone (a deleted CRD). */
    public void drop(ResourceType type) {
        byPrefix.remove(type.keyPrefix());
    }

    private void dispatch(WatchEvent e) {
        String key = e.kv().key();
        ResourceCache cache = byPrefix.get(prefixOf(key));
        if (cache != null) {
            try {
                cache.apply(e);
            } catch (RuntimeException ex) {
                LOG.error("event for {} at revision {} could not be cached", key, e.revision(), ex);
            }
        }
        synchronized (revisionLock) {
            revision = e.revision();
            revisionLock.notifyAll();
        }
    }

    /** {@code /registry/<group>/<resource>/} of a key. */
    static String prefixOf(String key) {
        int first = key.indexOf('/', "/registry/".length());
        int second = first < 0 ? -1 : key.indexOf('/', first + 1);
        return second < 0 ? key : key.substring(0, second + 1);
    }

    public long revision() {
        return revision;
    }

    /** The revision a consistent read must reach: the store's newest. */
    public long storeRevision() {
        return store.currentRevision();
    }

    /** Blocks until the caches have seen {@code target}, or answers 504 after {@code timeout}. */
    public void waitFor(long target, Duration timeout) {
        if (revision >= target) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (revisionLock) {
            while (revision < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw ApiException.timeout("Too large resource version: " + target + ", current: " + revision);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(revisionLock, left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw ApiException.timeout("interrupted while waiting for the watch cache");
                }
            }
        }
    }

    private void maintain() {
        long now = revision;
        boolean bookmarks = ++maintenanceRuns % 6 == 0;
        for (ResourceCache c : byPrefix.values()) {
            try {
                c.trimHistory(history.toNanos());
                if (bookmarks) {
                    c.bookmarkAll(now);
                }
            } catch (RuntimeException ex) {
                LOG.warn("cache maintenance of {} failed", c.type().groupResource(), ex);
            }
        }
    }

    public Map<String, ResourceCache> caches() {
        return byPrefix;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (watch != null) {
            watch.close();
        }
    }
}
