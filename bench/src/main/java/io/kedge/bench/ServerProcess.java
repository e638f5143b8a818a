package io.kedge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code kedge server} run as a child JVM, so its memory is its own and it can be restarted with
 * other heap settings on the same data directory.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern MAX_HEAP = Pattern.compile("MaxHeapSize=(\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final Process process;
    private final Path dataDir;
    private final String label;
    private final Duration startup;

    private ServerProcess(Process process, Path dataDir, String label, Duration startup) {
        this.process = process;
        this.dataDir = dataDir;
        this.label = label;
        this.startup = startup;
    }

    /**
     * Starts the server and waits until it answers {@code /readyz} with its admin credentials.
     *
     * @param classpath the CLI jar and its libraries, e.g. {@code cli/target/kedge-cli.jar:cli/target/lib/*}
     * @param heap {@code null} for the JVM's default maximum heap, else an {@code -Xmx} value such as {@code 1g}
     * @param serverArgs extra {@code kedge server} flags
     */
    static ServerProcess start(String classpath, Path dataDir, String heap, List<String> serverArgs, Path logFile,
                               Duration readyTimeout) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (heap != null) {
            cmd.add("-Xmx" + heap);
        }
        int port = freePort();
        cmd.addAll(List.of("-cp", classpath, "io.kedge.cli.Main", "server", "--data-dir", dataDir.toString(),
                "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(port)));
        cmd.addAll(serverArgs);
        String label = "server -Xmx" + (heap == null ? "(default)" : heap);
        Log.info("starting %s on port %d, data %s", label, port, dataDir);
        long t0 = System.nanoTime();
        Process p;
        try {
            Files.createDirectories(dataDir);
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
        }
        ServerProcess server = new ServerProcess(p, dataDir, label, Duration.ZERO);
        server.awaitReady(t0 + readyTimeout.toNanos(), logFile);
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        Log.info("%s ready after %.1f s (pid %d)", label, startup.toMillis() / 1000.0, p.pid());
        return new ServerProcess(p, dataDir, label, startup);
    }

    /** Whether this build's {@code kedge server} has the given flag (older builds lack newer flags). */
    static boolean serverHasFlag(String classpath, String flag) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "io.kedge.cli.Main", "server", "--help").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return help.contains(flag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kedge server --help", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kedge server --help", e);
        }
    }

    /** A port that was free a moment ago; the server binds it itself (its own port 0 is not usable yet). */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    private void awaitReady(long deadlineNanos, Path logFile) {
        Path kubeconfig = kubeconfig();
        while (System.nanoTime() < deadlineNanos) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + logFile);
            }
            if (Files.exists(kubeconfig) && readyz()) {
                return;
            }
            sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server was not ready in time; see " + logFile);
    }

    private boolean readyz() {
        try {
            ApiClient api = ApiClient.connect(kubeconfig(), 1);
            return api.get("/readyz").status() == 200;
        } catch (RuntimeException e) {
            return false; // not listening yet, or the kubeconfig is half-written
        }
    }

    Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    String label() {
        return label;
    }

    long pid() {
        return process.pid();
    }

    Duration startup() {
        return startup;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Resident set size now, in MiB. */
    double rssMiB() {
        return procStatusKiB("VmRSS") / 1024.0;
    }

    /** The highest resident set size the process ever had, in MiB. */
    double peakRssMiB() {
        return procStatusKiB("VmHWM") / 1024.0;
    }

    private long procStatusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc status of pid " + pid(), e);
        }
        throw new IllegalStateException("/proc/" + pid() + "/status has no " + field);
    }

    /**
     * Two full collections a second apart, then a pause, so RSS reflects live data plus what the JVM
     * keeps committed rather than garbage of the last request.
     */
    void settleGc() {
        jcmd("GC.run");
        sleep(1000);
        jcmd("GC.run");
        sleep(2000);
    }

    /** Java heap used and committed after the last collection, in MiB, as {@code jcmd GC.heap_info} reports it. */
    double[] heapUsedAndCommittedMiB() {
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {Long.parseLong(m.group(2)) / 1024.0, Long.parseLong(m.group(1)) / 1024.0};
    }

    /** The maximum heap the server's JVM chose or was given, in MiB. */
    double maxHeapMiB() {
        Matcher m = MAX_HEAP.matcher(jcmd("VM.flags"));
        return m.find() ? Long.parseLong(m.group(1)) / (1024.0 * 1024.0) : Double.NaN;
    }

    private String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd",
                    Long.toString(pid()), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run jcmd " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd " + command, e);
        }
    }

    /** SIGTERM, then SIGKILL if the server has not exited within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                Log.info("%s did not stop in 30 s after SIGTERM; killing it", label);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
