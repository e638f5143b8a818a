package io.kedge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRetentionTest {
    private static final Duration KEEP = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private SqliteKvStore store;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private HistoryRetention retention;

    @BeforeEach
    void open() {
        store = SqliteKvStore.open(dir.resolve("store.db"));
        retention = new HistoryRetention(store, KEEP, clock::get);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void compactsOnlyRevisionsSampledAtLeastTheRetentionAgo() throws Exception {
        store.create("/h/a", new byte[0]);
        long sampledFirst = store.create("/h/b", new byte[0]);
        retention.tick();
        long later = store.create("/h/c", new byte[0]);

        clock.addAndGet(KEEP.toNanos() - 1);
        retention.tick();
        assertThat(store.compactedRevision()).isZero();

        clock.addAndGet(1);
        retention.tick();
        assertThat(store.compactedRevision()).isEqualTo(sampledFirst);
        assertThatThrownBy(() -> store.watch("/h/", sampledFirst - 1, e -> {}))
                .isInstanceOf(StoreException.Compacted.class);
        EventRecorder recorder = new EventRecorder();
        store.watch("/h/", sampledFirst, recorder, recorder.failureHandler());
        assertThat(recorder.await(1)).extracting(WatchEvent::revision).containsExactly(later);
    }

    @Test
    void laterSamplesMoveTheFloorForward() throws Exception {
        store.create("/h/a", new byte[0]);
        retention.tick();
        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        long second = store.create("/h/b", new byte[0]);
        retention.tick();

        clock.addAndGet(KEEP.toNanos());
        retention.tick();

        assertThat(store.compactedRevision()).isEqualTo(second);
    }

    @Test
    void nonPositiveRetentionIsRejected() {
        assertThatThrownBy(() -> new HistoryRetention(store, Duration.ZERO, clock::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
