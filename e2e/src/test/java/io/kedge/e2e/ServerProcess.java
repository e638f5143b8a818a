package io.kedge.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code kedge server} in its own JVM, started from the built CLI the way the launcher
 * starts it, so that tests can kill it with SIGKILL and start it again on the same data.
 */
public final class ServerProcess implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;
    private int logOffset;

    public ServerProcess(Path dataDir, List<String> extraArgs) throws IOException {
        this(dataDir, freePort(), extraArgs);
    }

    public ServerProcess(Path dataDir, int port, List<String> extraArgs) {
        this.dataDir = dataDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    public static Path root() {
        return Path.of(System.getProperty("kedge.root", "..")).toAbsolutePath().normalize();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public ServerProcess start() throws IOException, InterruptedException {
        return launch().awaitReady();
    }

    /** Starts the process without waiting for it, so that several servers can start side by side. */
    public ServerProcess launch() throws IOException {
        Path cli = root().resolve("cli/target");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", cli.resolve("kedge-cli.jar") + ":" + cli.resolve("lib") + "/*",
                "io.kedge.cli.Main", "server", "--data-dir", dataDir.toString(),
                "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(port)));
        cmd.addAll(extraArgs);
        Files.createDirectories(dataDir);
        logOffset = log().length();
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile())).start();
        return this;
    }

    /** Waits until a {@link #launch launched} server serves the API. */
    public ServerProcess awaitReady() throws IOException, InterruptedException {
        waitReady(Duration.ofSeconds(90));
        return this;
    }

    private void waitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kedge server exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(kubeconfig()) && log().substring(logOffset).contains("serving the Kubernetes API")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("kedge server did not become ready in " + timeout + ":\n" + log());
    }

    public String log() throws IOException {
        Path f = dataDir.resolve("server.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** What the server wrote since it was last started, so that a restarted server's old lines do not count. */
    public String logSinceStart() throws IOException {
        String all = log();
        return all.length() >= logOffset ? all.substring(logOffset) : all;
    }

    /**
     * Waits until the log written since the last start has a line matching {@code line}, and returns the
     * pattern's first group (or the whole match when it has no group).
     */
    public String awaitLog(Pattern line, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = line.matcher(logSinceStart());
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line matching /" + line + "/ in " + timeout + " in the log of "
                        + dataDir + ":\n" + logSinceStart());
            }
            Thread.sleep(200);
        }
    }

    public Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** SIGKILL, as a crash or an OOM kill would end it. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
