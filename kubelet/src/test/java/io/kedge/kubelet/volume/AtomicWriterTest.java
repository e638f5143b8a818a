package io.kedge.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.kubelet.ContainerConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
    @TempDir
    Path dir;

    private static FileContent text(String s, int mode) {
        return new FileContent(s.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void filesAreReachedThroughDataLinkIntoOneTimestampedVersion() throws Exception {
        assertThat(AtomicWriter.write(dir, Map.of("a", text("1", 0644), "sub/b", text("2", 0600)))).isTrue();
        Path version = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));
        assertThat(version.getFileName().toString()).matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\..+");
        assertThat(Files.readSymbolicLink(dir.resolve("a"))).isEqualTo(Path.of("..data/a"));
        assertThat(Files.readSymbolicLink(dir.resolve("sub"))).isEqualTo(Path.of("..data/sub"));
        assertThat(Files.readString(dir.resolve("sub/b"))).isEqualTo("2");
        assertThat(Modes.mode(Files.getPosixFilePermissions(dir.resolve("sub/b")))).isEqualTo(0600);
    }

    @Test
    void anUpdateSwapsTheVersionRemovesDroppedNamesAndDeletesTheOldVersion() throws Exception {
        AtomicWriter.write(dir, Map.of("a", text("1", 0644), "gone", text("x", 0644)));
        Path first = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));
        assertThat(AtomicWriter.write(dir, Map.of("a", text("2", 0644), "new", text("y", 0644)))).isTrue();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
        assertThat(Files.readString(dir.resolve("new"))).isEqualTo("y");
        assertThat(dir.resolve("gone")).doesNotExist();
        assertThat(first).doesNotExist();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..") && !n.equals("..data")))
                    .hasSize(1);
        }
    }

    @Test
    void theSamePayloadWritesNothing() throws Exception {
        AtomicWriter.write(dir, Map.of("a", text("1", 0644)));
        Path version = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(AtomicWriter.write(dir, Map.of("a", text("1", 0644)))).isFalse();
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(version);
        assertThat(AtomicWriter.write(dir, Map.of("a", text("1", 0600)))).as("a mode change is a change").isTrue();
    }

    @Test
    void pathsThatLeaveTheVolumeOrCollideWithTheWritersNamesAreRefused() {
        assertThatThrownBy(() -> AtomicWriter.write(dir, Map.of("../escape", text("x", 0644))))
                .isInstanceOf(ContainerConfigException.class).hasMessageContaining("must not start with '..'");
        assertThatThrownBy(() -> AtomicWriter.write(dir, Map.of("a/../../b", text("x", 0644))))
                .hasMessageContaining("'..' elements");
        assertThatThrownBy(() -> AtomicWriter.write(dir, Map.of("/etc/passwd", text("x", 0644))))
                .hasMessageContaining("must be relative");
    }
}
