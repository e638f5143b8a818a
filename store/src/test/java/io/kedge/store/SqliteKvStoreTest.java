package io.kedge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteKvStoreTest extends KvStoreConformanceTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data").resolve("store.db");
    }

    @Override
    protected KvStore openStore() {
        return SqliteKvStore.open(file());
    }

    @Override
    protected KvStore reopenStore() {
        store.close();
        return SqliteKvStore.open(file());
    }

    @Test
    void secondOpenOfTheSameFileIsRefusedUntilTheFirstCloses() {
        assertThatThrownBy(() -> SqliteKvStore.open(file()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open");

        store.close();
        try (SqliteKvStore again = SqliteKvStore.open(file())) {
            assertThat(again.currentRevision()).isZero();
        }
    }

    @Test
    void unopenablePathFailsWithThePathInTheMessage() throws Exception {
        Path notADirectory = dir.resolve("plain-file");
        java.nio.file.Files.writeString(notADirectory, "x");

        assertThatThrownBy(() -> SqliteKvStore.open(notADirectory.resolve("store.db")))
                .isInstanceOf(StoreException.StoreUnavailable.class)
                .hasMessageContaining(notADirectory.toString());
    }

    @Test
    void slowWatcherThatOverflowsItsQueueRereadsTheLogAndMissesNothing() throws Exception {
        store.close();
        store = SqliteKvStore.open(file(), 4);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventRecorder recorder = new EventRecorder();
        HubWatch watch = (HubWatch) store.watch("/slow/", store.currentRevision(), e -> {
            recorder.accept(e);
            entered.countDown();
            awaitQuietly(release);
        }, recorder.failureHandler());
        while (!watch.isLive()) {
            Thread.sleep(5);
        }

        List<Long> revisions = new ArrayList<>();
        revisions.add(store.create("/slow/0", bytes("v")));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 30; i++) {
            revisions.add(store.create("/slow/" + i, bytes("v")));
        }
        assertThat(watch.fallbacks()).isPositive();
        release.countDown();

        assertThat(recorder.await(31)).extracting(WatchEvent::revision).containsExactlyElementsOf(revisions);
    }

    @Test
    void watchOnAClosedStoreIsRefused() {
        store.close();

        assertThatThrownBy(() -> store.watch("/", 0, e -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
