package io.kedge.kubelet.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kedge.kubelet.cri.CriException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.PodSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real containerd with its CRI plugin, alone in a fresh network namespace, for tests: its own
 * root, state, socket, CNI config (a bridge with host-local IPAM on a test pod CIDR) and the
 * busybox and pause images the test bed builds. {@link #close()} leaves nothing behind: no
 * sandboxes, processes, mounts, namespace or files.
 *
 * <p>Needs root, containerd, runc, the CNI plugins in /usr/lib/cni and busybox-static; without
 * them {@link #start()} aborts the test (a JUnit assumption) and says what is missing.
 */
public final class ContainerdFixture implements AutoCloseable {
    public static final String BUSYBOX = "kedge.local/busybox:stable";
    public static final String PAUSE = "kedge.local/pause:3";
    private static final Path CNI_BIN = Paths.get("/usr/lib/cni");
    private static final Path BUSYBOX_STATIC = Paths.get("/bin/busybox");

    private static Path builtImages;

    private final String netns;
    private final Path dir;
    private final Path socket;
    private final Path config;
    private final String podCidr;
    private Process containerd;
    private CriRuntime runtime;

    private ContainerdFixture(String netns, Path dir, String podCidr) {
        this.netns = netns;
        this.dir = dir;
        this.socket = dir.resolve("containerd.sock");
        this.config = dir.resolve("config.toml");
        this.podCidr = podCidr;
    }

    /** Starts containerd in a new network namespace with the test images imported, or aborts the test when it cannot. */
    public static ContainerdFixture start() throws Exception {
        assumeTrue(isRoot(), "containerd tests need root (network namespaces, mounts, cgroups); skipped as uid != 0");
        for (String tool : List.of("containerd", "ctr", "runc", "ip", "nsenter")) {
            assumeTrue(onPath(tool), "containerd tests need '" + tool + "' on PATH; install Debian's containerd, runc, "
                    + "iproute2 and util-linux (.ci/install-tools.sh does)");
        }
        assumeTrue(Files.isExecutable(CNI_BIN.resolve("bridge")) && Files.isExecutable(CNI_BIN.resolve("host-local")),
                "containerd tests need the CNI plugins in " + CNI_BIN + " (Debian's containernetworking-plugins)");
        assumeTrue(Files.isExecutable(BUSYBOX_STATIC), "containerd tests build their images from " + BUSYBOX_STATIC
                + " (Debian's busybox-static)");

        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        Path dir = Files.createTempDirectory("kedge-kt-" + suffix + "-");
        String cidr = "10.244." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24";
        ContainerdFixture fixture = new ContainerdFixture("kedge-kt-" + suffix, dir, cidr);
        try {
            fixture.setUp();
            return fixture;
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
    }

    private void setUp() throws Exception {
        run("ip", "netns", "add", netns);
        run("ip", "-n", netns, "link", "set", "lo", "up");
        Files.createDirectories(cniConfDir());
        Files.writeString(config, containerdConfig());
        Files.writeString(cniConfDir().resolve("10-kedge-test.conflist"), cniConfig());
        startContainerd();
        Path images = images();
        for (String archive : List.of("pause.tar", "busybox.tar")) {
            run("ctr", "-a", socket.toString(), "-n", "k8s.io", "images", "import", images.resolve(archive).toString());
        }
    }

    /** The CRI socket. */
    public Path socket() {
        return socket;
    }

    /** The network namespace containerd (and so CNI) runs in. */
    public String netns() {
        return netns;
    }

    /** A scratch directory that {@link #close()} removes; use it as the kubelet's data dir. */
    public Path dir() {
        return dir;
    }

    public String podCidr() {
        return podCidr;
    }

    public Path containerdLog() {
        return dir.resolve("containerd.log");
    }

    /** A CRI client on this containerd, closed with the fixture. */
    public synchronized CriRuntime runtime() {
        if (runtime == null) {
            runtime = CriRuntime.connect(socket, Duration.ofSeconds(60));
        }
        return runtime;
    }

    /** Kills containerd (its shims and containers keep running) and starts it again on the same state. */
    public void restartContainerd() throws Exception {
        stopContainerd();
        startContainerd();
    }

    /** Kills containerd, leaving it down; its shims and containers keep running. */
    public void stopContainerd() throws InterruptedException {
        if (containerd != null && containerd.isAlive()) {
            containerd.destroyForcibly();
            containerd.waitFor(30, TimeUnit.SECONDS);
        }
        containerd = null;
    }

    public void startContainerd() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("nsenter", "--net=/var/run/netns/" + netns, "containerd", "--config",
                config.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(containerdLog().toFile()));
        containerd = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (CriRuntime probe = CriRuntime.connect(socket, Duration.ofSeconds(5))) {
            while (true) {
                if (!containerd.isAlive()) {
                    throw new IllegalStateException("containerd exited with " + containerd.exitValue() + " at start; its log:\n"
                            + tail(containerdLog()));
                }
                try {
                    if (Files.exists(socket) && probe.status().getStatus().getConditionsCount() > 0) {
                        return;
                    }
                } catch (CriException notYet) {
                    // still starting
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("containerd did not answer on " + socket + " within 60s; its log:\n"
                            + tail(containerdLog()));
                }
                Thread.sleep(100);
            }
        }
    }

    private Path cniConfDir() {
        return dir.resolve("cni");
    }

    private String containerdConfig() {
        String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                [grpc]
                  address = "%2$s"
                [%3$s]
                  sandbox_image = "%4$s"
                  disable_apparmor = true
                  # without CAP_SYS_RESOURCE (as in a docker container) runc cannot lower oom_score_adj below
                  # containerd's own; this clamps the sandbox's -998 instead of failing every sandbox
                  restrict_oom_score_adj = true
                  enable_selinux = false
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  [%3$s.cni]
                    bin_dir = "%5$s"
                    conf_dir = "%6$s"
                  [%3$s.containerd]
                    default_runtime_name = "runc"
                    [%3$s.containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                """.formatted(dir, socket, cri, PAUSE, CNI_BIN, cniConfDir());
    }

    private String cniConfig() {
        return """
                {"cniVersion": "0.4.0", "name": "kedge-test", "plugins": [
                  {"type": "bridge", "bridge": "kedge0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "dataDir": "%s"}},
                  {"type": "portmap", "capabilities": {"portMappings": true}}
                ]}
                """.formatted(podCidr, dir.resolve("ipam"));
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        step(problems, "removing sandboxes", () -> {
            if (containerd != null && containerd.isAlive()) {
                removeAllSandboxes();
            }
        });
        step(problems, "closing the CRI client", () -> {
            if (runtime != null) {
                runtime.close();
            }
        });
        step(problems, "stopping containerd", this::stopContainerd);
        step(problems, "killing shims", this::killLeftoverShims);
        step(problems, "unmounting", () -> unmountUnder(dir));
        step(problems, "deleting netns " + netns, () -> {
            if (Files.exists(Paths.get("/var/run/netns", netns))) {
                run("ip", "netns", "delete", netns);
            }
        });
        step(problems, "keeping the log", this::keepLog);
        step(problems, "deleting " + dir, () -> deleteTree(dir));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("containerd fixture " + netns + " left things behind: " + problems);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Each tear-down step runs whatever the earlier ones did, so one failure cannot leak the rest. */
    private static void step(List<String> problems, String what, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            problems.add(what + ": " + e);
        }
    }

    /** containerd's log outlives the fixture in target/containerd-logs, for reading after a failed run. */
    private void keepLog() throws IOException {
        Path target = Paths.get("target", "containerd-logs");
        if (Files.isDirectory(target.getParent()) && Files.exists(containerdLog())) {
            Files.createDirectories(target);
            Files.copy(containerdLog(), target.resolve(netns + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Stopping sandboxes through CRI releases their IPs, netns mounts under /var/run/netns, shims and cgroups. */
    private void removeAllSandboxes() {
        try (CriRuntime cri = CriRuntime.connect(socket, Duration.ofSeconds(60))) {
            for (PodSandbox sandbox : cri.listPodSandboxes(Map.of())) {
                cri.stopPodSandbox(sandbox.getId());
                cri.removePodSandbox(sandbox.getId());
            }
        }
    }

    /** Shims that outlive containerd (a test killed it, or a sandbox could not be removed) name its socket. */
    private void killLeftoverShims() {
        String marker = socket.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> commandLine(p.pid()).contains(marker))
                .forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static void unmountUnder(Path dir) throws IOException, InterruptedException {
        String prefix = dir.toAbsolutePath().toString() + "/";
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4].replace("\\040", " ");
            if (mountPoint.startsWith(prefix)) {
                mounts.add(mountPoint);
            }
        }
        mounts.sort(Comparator.comparing(String::length).reversed());
        for (String mountPoint : mounts) {
            run("umount", "-l", mountPoint);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Builds the images once per JVM with the test bed's own script. */
    private static synchronized Path images() throws Exception {
        if (builtImages == null) {
            Path script = findImagesScript();
            Path out = Files.createTempDirectory("kedge-kt-images-");
            run(script.toString(), "build", out.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    deleteTree(out);
                } catch (IOException e) {
                    System.err.println("could not delete test images in " + out + ": " + e);
                }
            }));
            builtImages = out;
        }
        return builtImages;
    }

    private static Path findImagesScript() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("e2e/testbed/images.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("e2e/testbed/images.sh not found above " + Paths.get("").toAbsolutePath());
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : path.split(":")) {
            if (Files.isExecutable(Paths.get(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Paths.get("/usr/sbin", tool)) || Files.isExecutable(Paths.get("/sbin", tool));
    }

    /** Runs a command to completion; a non-zero exit becomes an exception with its output. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 5 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
