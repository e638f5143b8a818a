package io.kedge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite against a real etcd; each test gets its own key prefix. */
class EtcdKvStoreTest extends KvStoreConformanceTest {
    private static final AtomicInteger TESTS = new AtomicInteger();

    @TempDir
    static Path etcdDir;
    private static EtcdProcess etcd;

    private String keyPrefix;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdProcess.start(etcdDir);
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected KvStore openStore() {
        // Each prefix ends in '/', so no test's keys fall under another's prefix.
        keyPrefix = "/conformance-" + TESTS.incrementAndGet() + "/";
        return new EtcdKvStore(List.of(etcd.endpoint()), keyPrefix);
    }

    @Override
    protected KvStore reopenStore() {
        store.close();
        return new EtcdKvStore(List.of(etcd.endpoint()), keyPrefix);
    }

    @Test
    void keysAreStoredUnderTheKeyPrefix() throws Exception {
        store.create("/registry/x", bytes("1"));

        try (EtcdKvStore unprefixed = new EtcdKvStore(List.of(etcd.endpoint()), "")) {
            assertThat(unprefixed.get(keyPrefix + "/registry/x")).isPresent();
        }
    }

    @Test
    void watchResumesAfterEtcdRestartWithoutGapOrDuplicate() throws Exception {
        EventRecorder recorder = new EventRecorder();
        store.watch("/rs/", store.currentRevision(), recorder, recorder.failureHandler());
        List<Long> revisions = new ArrayList<>();
        revisions.add(store.create("/rs/1", bytes("1")));
        revisions.add(store.create("/rs/2", bytes("2")));
        recorder.await(2);

        etcd.restart();
        revisions.add(createRetrying("/rs/3"));
        revisions.add(store.create("/rs/4", bytes("4")));

        assertThat(recorder.await(4)).extracting(WatchEvent::revision).containsExactlyElementsOf(revisions);
        assertThat(recorder.failures()).isEmpty();
    }

    @Test
    void compactionReportedByAnOpenStreamEndsTheWatchWithCompacted() throws Exception {
        long r1 = store.create("/cs/a", bytes("1"));
        long r2 = store.update("/cs/a", bytes("2"), r1);
        long r3 = store.update("/cs/a", bytes("3"), r2);
        store.compact(r3);
        EventRecorder recorder = new EventRecorder();
        ExecutorService pool = Executors.newCachedThreadPool();
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            // Bypasses the store's up-front check, as a stream reconnecting after compaction would.
            EtcdWatch watch = new EtcdWatch(client.getWatchClient(), bytes(keyPrefix + "/cs/"), r1, recorder,
                    recorder.failureHandler(), pool, retries, () -> {});
            watch.start();

            assertThat(recorder.awaitFailure()).isInstanceOfSatisfying(StoreException.Compacted.class,
                    e -> assertThat(e.compactedRevision()).isEqualTo(r3));
            watch.close();
        } finally {
            pool.shutdownNow();
            retries.shutdownNow();
        }
    }

    @Test
    void malformedEndpointsAreRejectedWithTheOffendingUrl() {
        assertThatThrownBy(() -> new EtcdKvStore(List.of("127.0.0.1:2379"), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1:2379");
        assertThatThrownBy(() -> new EtcdKvStore(List.of(), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
    }

    /** The client may need a moment to reconnect after the restart. */
    private long createRetrying(String key) throws Exception {
        StoreException.StoreUnavailable last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return store.create(key, bytes("v"));
            } catch (StoreException.StoreUnavailable e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw last;
    }
}
