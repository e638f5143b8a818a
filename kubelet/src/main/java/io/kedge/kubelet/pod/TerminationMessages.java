package io.kedge.kubelet.pod;

import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The message of a terminated container: what it wrote to its terminationMessagePath, or with
 * {@code FallbackToLogsOnError} and a failure, the tail of its log. Upstream's limits apply: 4096
 * bytes of the file, and the last 80 lines or 2048 bytes of the log.
 */
final class TerminationMessages {
    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_LOG_LINES = 80;
    static final int MAX_LOG_BYTES = 2048;

    private TerminationMessages() {
    }

    static String of(ContainerStatus c) {
        String path = c.getAnnotationsMap().get(RuntimeLabels.TERMINATION_MESSAGE_PATH);
        String message = "";
        if (path != null) {
            for (Mount m : c.getMountsList()) {
                if (m.getContainerPath().equals(path)) {
                    message = readHead(Path.of(m.getHostPath()));
                    break;
                }
            }
        }
        boolean fallback = "FallbackToLogsOnError".equals(c.getAnnotationsMap().get(RuntimeLabels.TERMINATION_MESSAGE_POLICY));
        if (message.isEmpty() && fallback && c.getExitCode() != 0 && !c.getLogPath().isEmpty()) {
            message = logTail(Path.of(c.getLogPath()));
        }
        return message;
    }

    private static String readHead(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The content of the last lines of a CRI log file ({@code <time> <stream> <P|F> <content>} per line). */
    static String logTail(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
        Deque<String> tail = new ArrayDeque<>();
        StringBuilder partial = new StringBuilder();
        for (String line : lines) {
            String[] f = line.split(" ", 4);
            if (f.length < 3) {
                continue;
            }
            partial.append(f.length == 4 ? f[3] : "");
            if (f[2].equals("F")) {
                tail.addLast(partial.toString());
                partial.setLength(0);
                if (tail.size() > MAX_LOG_LINES) {
                    tail.removeFirst();
                }
            }
        }
        String text = String.join("\n", tail);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_LOG_BYTES) {
            return text;
        }
        return new String(bytes, bytes.length - MAX_LOG_BYTES, MAX_LOG_BYTES, StandardCharsets.UTF_8);
    }
}
