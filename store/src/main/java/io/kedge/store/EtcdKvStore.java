package io.kedge.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The scale-out backend: an etcd v3 cluster through jetcd. Every key is stored under
 * {@code keyPrefix} (jetcd's namespace), so several installations can share a cluster; note
 * that compaction is cluster-wide all the same.
 *
 * <p>Preconditions are etcd transactions: create compares createRevision with 0, update and
 * delete compare modRevision (or require existence when unconditional), and the else branch
 * reads the key to tell NotFound from Conflict.
 */
public final class EtcdKvStore implements KvStore {
    private static final long TIMEOUT_SECONDS = 30;
    /** A key no kedge object uses; probes read it to learn revisions without reading data. */
    private static final ByteSequence PROBE_KEY = ByteSequence.from(new byte[] {0});

    private final Client client;
    private final KV kv;
    private final String description;
    private final ExecutorService delivery = Executors.newCachedThreadPool(WatchHub.daemonThreads("kedge-etcd-watch-"));
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(WatchHub.daemonThreads("kedge-etcd-watch-retry-"));
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicLong knownFloor = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param endpoints etcd client URLs such as {@code http://10.0.0.1:2379}
     * @param keyPrefix prepended to every key in etcd; null or "" for none. End it with
     *                  {@code /} when several prefixes share a cluster: keys of {@code /kedge2}
     *                  would otherwise fall inside {@code /kedge}'s full-range reads.
     */
    public EtcdKvStore(List<String> endpoints, String keyPrefix) {
        List<URI> uris = parseEndpoints(endpoints);
        String prefix = keyPrefix == null ? "" : keyPrefix;
        ClientBuilder builder = Client.builder().endpoints(uris);
        if (!prefix.isEmpty()) {
            builder.namespace(ByteSequence.from(prefix, StandardCharsets.UTF_8));
        }
        this.client = builder.build();
        this.kv = client.getKVClient();
        this.description = "etcd " + uris + (prefix.isEmpty() ? "" : " under " + prefix);
    }

    private static List<URI> parseEndpoints(List<String> endpoints) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("etcd needs at least one endpoint URL, e.g. http://127.0.0.1:2379");
        }
        List<URI> uris = new ArrayList<>();
        for (String endpoint : endpoints) {
            URI uri;
            try {
                uri = URI.create(endpoint == null ? "" : endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid etcd endpoint URL '" + endpoint + "': " + e.getMessage(), e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() < 0) {
                throw new IllegalArgumentException("invalid etcd endpoint URL '" + endpoint
                        + "': expected http://host:port or https://host:port");
            }
            uris.add(uri);
        }
        return uris;
    }

    @Override
    public long currentRevision() {
        ensureOpen();
        GetOption countOnly = GetOption.builder().withCountOnly(true).build();
        return call(kv.get(PROBE_KEY, countOnly), "read the current revision").getHeader().getRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        ByteSequence k = bytes(KeyBytes.key(key));
        ensureOpen();
        GetResponse response = call(kv.get(k), "get " + key);
        return response.getKvs().stream().findFirst().map(EtcdWatch::toKeyValue);
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit) {
        byte[] prefixBytes = KeyBytes.prefix(prefix);
        KeyBytes.checkLimit(limit);
        ensureOpen();
        byte[] start = KeyBytes.rangeStart(prefixBytes, startAfter);
        byte[] end = KeyBytes.prefixEnd(prefixBytes);
        GetOption option = GetOption.builder()
                .withRange(bytes(end == null ? new byte[] {0} : end))
                .withLimit(limit)
                .build();
        GetResponse response = call(kv.get(bytes(start.length == 0 ? new byte[] {0} : start), option), "list " + prefix);
        List<KeyValue> kvs = response.getKvs().stream().map(EtcdWatch::toKeyValue).toList();
        return new RangeResult(kvs, response.isMore(), response.getHeader().getRevision());
    }

    @Override
    public long create(String key, byte[] value) throws StoreException.KeyExists {
        ByteSequence k = bytes(KeyBytes.key(key));
        ByteSequence v = bytes(KeyBytes.value(value));
        ensureOpen();
        TxnResponse response = call(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, v, PutOption.DEFAULT))
                .commit(), "create " + key);
        if (!response.isSucceeded()) {
            throw new StoreException.KeyExists(key);
        }
        return response.getHeader().getRevision();
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision)
            throws StoreException.NotFound, StoreException.Conflict {
        ByteSequence k = bytes(KeyBytes.key(key));
        ByteSequence v = bytes(KeyBytes.value(value));
        KeyBytes.checkRevision("expectedModRevision", expectedModRevision);
        ensureOpen();
        TxnResponse response = call(kv.txn()
                .If(precondition(k, expectedModRevision))
                .Then(Op.put(k, v, PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), "update " + key);
        return revisionOrRejection(key, response);
    }

    @Override
    public long delete(String key, long expectedModRevision) throws StoreException.NotFound, StoreException.Conflict {
        ByteSequence k = bytes(KeyBytes.key(key));
        KeyBytes.checkRevision("expectedModRevision", expectedModRevision);
        ensureOpen();
        TxnResponse response = call(kv.txn()
                .If(precondition(k, expectedModRevision))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), "delete " + key);
        return revisionOrRejection(key, response);
    }

    private static Cmp precondition(ByteSequence key, long expectedModRevision) {
        return expectedModRevision == 0
                ? new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0))
                : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
    }

    private static long revisionOrRejection(String key, TxnResponse response)
            throws StoreException.NotFound, StoreException.Conflict {
        if (response.isSucceeded()) {
            return response.getHeader().getRevision();
        }
        List<io.etcd.jetcd.KeyValue> current = response.getGetResponses().get(0).getKvs();
        if (current.isEmpty()) {
            throw new StoreException.NotFound(key);
        }
        throw new StoreException.Conflict(key, current.get(0).getModRevision());
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
                       Consumer<Exception> onFailure) throws StoreException.Compacted {
        byte[] prefixBytes = KeyBytes.prefix(prefix);
        KeyBytes.checkRevision("afterRevision", afterRevision);
        if (listener == null || onFailure == null) {
            throw new IllegalArgumentException("a watch needs a listener and a failure handler");
        }
        ensureOpen();
        // etcd reports a compacted start revision asynchronously; check it now so callers can relist at once.
        if (!readable(Math.max(afterRevision, 1))) {
            throw new StoreException.Compacted(afterRevision, compactedRevision());
        }
        EtcdWatch[] self = new EtcdWatch[1];
        self[0] = new EtcdWatch(client.getWatchClient(), prefixBytes, afterRevision, listener, onFailure,
                delivery, retries, () -> watches.remove(self[0]));
        watches.add(self[0]);
        self[0].start();
        return self[0];
    }

    @Override
    public void compact(long revision) {
        KeyBytes.checkRevision("compaction revision", revision);
        ensureOpen();
        if (revision == 0) {
            return;
        }
        try {
            call(kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()),
                    "compact at revision " + revision);
        } catch (StoreException.StoreUnavailable e) {
            if (isCompactedError(e)) {
                return;
            }
            if (isFutureRevisionError(e)) {
                throw new IllegalArgumentException("cannot compact at revision " + revision
                        + ": it is newer than the newest revision", e);
            }
            throw e;
        }
        knownFloor.accumulateAndGet(revision, Math::max);
    }

    /**
     * etcd does not report its compaction floor directly; it is the oldest revision that can
     * still be read, found by binary search from the last floor seen (floors only grow).
     */
    @Override
    public long compactedRevision() {
        ensureOpen();
        long low = Math.max(knownFloor.get(), 1);
        long high = Math.max(currentRevision(), low);
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (readable(mid)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        long floor = low == 1 ? 0 : low;
        knownFloor.accumulateAndGet(floor, Math::max);
        return floor;
    }

    /** Whether the store can still be read as of {@code revision} (future revisions count). */
    private boolean readable(long revision) {
        try {
            call(kv.get(PROBE_KEY, GetOption.builder().withRevision(revision).withCountOnly(true).build()),
                    "read at revision " + revision);
            return true;
        } catch (StoreException.StoreUnavailable e) {
            if (isCompactedError(e)) {
                return false;
            }
            if (isFutureRevisionError(e)) {
                return true;
            }
            throw e;
        }
    }

    private static boolean isCompactedError(StoreException.StoreUnavailable e) {
        return e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("required revision has been compacted");
    }

    private static boolean isFutureRevisionError(StoreException.StoreUnavailable e) {
        return e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("required revision is a future revision");
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List.copyOf(watches).forEach(EtcdWatch::close);
        client.close();
        retries.shutdownNow();
        delivery.shutdown();
    }

    private <T> T call(CompletableFuture<T> request, String what) {
        try {
            return request.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new StoreException.StoreUnavailable(description + ": could not " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            request.cancel(true);
            throw new StoreException.StoreUnavailable(description + ": could not " + what + " within "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel(true);
            throw new StoreException.StoreUnavailable("interrupted while waiting to " + what
                    + "; a write may still be applied", e);
        }
    }

    private static ByteSequence bytes(byte[] bytes) {
        return ByteSequence.from(bytes);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the store (" + description + ") is closed");
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
