package io.kedge.store;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A single-member etcd from the machine's {@code etcd} binary, on free loopback ports. */
final class EtcdProcess implements AutoCloseable {
    private static final long START_SECONDS = 60;

    private final Path binary;
    private final Path dataDir;
    private final Path logFile;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdProcess(Path binary, Path workDir) throws IOException {
        this.binary = binary;
        this.dataDir = workDir.resolve("etcd-data");
        this.logFile = workDir.resolve("etcd.log");
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    /** Starts etcd with its data under {@code workDir}; fails if the binary is not installed. */
    static EtcdProcess start(Path workDir) throws Exception {
        EtcdProcess etcd = new EtcdProcess(findBinary(), workDir);
        etcd.launch();
        return etcd;
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** Stops etcd (as a crash would) and starts it again on the same ports and data. */
    void restart() throws Exception {
        stop();
        launch();
    }

    private void launch() throws Exception {
        String peer = "http://127.0.0.1:" + peerPort;
        ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                "--name", "kedge-test",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "kedge-test=" + peer)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; its log:\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("etcd did not become healthy in " + START_SECONDS + " s; its log:\n" + logTail());
            }
            Thread.sleep(100);
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(endpoint() + "/health").openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path findBinary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                Path candidate = Path.of(entry, "etcd");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("the etcd binary is not on PATH; the etcd store tests need it. "
                + "Run .ci/install-tools.sh (it installs Debian's etcd-server package).");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
