package io.kedge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.kedge.store.testing.SmallDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real, small filesystem (a tmpfs) that fills up. */
class SqliteFullDiskTest {
    @TempDir
    Path dir;

    private SmallDisk disk;
    private KvStore store;

    @AfterEach
    void cleanUp() throws Exception {
        if (store != null) {
            store.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void writesOnAFullDiskFailAsUnavailableWithoutLosingAcknowledgedOnesAndWorkAgainOnceThereIsRoom() throws Exception {
        disk = SmallDisk.mount(dir.resolve("disk"), "6m");
        Path file = disk.root().resolve("data").resolve("store.db");
        store = SqliteKvStore.open(file);
        byte[] value = "v".repeat(8192).getBytes(StandardCharsets.UTF_8);
        store.create("/registry/configmaps/default/before", value);

        Path filler = disk.fill();
        int acknowledged = 0;
        RuntimeException refused = null;
        for (int i = 0; i < 500 && refused == null; i++) {
            try {
                store.create("/registry/configmaps/default/cm-" + i, value);
                acknowledged++;
            } catch (StoreException.StoreUnavailable e) {
                refused = e;
            }
        }

        assertThat(refused).as("a write the disk has no room for fails").isNotNull();
        assertThat(refused.getMessage()).contains("full");
        assertThat(store.get("/registry/configmaps/default/before")).as("reads still work").isPresent();
        assertThat(store.range("/registry/configmaps/default/", "", 1000).kvs()).hasSize(acknowledged + 1);

        Files.delete(filler);
        long revision = store.create("/registry/configmaps/default/after", value);
        assertThat(store.get("/registry/configmaps/default/after")).isPresent();
        assertThat(revision).isEqualTo(store.currentRevision());

        store.close();
        store = SqliteKvStore.open(file);
        assertThat(store.range("/registry/configmaps/default/", "", 1000).kvs()).as("every acknowledged write, after a reopen")
                .hasSize(acknowledged + 2);
        assertThatThrownBy(() -> store.create("/registry/configmaps/default/after", value))
                .isInstanceOf(StoreException.KeyExists.class);
    }
}
