package io.kedge.store;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link SqliteCrashTest}: eight threads create keys as fast as they can
 * and print {@code ack <key> <revision> ok} after each create returns, until the process is
 * killed. The trailing {@code ok} lets the parent ignore a line cut short by the kill.
 */
public final class SqliteCrashWriter {
    static final int THREADS = 8;

    private SqliteCrashWriter() {}

    public static void main(String[] args) throws Exception {
        SqliteKvStore store = SqliteKvStore.open(Path.of(args[0]));
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        String key = "/crash/" + thread + "/" + i;
                        long revision = store.create(key, ("value " + i).getBytes(StandardCharsets.UTF_8));
                        byte[] line = ("ack " + key + " " + revision + " ok\n").getBytes(StandardCharsets.UTF_8);
                        synchronized (out) {
                            out.write(line);
                            out.flush();
                        }
                    }
                } catch (StoreException | IOException e) {
                    e.printStackTrace();
                    System.exit(2);
                }
            });
            writer.start();
        }
        Thread.currentThread().join();
    }
}
