package io.kedge.e2e.testbed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The test bed of e2e/testbed, driven from tests: a {@code cloud} network namespace with the
 * registry (and, with {@link #upCluster}, the kedge server and agents), one namespace per edge
 * node with its own containerd, a bridge per unit and one uplink per unit. Every operation runs
 * the same scripts a user runs ({@code bed.sh}, {@code cluster.sh} behind {@code ./kedge up}).
 *
 * <p>Network namespace names are global, so there is one bed per machine; {@link #close()} tears
 * it down and leaves nothing behind.
 */
public final class TestBed implements AutoCloseable {
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(1);
    private static final Path RUN_DIR = Path.of("/run/kedge-testbed");
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    /** The root namespace's veth into the cloud. */
    public static final String HOST_LINK = "kedge-cloud";
    public static final String CLOUD = "cloud";

    private final Path dataDir;
    private final boolean cluster;
    private final Map<String, String> info = new LinkedHashMap<>();
    private final List<String> units = new ArrayList<>();
    private final Map<String, String[]> nodes = new LinkedHashMap<>();
    private boolean down;

    private TestBed(Path dataDir, boolean cluster) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.cluster = cluster;
    }

    /** The repository root (the {@code kedge.root} property Maven sets). */
    public static Path root() {
        return Path.of(System.getProperty("kedge.root", "..")).toAbsolutePath().normalize();
    }

    public static Path scripts() {
        return root().resolve("e2e/testbed");
    }

    /** Aborts the calling test (a JUnit assumption) when this machine cannot run a bed now, and says why. */
    public static void assumeRunnable() throws IOException, InterruptedException {
        assumeTrue(isRoot(), "the test bed needs root (network namespaces, veths, mounts, containerd); skipped as uid != 0");
        for (String tool : List.of("ip", "nsenter", "containerd", "ctr", "runc", "docker-registry", "curl", "iptables", "busybox",
                "perl")) {
            assumeTrue(Shell.onPath(tool), "the test bed needs '" + tool + "' on PATH; .ci/install-tools.sh or ./kedge up installs it");
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "the test bed needs the CNI plugins in /usr/lib/cni (Debian's containernetworking-plugins)");
        assumeTrue(Shell.run(STEP_TIMEOUT, "unshare", "--net", "true").succeeded(),
                "this machine does not allow network namespaces (no CONFIG_NET_NS, or a container without CAP_SYS_ADMIN)");
        Path owner = RUN_DIR.resolve("data-dir");
        if (Files.exists(owner) && Files.exists(NETNS_DIR.resolve(CLOUD))) {
            String other = Files.readString(owner).trim();
            assumeTrue(other.startsWith(root().resolve("e2e/target").toString()), "a kedge test bed from " + other
                    + " is up (./kedge up?) and there is one per machine; stop it with ./kedge down to run this test");
        }
    }

    /** The bed alone: namespaces, links, registry with the images, a containerd per node. */
    public static TestBed up(Path dataDir, String units) throws IOException, InterruptedException {
        TestBed bed = new TestBed(dataDir, false);
        bed.start(units, List.of(scripts().resolve("bed.sh").toString(), "up", "--data-dir", bed.dataDir.toString(),
                "--units", units));
        return bed;
    }

    /**
     * What {@code ./kedge up} starts, from the jar Maven built: the bed, the server in {@code cloud}
     * and, when the build has {@code kedge agent}, one supervised agent per node.
     */
    public static TestBed upCluster(Path dataDir, String units) throws IOException, InterruptedException {
        return upCluster(dataDir, units, 0);
    }

    /** A cluster with {@code cloudNodes} nodes of the cloud's own (unit {@code central}, type Cloud) beside the sites. */
    public static TestBed upCluster(Path dataDir, String units, int cloudNodes) throws IOException, InterruptedException {
        return upCluster(dataDir, units, cloudNodes, List.of());
    }

    /**
     * A cluster with more options of {@code ./kedge up}: {@code --join token} has the agents join with a
     * bootstrap token, {@code --server-arg FLAG} passes a flag to {@code kedge server}.
     */
    public static TestBed upCluster(Path dataDir, String units, int cloudNodes, List<String> upOptions)
            throws IOException, InterruptedException {
        Path jar = root().resolve("cli/target/kedge-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -o -q -B -DskipTests -pl cli -am install)");
        }
        TestBed bed = new TestBed(dataDir, true);
        List<String> command = new ArrayList<>(List.of(scripts().resolve("cluster.sh").toString(), "up", "--no-install",
                "--data-dir", bed.dataDir.toString(), "--units", units, "--cloud-nodes", String.valueOf(cloudNodes)));
        command.addAll(upOptions);
        bed.start(units, command);
        return bed;
    }

    private void start(String units, List<String> command) throws IOException, InterruptedException {
        if (!units.matches("[a-z][-a-z0-9]*:\\d+(,[a-z][-a-z0-9]*:\\d+)*")) {
            throw new IllegalArgumentException("units '" + units
                    + "' are not UNIT:COUNT[,UNIT:COUNT...] with lowercase unit names, e.g. east:2,west:1");
        }
        if (Files.isDirectory(dataDir.resolve("run"))) {
            bed("down").ok();   // what a crashed earlier run of this test left
        }
        Shell.Result result = Shell.run(UP_TIMEOUT, Map.of("KEDGE_SKIP_BUILD", "1"), command);
        if (!result.succeeded()) {
            String failure = result.describe();
            Shell.run(UP_TIMEOUT, List.of(scripts().resolve("bed.sh").toString(), "down", "--data-dir", dataDir.toString()));
            throw new IllegalStateException("the test bed did not come up (torn down again): " + failure);
        }
        readInfo();
    }

    private void readInfo() throws IOException, InterruptedException {
        for (String line : bed("info").ok().out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "unit" -> units.add(value.split(" ")[0]);
                case "node" -> {
                    String[] parts = value.split(" ");
                    nodes.put(parts[0], parts);
                }
                default -> info.put(key, value);
            }
        }
    }

    private Shell.Result bed(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(scripts().resolve("bed.sh").toString());
        command.addAll(List.of(args));
        if (args[0].equals("down")) {
            command.addAll(List.of("--data-dir", dataDir.toString()));
        }
        return Shell.run(args[0].equals("down") ? UP_TIMEOUT : STEP_TIMEOUT, command);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** host:port of the bed's registry, reachable from every node and the root namespace (plain HTTP). */
    public String registry() {
        return info.get("registry");
    }

    /** The busybox image in the bed's registry. */
    public String busyboxImage() {
        return registry() + "/busybox:stable";
    }

    public String serverUrl() {
        return info.get("server");
    }

    public List<String> units() {
        return List.copyOf(units);
    }

    public List<String> nodes() {
        return List.copyOf(nodes.keySet());
    }

    public String nodeIp(String node) {
        return node(node)[1];
    }

    public Path containerdSocket(String node) {
        return Path.of(node(node)[2]);
    }

    /** Where the node's containerd reads its CNI configuration (the agent writes it there). */
    public Path cniConfDir(String node) {
        return Path.of(node(node)[3]);
    }

    /** The pid of the node's containerd. */
    public long containerdPid(String node) throws IOException {
        return Long.parseLong(Files.readString(dataDir.resolve("run/containerd-" + node(node)[0] + ".pid")).trim());
    }

    /** The admin kubeconfig, usable from the root namespace; only for a bed from {@link #upCluster}. */
    public Path kubeconfig() {
        if (!cluster) {
            throw new IllegalStateException("this bed runs no server: start it with TestBed.upCluster");
        }
        return dataDir.resolve("admin.kubeconfig");
    }

    /** The pid of a supervised process ("server", "agent-NODE") as its supervisor last started it. */
    public long supervisedPid(String name) throws IOException {
        Path file = dataDir.resolve("run").resolve(name + ".pid");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no supervised process '" + name + "' in " + dataDir.resolve("run"));
        }
        return Long.parseLong(Files.readString(file).trim());
    }

    public Path log(String name) {
        return dataDir.resolve("logs").resolve(name + ".log");
    }

    private String[] node(String name) {
        String[] n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("'" + name + "' is not a node of the test bed; nodes: " + nodes.keySet());
        }
        return n;
    }

    private String target(String name) {
        if (!units.contains(name) && !nodes.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is neither a unit nor a node of the test bed; units: " + units
                    + ", nodes: " + nodes.keySet());
        }
        return name;
    }

    // ---- faults

    /** Takes a unit's uplink, or one node's link, down: a partition. */
    public void cut(String unitOrNode) throws IOException, InterruptedException {
        bed("cut", target(unitOrNode)).ok();
    }

    /** Cuts one node off the cloud while it keeps its unit LAN: a lost uplink, not a dead node. {@link #restore} heals it. */
    public void cutUplink(String node) throws IOException, InterruptedException {
        bed("cut-uplink", node(node)[0]).ok();
    }

    public void restore(String unitOrNode) throws IOException, InterruptedException {
        bed("restore", target(unitOrNode)).ok();
    }

    /** Drops this share of packets both ways on the link (netem when the kernel has it, else iptables). */
    public void loss(String unitOrNode, double percent) throws IOException, InterruptedException {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("loss must be above 0% and at most 100%, not " + percent + "%");
        }
        bed("netem", target(unitOrNode), "loss", String.format(Locale.ROOT, "%.2f%%", percent).replace(".00%", "%")).ok();
    }

    /** Delays packets both ways on the link; needs the kernel's netem qdisc (the error says so when it is missing). */
    public void delay(String unitOrNode, Duration delay) throws IOException, InterruptedException {
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay must be positive, not " + delay);
        }
        bed("netem", target(unitOrNode), "delay", delay.toMillis() + "ms").ok();
    }

    /** Removes delay and loss from the link (a cut stays cut). */
    public void clearFaults(String unitOrNode) throws IOException, InterruptedException {
        bed("clear", target(unitOrNode)).ok();
    }

    // ---- nodes

    /**
     * Runs a command in a node's network namespace (or {@code cloud}), as a process on that machine
     * would: with the machine's own home directory in this bed, so that what a tool keeps there
     * (kubectl's discovery cache) is not shared with other beds or the runner.
     */
    public Shell.Result nodeExec(String node, String... command) throws IOException, InterruptedException {
        if (!node.equals(CLOUD)) {
            node(node);
        }
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + NETNS_DIR.resolve(node), "--"));
        full.addAll(List.of(command));
        Path home = Files.createDirectories(dataDir.resolve("homes").resolve(node));
        return Shell.run(STEP_TIMEOUT, java.util.Map.of("HOME", home.toString()), full);
    }

    public void stopContainerd(String node) throws IOException, InterruptedException {
        bed("containerd-stop", node(node)[0]).ok();
    }

    public void startContainerd(String node) throws IOException, InterruptedException {
        bed("containerd-start", node(node)[0]).ok();
    }

    /** A power cycle of a node: its containers, containerd and agent killed, then containerd started; the agent's supervisor starts it. */
    public void reboot(String node) throws IOException, InterruptedException {
        bed("reboot", node(node)[0]).ok();
    }

    /** Routes a node's pod CIDR from its unit's router and peers, for traffic between pods of a unit. */
    public void podRoute(String node, String cidr) throws IOException, InterruptedException {
        bed("pod-route", node(node)[0], cidr).ok();
    }

    // ---- tear-down

    /** Tears the bed down; idempotent. */
    public void down() throws IOException, InterruptedException {
        if (!down) {
            bed("down").ok();
            down = true;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        down();
    }

    /** What is left of this bed (empty after a clean {@link #down()}): namespaces, links, processes, mounts, run state. */
    public List<String> remnants() throws IOException, InterruptedException {
        List<String> left = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(CLOUD));
        units.forEach(u -> names.add(u + "-gw"));
        names.addAll(nodes.keySet());
        for (String ns : names) {
            if (Files.exists(NETNS_DIR.resolve(ns))) {
                left.add("network namespace " + ns);
            }
        }
        if (Shell.run(STEP_TIMEOUT, "ip", "link", "show", HOST_LINK).succeeded()) {
            left.add("link " + HOST_LINK + " in the root namespace");
        }
        String marker = dataDir.toString() + "/";
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            String cmd = commandLine(p.pid());
            if (cmd.contains(marker)) {
                left.add("process " + p.pid() + ": " + cmd);
            }
        });
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4].replace("\\040", " ");
            if (mountPoint.startsWith(marker)) {
                left.add("mount " + mountPoint);
            }
        }
        for (String table : List.of("filter", "nat", "mangle", "raw")) {
            for (String rule : Shell.run(STEP_TIMEOUT, "iptables", "-t", table, "-S").out().split("\n")) {
                if (rule.contains("kedge-testbed")) {
                    left.add("iptables rule in the root namespace: " + rule);
                }
            }
        }
        Path owner = RUN_DIR.resolve("data-dir");
        if (Files.exists(owner) && Files.readString(owner).trim().equals(dataDir.toString())) {
            left.add("run state " + RUN_DIR);
        }
        return left;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException gone) {
            return "";
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
