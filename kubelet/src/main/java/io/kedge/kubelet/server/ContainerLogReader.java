package io.kedge.kubelet.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns a CRI log file into what {@code kubectl logs} prints: messages only (or with their
 * timestamps), partial lines joined, filtered by since, tail and limit, and followed while the
 * container runs. Blocking: it runs on its own thread, one per request.
 */
public final class ContainerLogReader {
    /** Where the text goes; false means the reader went away. */
    public interface Sink {
        boolean write(String text) throws IOException;
    }

    private static final long FOLLOW_POLL_MILLIS = 200;

    private final ContainerLog log;
    private final LogOptions options;
    private long bytesLeft;

    public ContainerLogReader(ContainerLog log, LogOptions options) {
        this.log = log;
        this.options = options;
        this.bytesLeft = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
    }

    public void copyTo(Sink sink) throws IOException, InterruptedException {
        if (!Files.exists(log.file())) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.file().toFile(), "r")) {
            LineAssembler lines = new LineAssembler();
            Deque<String> tail = new ArrayDeque<>();
            int keep = options.tailLines() == null ? -1 : options.tailLines();
            readAvailable(file, lines, text -> {
                if (keep < 0) {
                    return emit(sink, text);
                }
                if (keep > 0) {
                    tail.addLast(text);
                    if (tail.size() > keep) {
                        tail.removeFirst();
                    }
                }
                return true;
            });
            for (String text : tail) {
                if (!emit(sink, text)) {
                    return;
                }
            }
            while (options.follow() && bytesLeft > 0) {
                boolean wasRunning = log.running().getAsBoolean();
                long before = file.getFilePointer();
                if (!readAvailable(file, lines, text -> emit(sink, text))) {
                    return;
                }
                if (file.getFilePointer() == before) {
                    if (!wasRunning) {
                        return;
                    }
                    Thread.sleep(FOLLOW_POLL_MILLIS);
                    if (!sink.write("")) {
                        return;
                    }
                }
            }
        }
    }

    private interface Consumer {
        boolean accept(String text) throws IOException;
    }

    /** Reads the complete lines now in the file; a line still being written is left for later. */
    private boolean readAvailable(RandomAccessFile file, LineAssembler lines, Consumer out) throws IOException {
        long start = file.getFilePointer();
        long length = file.length();
        if (length < start) {
            file.seek(0);
            start = 0;
        }
        if (length == start) {
            return true;
        }
        byte[] bytes = new byte[(int) Math.min(length - start, 8 * 1024 * 1024)];
        file.readFully(bytes);
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String raw = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
                lineStart = i + 1;
                String text = lines.add(raw);
                if (text != null && !out.accept(text)) {
                    return false;
                }
            }
        }
        file.seek(start + lineStart);
        return true;
    }

    private boolean emit(Sink sink, String text) throws IOException {
        if (bytesLeft <= 0) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > bytesLeft) {
            text = new String(bytes, 0, (int) bytesLeft, StandardCharsets.UTF_8);
            bytesLeft = 0;
        } else {
            bytesLeft -= bytes.length;
        }
        return sink.write(text);
    }

    /** Joins partial segments into one logical line, and applies since and timestamps. */
    private final class LineAssembler {
        private final StringBuilder pending = new StringBuilder();
        private String pendingTimestamp;

        String add(String raw) {
            CriLogLine line = CriLogLine.parse(raw).orElse(null);
            if (line == null) {
                return null;
            }
            if (options.since() != null && line.time().isBefore(options.since())) {
                return null;
            }
            if (pendingTimestamp == null) {
                pendingTimestamp = line.timestampText();
            }
            pending.append(line.message());
            if (line.partial()) {
                return null;
            }
            String text = (options.timestamps() ? pendingTimestamp + " " : "") + pending + "\n";
            pending.setLength(0);
            pendingTimestamp = null;
            return text;
        }
    }
}
