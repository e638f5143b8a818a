package io.kedge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing process with SIGKILL and checks that every write it acknowledged is on disk. */
class SqliteCrashTest {
    private static final int ACKS_BEFORE_KILL = 1500;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyAcknowledgedWriteSurvivesKillNineAndRevisionsContinueAboveThem() throws Exception {
        Path db = dir.resolve("crash.db");
        Path childErrors = dir.resolve("child.err");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SqliteCrashWriter.class.getName(), db.toString())
                .redirectError(childErrors.toFile())
                .start();
        Map<String, Long> acked = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                record(acked, line);
            }
            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe.
            assertThat(child.toHandle().destroyForcibly()).isTrue();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            // Acks printed before the kill may still sit in the pipe; they count too.
            while ((line = out.readLine()) != null) {
                record(acked, line);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked.size())
                .as("acknowledged writes before the kill; child stderr:\n%s", Files.readString(childErrors))
                .isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (SqliteKvStore store = SqliteKvStore.open(db)) {
            for (Map.Entry<String, Long> ack : acked.entrySet()) {
                KeyValue kv = store.get(ack.getKey()).orElse(null);
                assertThat(kv).as("acknowledged key %s", ack.getKey()).isNotNull();
                assertThat(kv.modRevision()).as("revision of %s", ack.getKey()).isEqualTo(ack.getValue());
            }
            long newestAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(store.currentRevision()).isGreaterThanOrEqualTo(newestAcked);
            assertThat(store.create("/after-crash", new byte[0])).isGreaterThan(newestAcked);
        }
    }

    private static void record(Map<String, Long> acked, String line) {
        String[] parts = line.split(" ");
        if (parts.length == 4 && parts[0].equals("ack") && parts[3].equals("ok")) {
            acked.put(parts[1], Long.parseLong(parts[2]));
        }
    }
}
