package io.kedge.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link KvStore} backend must show. Each backend's test class extends
 * this and supplies a fresh, empty store per test and a way to reopen it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class KvStoreConformanceTest {
    protected KvStore store;

    /** A new store that no other test sees. */
    protected abstract KvStore openStore() throws Exception;

    /** The same data as {@link #openStore()}'s, through a new store object; the old one is closed. */
    protected abstract KvStore reopenStore() throws Exception;

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    // ---- create / get / update / delete

    @Test
    void createdKeyReadsBackWithItsRevisionAsCreateAndModRevision() throws Exception {
        long revision = store.create("/a/one", bytes("v1"));

        KeyValue kv = store.get("/a/one").orElseThrow();
        assertThat(kv.key()).isEqualTo("/a/one");
        assertThat(text(kv.value())).isEqualTo("v1");
        assertThat(kv.createRevision()).isEqualTo(revision);
        assertThat(kv.modRevision()).isEqualTo(revision);
        assertThat(store.currentRevision()).isGreaterThanOrEqualTo(revision);
    }

    @Test
    void getOfMissingKeyIsEmpty() {
        assertThat(store.get("/missing")).isEmpty();
    }

    @Test
    void createOfExistingKeyThrowsKeyExists() throws Exception {
        store.create("/a/one", bytes("v1"));

        assertThatThrownBy(() -> store.create("/a/one", bytes("v2")))
                .isInstanceOf(StoreException.KeyExists.class)
                .hasMessageContaining("/a/one");
        assertThat(text(store.get("/a/one").orElseThrow().value())).isEqualTo("v1");
    }

    @Test
    void updateWithCurrentModRevisionReplacesValueAndKeepsCreateRevision() throws Exception {
        long created = store.create("/a/one", bytes("v1"));

        long updated = store.update("/a/one", bytes("v2"), created);

        assertThat(updated).isGreaterThan(created);
        KeyValue kv = store.get("/a/one").orElseThrow();
        assertThat(text(kv.value())).isEqualTo("v2");
        assertThat(kv.createRevision()).isEqualTo(created);
        assertThat(kv.modRevision()).isEqualTo(updated);
    }

    @Test
    void updateWithStaleModRevisionThrowsConflictCarryingTheActualRevision() throws Exception {
        long created = store.create("/a/one", bytes("v1"));
        long updated = store.update("/a/one", bytes("v2"), created);

        assertThatThrownBy(() -> store.update("/a/one", bytes("v3"), created))
                .isInstanceOfSatisfying(StoreException.Conflict.class,
                        e -> assertThat(e.actualModRevision()).isEqualTo(updated));
        assertThat(text(store.get("/a/one").orElseThrow().value())).isEqualTo("v2");
    }

    @Test
    void unconditionalUpdateReplacesWhateverIsThere() throws Exception {
        long created = store.create("/a/one", bytes("v1"));
        store.update("/a/one", bytes("v2"), created);

        long revision = store.update("/a/one", bytes("v3"), 0);

        assertThat(store.get("/a/one").orElseThrow().modRevision()).isEqualTo(revision);
        assertThat(text(store.get("/a/one").orElseThrow().value())).isEqualTo("v3");
    }

    @Test
    void updateOfMissingKeyThrowsNotFoundWithOrWithoutPrecondition() {
        assertThatThrownBy(() -> store.update("/missing", bytes("v"), 0))
                .isInstanceOf(StoreException.NotFound.class).hasMessageContaining("/missing");
        assertThatThrownBy(() -> store.update("/missing", bytes("v"), 5))
                .isInstanceOf(StoreException.NotFound.class);
        assertThat(store.get("/missing")).isEmpty();
    }

    @Test
    void deleteRemovesKeyAtANewRevision() throws Exception {
        long created = store.create("/a/one", bytes("v1"));

        long deleted = store.delete("/a/one", created);

        assertThat(deleted).isGreaterThan(created);
        assertThat(store.get("/a/one")).isEmpty();
        assertThat(store.currentRevision()).isGreaterThanOrEqualTo(deleted);
    }

    @Test
    void deleteWithStaleModRevisionThrowsConflictAndKeepsKey() throws Exception {
        long created = store.create("/a/one", bytes("v1"));
        long updated = store.update("/a/one", bytes("v2"), created);

        assertThatThrownBy(() -> store.delete("/a/one", created))
                .isInstanceOfSatisfying(StoreException.Conflict.class,
                        e -> assertThat(e.actualModRevision()).isEqualTo(updated));
        assertThat(store.get("/a/one")).isPresent();
    }

    @Test
    void deleteOfMissingKeyThrowsNotFound() {
        assertThatThrownBy(() -> store.delete("/missing", 0)).isInstanceOf(StoreException.NotFound.class);
        assertThatThrownBy(() -> store.delete("/missing", 3)).isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void rejectedPreconditionsDoNotConsumeRevisions() throws Exception {
        long created = store.create("/a/one", bytes("v1"));
        assertThatThrownBy(() -> store.create("/a/one", bytes("v2"))).isInstanceOf(StoreException.KeyExists.class);

        assertThat(store.currentRevision()).isEqualTo(created);
    }

    @Test
    void badInputIsRejectedWithASpecificMessage() {
        assertThatThrownBy(() -> store.create(null, bytes("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store.create("", bytes("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store.create("/k", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value");
        assertThatThrownBy(() -> store.update("/k", bytes("v"), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedModRevision");
        assertThatThrownBy(() -> store.get(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store.range(null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> store.range("/", null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.watch("/", -1, e -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("afterRevision");
        assertThatThrownBy(() -> store.watch(null, 0, e -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    }

    // ---- range

    @Test
    void rangeReturnsOnlyKeysUnderThePrefixInKeyOrder() throws Exception {
        for (String key : List.of("/a/b/2", "/a/bc/1", "/a/b/1", "/a/a", "/b/1", "/a/b/3")) {
            store.create(key, bytes(key));
        }

        RangeResult slashPrefix = store.range("/a/b/", null, 0);
        RangeResult plainPrefix = store.range("/a/b", null, 0);

        assertThat(keys(slashPrefix)).containsExactly("/a/b/1", "/a/b/2", "/a/b/3");
        assertThat(slashPrefix.more()).isFalse();
        assertThat(text(slashPrefix.kvs().get(0).value())).isEqualTo("/a/b/1");
        assertThat(keys(plainPrefix)).containsExactly("/a/b/1", "/a/b/2", "/a/b/3", "/a/bc/1");
    }

    @Test
    void rangeWithEmptyPrefixReturnsEveryKeyOfThisStore() throws Exception {
        store.create("/x", bytes("1"));
        store.create("/y/z", bytes("2"));

        assertThat(keys(store.range("", null, 0))).containsExactly("/x", "/y/z");
    }

    @Test
    void rangePagesWithStartAfterAndLimitAndReportsMore() throws Exception {
        for (int i = 1; i <= 5; i++) {
            store.create("/p/" + i, bytes("v" + i));
        }

        RangeResult first = store.range("/p/", null, 2);
        RangeResult second = store.range("/p/", last(first), 2);
        RangeResult third = store.range("/p/", last(second), 2);

        assertThat(keys(first)).containsExactly("/p/1", "/p/2");
        assertThat(first.more()).isTrue();
        assertThat(keys(second)).containsExactly("/p/3", "/p/4");
        assertThat(second.more()).isTrue();
        assertThat(keys(third)).containsExactly("/p/5");
        assertThat(third.more()).isFalse();
        assertThat(store.range("/p/", "/p/5", 2).kvs()).isEmpty();
        assertThat(store.range("/p/", null, 5).more()).isFalse();
    }

    @Test
    void rangeRevisionCoversTheNewestWrite() throws Exception {
        store.create("/r/1", bytes("1"));
        long newest = store.create("/r/2", bytes("2"));

        assertThat(store.range("/r/", null, 0).revision()).isGreaterThanOrEqualTo(newest);
        assertThat(store.range("/nothing/", null, 0).revision()).isGreaterThanOrEqualTo(newest);
    }

    // ---- revisions

    @Test
    void revisionsStrictlyIncreaseAndAreNeverReusedAfterDelete() throws Exception {
        long r1 = store.create("/k", bytes("1"));
        long r2 = store.update("/k", bytes("2"), r1);
        long r3 = store.delete("/k", r2);
        long r4 = store.create("/k", bytes("3"));

        assertThat(List.of(r1, r2, r3, r4)).isSorted().doesNotHaveDuplicates();
        assertThat(store.get("/k").orElseThrow().createRevision()).isEqualTo(r4);
    }

    @Test
    void concurrentWritersAllGetDistinctRevisions() throws Exception {
        int threads = 8;
        int perThread = 40;
        EventRecorder recorder = new EventRecorder();
        store.watch("/c/", store.currentRevision(), recorder, recorder.failureHandler());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<Long>> writer = () -> {
                    List<Long> revisions = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        revisions.add(store.create("/c/" + thread + "/" + i, bytes("v")));
                    }
                    return revisions;
                };
                results.add(pool.submit(writer));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> result : results) {
                all.addAll(result.get());
            }

            assertThat(all).hasSize(threads * perThread);
            assertThat(store.range("/c/", null, 0).kvs()).hasSize(threads * perThread);
            List<Long> watched = recorder.await(threads * perThread).stream().map(WatchEvent::revision).toList();
            assertThat(watched).isSorted().doesNotHaveDuplicates();
            assertThat(new HashSet<>(watched)).isEqualTo(all);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void revisionsKeepGrowingAfterReopen() throws Exception {
        long created = store.create("/k/1", bytes("1"));
        long deleted = store.delete("/k/1", created);
        store.compact(deleted);

        store = reopenStore();

        assertThat(store.currentRevision()).isGreaterThanOrEqualTo(deleted);
        long next = store.create("/k/2", bytes("2"));
        assertThat(next).isGreaterThan(deleted);
        assertThat(store.get("/k/1")).isEmpty();
        assertThat(store.get("/k/2")).isPresent();
    }

    @Test
    void dataSurvivesReopen() throws Exception {
        long created = store.create("/k/1", bytes("1"));
        long updated = store.update("/k/1", bytes("2"), created);

        store = reopenStore();

        KeyValue kv = store.get("/k/1").orElseThrow();
        assertThat(text(kv.value())).isEqualTo("2");
        assertThat(kv.createRevision()).isEqualTo(created);
        assertThat(kv.modRevision()).isEqualTo(updated);
    }

    // ---- watch

    @Test
    void watchReplaysHistoryThenDeliversLiveChangesInRevisionOrder() throws Exception {
        long start = store.currentRevision();
        long a1 = store.create("/w/a", bytes("a1"));
        long a2 = store.update("/w/a", bytes("a2"), a1);
        long b1 = store.create("/w/b", bytes("b1"));
        long a3 = store.delete("/w/a", a2);
        EventRecorder recorder = new EventRecorder();

        store.watch("/w/", start, recorder, recorder.failureHandler());
        List<WatchEvent> history = recorder.await(4);
        long b2 = store.update("/w/b", bytes("b2"), b1);
        long c1 = store.create("/w/c", bytes("c1"));
        List<WatchEvent> all = recorder.await(6);

        assertThat(history).extracting(WatchEvent::revision).containsExactly(a1, a2, b1, a3);
        assertThat(all).extracting(WatchEvent::revision).containsExactly(a1, a2, b1, a3, b2, c1);
        assertThat(all).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.PUT,
                WatchEvent.Type.PUT, WatchEvent.Type.DELETE, WatchEvent.Type.PUT, WatchEvent.Type.PUT);
        assertThat(all).extracting(e -> e.kv().key()).containsExactly("/w/a", "/w/a", "/w/b", "/w/a", "/w/b", "/w/c");
        assertThat(text(all.get(4).kv().value())).isEqualTo("b2");
        assertThat(recorder.failures()).isEmpty();
    }

    @Test
    void watchStartsAfterTheGivenRevision() throws Exception {
        long r1 = store.create("/w/a", bytes("1"));
        long r2 = store.create("/w/b", bytes("2"));
        EventRecorder recorder = new EventRecorder();

        store.watch("/w/", r1, recorder, recorder.failureHandler());
        long r3 = store.create("/w/c", bytes("3"));

        assertThat(recorder.await(2)).extracting(WatchEvent::revision).containsExactly(r2, r3);
    }

    @Test
    void watchWhileWritesAreInFlightSeesEachChangeExactlyOnce() throws Exception {
        int writes = 200;
        long start = store.currentRevision();
        List<Long> revisions = Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < writes; i++) {
                    revisions.add(store.create("/f/" + i, bytes("v")));
                }
            } catch (StoreException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        EventRecorder recorder = new EventRecorder();
        // Start the watch part-way through the writes: history and live delivery must meet exactly.
        while (revisions.size() < writes / 4 && writer.isAlive()) {
            Thread.onSpinWait();
        }
        store.watch("/f/", start, recorder, recorder.failureHandler());
        writer.join();

        assertThat(recorder.await(writes)).extracting(WatchEvent::revision).containsExactlyElementsOf(revisions);
    }

    @Test
    void watchCarriesPrevKvOnUpdateAndDeleteInHistoryAndLive() throws Exception {
        long start = store.currentRevision();
        EventRecorder live = new EventRecorder();
        store.watch("/pv/", start, live, live.failureHandler());
        long created = store.create("/pv/k", bytes("v1"));
        long updated = store.update("/pv/k", bytes("v2"), created);
        long deleted = store.delete("/pv/k", updated);
        EventRecorder replay = new EventRecorder();
        store.watch("/pv/", start, replay, replay.failureHandler());

        for (List<WatchEvent> events : List.of(live.await(3), replay.await(3))) {
            assertThat(events.get(0).prevKv()).isNull();
            assertThat(events.get(0).kv().createRevision()).isEqualTo(created);

            WatchEvent update = events.get(1);
            assertThat(update.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(text(update.kv().value())).isEqualTo("v2");
            assertThat(update.kv().createRevision()).isEqualTo(created);
            assertThat(text(update.prevKv().value())).isEqualTo("v1");
            assertThat(update.prevKv().modRevision()).isEqualTo(created);

            WatchEvent delete = events.get(2);
            assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
            assertThat(delete.kv().key()).isEqualTo("/pv/k");
            assertThat(delete.revision()).isEqualTo(deleted);
            assertThat(delete.prevKv().key()).isEqualTo("/pv/k");
            assertThat(text(delete.prevKv().value())).isEqualTo("v2");
            assertThat(delete.prevKv().modRevision()).isEqualTo(updated);
            assertThat(delete.prevKv().createRevision()).isEqualTo(created);
        }
    }

    @Test
    void watchPrefixEndingInSlashDoesNotMatchSiblingWithLongerName() throws Exception {
        long start = store.currentRevision();
        EventRecorder slash = new EventRecorder();
        EventRecorder plain = new EventRecorder();
        store.watch("/a/b/", start, slash, slash.failureHandler());
        store.watch("/a/b", start, plain, plain.failureHandler());

        store.create("/a/bc/x", bytes("1"));
        store.create("/a/b/x", bytes("2"));
        store.create("/a/b/z", bytes("3"));

        // Delivery is in revision order, so /a/bc/x would arrive before /a/b/z.
        assertThat(slash.await(2)).extracting(e -> e.kv().key()).containsExactly("/a/b/x", "/a/b/z");
        assertThat(plain.await(3)).extracting(e -> e.kv().key()).containsExactly("/a/bc/x", "/a/b/x", "/a/b/z");
    }

    @Test
    void closedWatchReceivesNoFurtherEvents() throws Exception {
        long start = store.currentRevision();
        EventRecorder closing = new EventRecorder();
        EventRecorder open = new EventRecorder();
        KvStore.Watch watch = store.watch("/cl/", start, closing, closing.failureHandler());
        store.watch("/cl/", start, open, open.failureHandler());
        store.create("/cl/1", bytes("1"));
        closing.await(1);

        watch.close();
        for (int i = 2; i <= 20; i++) {
            store.create("/cl/" + i, bytes("v"));
        }
        open.await(20);

        assertThat(closing.soFar()).hasSize(1);
        assertThat(closing.failures()).isEmpty();
    }

    @Test
    void listenerThatThrowsEndsTheWatchAndIsReported() throws Exception {
        IllegalStateException boom = new IllegalStateException("listener broke");
        EventRecorder recorder = new EventRecorder();
        store.watch("/t/", store.currentRevision(), e -> {
            recorder.accept(e);
            throw boom;
        }, recorder.failureHandler());

        store.create("/t/1", bytes("1"));
        store.create("/t/2", bytes("2"));

        assertThat(recorder.awaitFailure()).isSameAs(boom);
        assertThat(recorder.soFar()).extracting(e -> e.kv().key()).containsExactly("/t/1");
    }

    // ---- compaction

    @Test
    void watchFromCompactedRevisionThrowsCompacted() throws Exception {
        long r1 = store.create("/cp/a", bytes("1"));
        long r2 = store.update("/cp/a", bytes("2"), r1);
        long r3 = store.create("/cp/b", bytes("3"));

        store.compact(r2);

        assertThat(store.compactedRevision()).isGreaterThanOrEqualTo(r2);
        assertThatThrownBy(() -> store.watch("/cp/", r1, e -> {}))
                .isInstanceOfSatisfying(StoreException.Compacted.class,
                        e -> assertThat(e.compactedRevision()).isGreaterThanOrEqualTo(r2));
        EventRecorder recorder = new EventRecorder();
        store.watch("/cp/", r2, recorder, recorder.failureHandler());
        assertThat(recorder.await(1)).extracting(WatchEvent::revision).containsExactly(r3);
    }

    @Test
    void compactionKeepsCurrentValuesAndThePrevKvOfLaterChanges() throws Exception {
        long a1 = store.create("/cv/a", bytes("a1"));
        long a2 = store.update("/cv/a", bytes("a2"), a1);
        long b1 = store.create("/cv/b", bytes("b1"));
        long b2 = store.delete("/cv/b", b1);

        store.compact(b2);
        long a3 = store.update("/cv/a", bytes("a3"), a2);

        assertThat(keys(store.range("/cv/", null, 0))).containsExactly("/cv/a");
        EventRecorder recorder = new EventRecorder();
        store.watch("/cv/", b2, recorder, recorder.failureHandler());
        WatchEvent update = recorder.await(1).get(0);
        assertThat(update.revision()).isEqualTo(a3);
        assertThat(text(update.prevKv().value())).isEqualTo("a2");
        assertThat(update.prevKv().modRevision()).isEqualTo(a2);
        assertThat(update.kv().createRevision()).isEqualTo(a1);
    }

    @Test
    void compactingAgainAtOrBelowTheFloorChangesNothing() throws Exception {
        long r1 = store.create("/cf/a", bytes("1"));
        long r2 = store.update("/cf/a", bytes("2"), r1);
        store.compact(r2);

        store.compact(r1);
        store.compact(r2);

        assertThat(store.compactedRevision()).isGreaterThanOrEqualTo(r2);
        assertThat(text(store.get("/cf/a").orElseThrow().value())).isEqualTo("2");
    }

    @Test
    void compactingBeyondTheNewestRevisionIsRejected() throws Exception {
        store.create("/cb/a", bytes("1"));
        long beyond = store.currentRevision() + 1000;

        assertThatThrownBy(() -> store.compact(beyond))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(beyond));
    }

    @Test
    void closedStoreRefusesCalls() {
        store.close();

        assertThatThrownBy(() -> store.create("/k", bytes("v")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.get("/k"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    static List<String> keys(RangeResult result) {
        return result.kvs().stream().map(KeyValue::key).collect(Collectors.toList());
    }

    private static String last(RangeResult result) {
        return result.kvs().get(result.kvs().size() - 1).key();
    }
}
