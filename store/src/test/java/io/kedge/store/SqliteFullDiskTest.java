package io.kedge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real, small filesystem (a tmpfs) that fills up. */
class SqliteFullDiskTest {
    @TempDir
    Path dir;

    private Path mounted;
    private KvStore store;

    @AfterEach
    void cleanUp() throws Exception {
        if (store != null) {
            store.close();
        }
        if (mounted != null) {
            run("umount", "-l", mounted.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    /** Writes {@code filler} until the filesystem has no room left. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Test
    void writesOnAFullDiskFailAsUnavailableWithoutLosingAcknowledgedOnesAndWorkAgainOnceThereIsRoom() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", disk.toString()) == 0, "mounting a tmpfs needs root");
        mounted = disk;
        store = SqliteKvStore.open(disk.resolve("data").resolve("store.db"));
        byte[] value = "v".repeat(8192).getBytes(StandardCharsets.UTF_8);
        store.create("/registry/configmaps/default/before", value);

        Path filler = disk.resolve("filler");
        fill(filler);
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
        store = SqliteKvStore.open(disk.resolve("data").resolve("store.db"));
        assertThat(store.range("/registry/configmaps/default/", "", 1000).kvs()).as("every acknowledged write, after a reopen")
                .hasSize(acknowledged + 2);
        assertThatThrownBy(() -> store.create("/registry/configmaps/default/after", value))
                .isInstanceOf(StoreException.KeyExists.class);
    }
}
