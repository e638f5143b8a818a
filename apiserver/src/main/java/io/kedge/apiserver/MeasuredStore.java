package io.kedge.apiserver;

import io.kedge.apiserver.http.RequestMetrics;
import io.kedge.store.KeyValue;
import io.kedge.store.KvStore;
import io.kedge.store.RangeResult;
import io.kedge.store.StoreException;
import io.kedge.store.WatchEvent;
import java.util.Optional;
import java.util.function.Consumer;

/** Times every store operation for {@code /metrics}. */
final class MeasuredStore implements KvStore {
    private final KvStore store;
    private final RequestMetrics metrics;

    MeasuredStore(KvStore store, RequestMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    private void done(String op, long start) {
        metrics.storeOperation(op, System.nanoTime() - start);
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        long t = System.nanoTime();
        try {
            return store.get(key);
        } finally {
            done("get", t);
        }
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit) {
        long t = System.nanoTime();
        try {
            return store.range(prefix, startAfter, limit);
        } finally {
            done("range", t);
        }
    }

    @Override
    public long create(String key, byte[] value) throws StoreException.KeyExists {
        long t = System.nanoTime();
        try {
            return store.create(key, value);
        } finally {
            done("create", t);
        }
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision)
            throws StoreException.NotFound, StoreException.Conflict {
        long t = System.nanoTime();
        try {
            return store.update(key, value, expectedModRevision);
        } finally {
            done("update", t);
        }
    }

    @Override
    public long delete(String key, long expectedModRevision) throws StoreException.NotFound, StoreException.Conflict {
        long t = System.nanoTime();
        try {
            return store.delete(key, expectedModRevision);
        } finally {
            done("delete", t);
        }
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
                       Consumer<Exception> onFailure) throws StoreException.Compacted {
        return store.watch(prefix, afterRevision, listener, onFailure);
    }

    @Override
    public void compact(long revision) {
        store.compact(revision);
    }

    @Override
    public long compactedRevision() {
        return store.compactedRevision();
    }

    @Override
    public void close() {
        store.close();
    }
}
