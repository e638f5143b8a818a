package io.kedge.apiserver.encryption;

import io.kedge.store.KeyValue;
import io.kedge.store.KvStore;
import io.kedge.store.RangeResult;
import io.kedge.store.StoreException;
import io.kedge.store.WatchEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Seals the values of encrypted resources on their way into the store and opens them on the way
 * out, reads and watch events alike, so that everything above (the caches, the handlers) sees
 * plain objects and the store's files never do.
 */
public final class EncryptingStore implements KvStore {
    private final KvStore store;
    private final EncryptionConfig config;

    public EncryptingStore(KvStore store, EncryptionConfig config) {
        this.store = store;
        this.config = config;
    }

    private byte[] seal(String key, byte[] value) {
        return config.forKey(key).map(e -> e.seal(key, value)).orElse(value);
    }

    private KeyValue open(KeyValue kv) {
        if (kv == null || kv.value() == null || kv.value().length == 0) {
            return kv;
        }
        Optional<ResourceEncryption> e = config.forKey(kv.key());
        return e.isEmpty() ? kv : new KeyValue(kv.key(), e.get().open(kv.key(), kv.value()), kv.createRevision(), kv.modRevision());
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return store.get(key).map(this::open);
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit) {
        RangeResult r = store.range(prefix, startAfter, limit);
        List<KeyValue> opened = r.kvs().stream().map(this::open).toList();
        return new RangeResult(opened, r.more(), r.revision());
    }

    @Override
    public long create(String key, byte[] value) throws StoreException.KeyExists {
        return store.create(key, seal(key, value));
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision) throws StoreException.NotFound, StoreException.Conflict {
        return store.update(key, seal(key, value), expectedModRevision);
    }

    @Override
    public long delete(String key, long expectedModRevision) throws StoreException.NotFound, StoreException.Conflict {
        return store.delete(key, expectedModRevision);
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener, Consumer<Exception> onFailure)
            throws StoreException.Compacted {
        return store.watch(prefix, afterRevision,
                ev -> listener.accept(new WatchEvent(ev.type(), open(ev.kv()), open(ev.prevKv()))), onFailure);
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
