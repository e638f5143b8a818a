package io.kedge.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogReaderTest {
    @TempDir
    Path dir;

    private static final String LOG = String.join("\n",
            "2026-11-27T05:00:01Z stdout F one",
            "2026-11-27T05:00:02Z stdout P tw",
            "2026-11-27T05:00:02.5Z stdout F o",
            "2026-11-27T05:00:03Z stderr F three",
            "") ;

    private String read(LogOptions options) throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, LOG);
        StringBuilder out = new StringBuilder();
        new ContainerLogReader(new ContainerLog(file, () -> false), options).copyTo(t -> {
            out.append(t);
            return true;
        });
        return out.toString();
    }

    private static LogOptions plain() {
        return new LogOptions(false, null, false, null, null, false);
    }

    @Test
    void printsMessagesOnlyAndJoinsPartialLines() throws Exception {
        assertThat(read(plain())).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void tailLinesKeepsTheLastLogicalLines() throws Exception {
        assertThat(read(new LogOptions(false, 2, false, null, null, false))).isEqualTo("two\nthree\n");
        assertThat(read(new LogOptions(false, 0, false, null, null, false))).isEmpty();
    }

    @Test
    void timestampsPrefixEachLineWithTheTimeOfItsFirstPart() throws Exception {
        assertThat(read(new LogOptions(false, 1, true, null, null, false))).isEqualTo("2026-11-27T05:00:03Z three\n");
        assertThat(read(new LogOptions(false, 2, true, null, null, false)))
                .startsWith("2026-11-27T05:00:02Z two\n");
    }

    @Test
    void sinceDropsOlderLines() throws Exception {
        assertThat(read(new LogOptions(false, null, false, Instant.parse("2026-11-27T05:00:02.7Z"), null, false)))
                .isEqualTo("three\n");
    }

    @Test
    void limitBytesCutsTheOutput() throws Exception {
        assertThat(read(new LogOptions(false, null, false, null, 6L, false))).isEqualTo("one\ntw");
    }

    @Test
    void aMissingFileGivesNoOutput() throws Exception {
        StringBuilder out = new StringBuilder();
        new ContainerLogReader(new ContainerLog(dir.resolve("none.log"), () -> false), plain()).copyTo(t -> {
            out.append(t);
            return true;
        });
        assertThat(out).isEmpty();
    }

    @Test
    void followPrintsLinesWrittenLaterAndEndsWhenTheContainerStops() throws Exception {
        Path file = dir.resolve("1.log");
        Files.writeString(file, "2026-11-27T05:00:01Z stdout F first\n");
        AtomicBoolean running = new AtomicBoolean(true);
        StringBuilder out = new StringBuilder();
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(300);
                Files.writeString(file, "2026-11-27T05:00:05Z stdout F second\n", StandardOpenOption.APPEND);
                Thread.sleep(300);
                running.set(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        new ContainerLogReader(new ContainerLog(file, running::get), new LogOptions(true, null, false, null, null, false))
                .copyTo(t -> {
                    synchronized (out) {
                        out.append(t);
                    }
                    return true;
                });
        writer.join();
        assertThat(out.toString()).isEqualTo("first\nsecond\n");
    }
}
