package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessagesTest {
    @TempDir
    Path dir;

    @Test
    void theMessageIsWhatTheContainerWroteToItsTerminationMessagePath() throws Exception {
        Path file = Files.writeString(dir.resolve("msg"), "done here");
        ContainerStatus c = ContainerStatus.newBuilder()
                .putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_PATH, "/dev/termination-log")
                .addMounts(Mount.newBuilder().setContainerPath("/dev/termination-log").setHostPath(file.toString()))
                .setExitCode(1).build();

        assertThat(TerminationMessages.of(c)).isEqualTo("done here");
    }

    @Test
    void fallbackToLogsOnErrorTakesTheLogTailWhenTheFileIsEmpty() throws Exception {
        Path file = Files.writeString(dir.resolve("msg"), "");
        Path log = Files.writeString(dir.resolve("0.log"), """
                2026-01-01T00:00:00.000000000Z stdout F starting
                2026-01-01T00:00:01.000000000Z stderr P half a
                2026-01-01T00:00:01.000000001Z stderr F  line
                """);
        ContainerStatus c = ContainerStatus.newBuilder()
                .putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_PATH, "/dev/termination-log")
                .putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_POLICY, "FallbackToLogsOnError")
                .addMounts(Mount.newBuilder().setContainerPath("/dev/termination-log").setHostPath(file.toString()))
                .setLogPath(log.toString())
                .setExitCode(2).build();

        assertThat(TerminationMessages.of(c)).isEqualTo("starting\nhalf a line");
        assertThat(TerminationMessages.of(c.toBuilder().setExitCode(0).build())).isEmpty();
    }

    @Test
    void theLogTailKeepsTheLastEightyLines() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            log.append("2026-01-01T00:00:00Z stdout F l").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("1.log"), log);

        String tail = TerminationMessages.logTail(file);

        assertThat(tail.split("\n")).hasSize(80).startsWith("l20").endsWith("l99");
    }
}
