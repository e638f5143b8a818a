package io.kedge.e2e.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.ContainerConfig;
import io.kedge.kubelet.cri.v1.ContainerMetadata;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.cri.v1.ImageSpec;
import io.kedge.kubelet.cri.v1.PodSandboxConfig;
import io.kedge.kubelet.cri.v1.PodSandboxMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test bed itself: namespaces, per-node containerd, the registry, partitions, supervision, and a clean tear-down. */
class TestBedTest {
    private static final String UNIT = "tb";

    @BeforeAll
    static void machineCanRunATestBed() throws Exception {
        TestBed.assumeRunnable();
    }

    private static Path dataDir() {
        return TestBed.root().resolve("e2e/target/testbed");
    }

    @Test
    void eachNodeRunsItsOwnContainerdInItsNamespaceThatPullsTheBusyboxImageThroughCri() throws Exception {
        TestBed bed = TestBed.up(dataDir(), UNIT + ":2");
        try {
            assertThat(bed.units()).containsExactly(UNIT);
            assertThat(bed.nodes()).containsExactly("tb-1", "tb-2");
            assertThat(Path.of("/var/run/netns", TestBed.CLOUD)).exists();
            assertThat(Path.of("/var/run/netns", "tb-gw")).exists();
            assertThat(Files.readString(bed.dataDir().resolve("registry")).trim()).isEqualTo(bed.registry());
            assertThat(bed.containerdSocket("tb-1")).isNotEqualTo(bed.containerdSocket("tb-2"));

            for (String node : bed.nodes()) {
                assertThat(Path.of("/var/run/netns", node)).exists();
                assertThat(netns(bed.containerdPid(node))).as("containerd of %s runs in the node's namespace", node)
                        .isEqualTo(netnsOf(node));
                Path socket = bed.containerdSocket(node);
                assertThat(Shell.run(Duration.ofSeconds(30), "ctr", "-a", socket.toString(), "version").ok().out())
                        .contains("Server:");
                // the node's namespace reaches the registry (ctr fetches in its own process)...
                bed.nodeExec(node, "ctr", "-a", socket.toString(), "images", "pull", "--plain-http", bed.busyboxImage()).ok();
                // ...and so does containerd's CRI plugin, through its hosts.toml for the plain-HTTP registry
                try (CriRuntime cri = CriRuntime.connect(socket)) {
                    assertThat(cri.imageStatus(bed.busyboxImage())).isEmpty();
                    cri.pullImage(bed.busyboxImage(), null, null);
                    assertThat(cri.imageStatus(bed.busyboxImage())).isPresent();
                    assertThat(cri.imageStatus(bed.registry() + "/pause:3")).as("the sandbox image is there from the start")
                            .isPresent();
                }
            }
        } finally {
            bed.down();
        }
        assertThat(bed.remnants()).isEmpty();
    }

    @Test
    void cuttingAnUplinkPartitionsTheUnitFromTheCloudButNotFromItselfUntilItIsRestored() throws Exception {
        try (TestBed bed = TestBed.up(dataDir(), UNIT + ":2")) {
            assertThat(reachesRegistry(bed, "tb-1")).isTrue();
            assertThat(reachesRegistry(bed, "tb-2")).isTrue();

            bed.cut(UNIT);
            assertThat(reachesRegistry(bed, "tb-1")).isFalse();
            assertThat(reachesRegistry(bed, "tb-2")).isFalse();
            assertThat(bed.nodeExec("tb-1", "busybox", "ping", "-c", "1", "-W", "2", bed.nodeIp("tb-2")).succeeded())
                    .as("the site LAN still works").isTrue();
            bed.restore(UNIT);
            assertThat(reachesRegistry(bed, "tb-1")).isTrue();
            assertThat(reachesRegistry(bed, "tb-2")).isTrue();

            bed.cut("tb-2");
            assertThat(reachesRegistry(bed, "tb-2")).isFalse();
            assertThat(reachesRegistry(bed, "tb-1")).isTrue();
            bed.restore("tb-2");
            assertThat(reachesRegistry(bed, "tb-2")).isTrue();

            bed.loss(UNIT, 100);
            assertThat(reachesRegistry(bed, "tb-1")).isFalse();
            bed.clearFaults(UNIT);
            assertThat(reachesRegistry(bed, "tb-1")).isTrue();
            bed.down();
            assertThat(bed.remnants()).isEmpty();
        }
    }

    @Test
    void downLeavesNothingOfARunningPodEvenAfterContainerdWasKilled() throws Exception {
        TestBed bed = TestBed.up(dataDir(), UNIT + ":1");
        String sandbox;
        String container;
        try {
            // what the agent will do: a bridge network for the node's pods, then a pod through CRI
            Files.writeString(bed.cniConfDir("tb-1").resolve("10-testbed.conflist"), """
                    {"cniVersion": "0.4.0", "name": "testbed", "plugins": [
                      {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true,
                       "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.42.1.0/24"}]], "dataDir": "%s"}},
                      {"type": "portmap", "capabilities": {"portMappings": true}}
                    ]}
                    """.formatted(bed.dataDir().resolve("nodes/tb-1/cni/ipam")));
            try (CriRuntime cri = CriRuntime.connect(bed.containerdSocket("tb-1"))) {
                awaitTrue(Duration.ofSeconds(30), () -> cri.problem().isEmpty());
                cri.pullImage(bed.busyboxImage(), null, null);
                PodSandboxConfig pod = PodSandboxConfig.newBuilder()
                        .setMetadata(PodSandboxMetadata.newBuilder().setName("probe").setNamespace("default")
                                .setUid(UUID.randomUUID().toString()))
                        .build();
                sandbox = cri.runPodSandbox(pod);
                container = cri.createContainer(sandbox, ContainerConfig.newBuilder()
                        .setMetadata(ContainerMetadata.newBuilder().setName("sleep"))
                        .setImage(ImageSpec.newBuilder().setImage(bed.busyboxImage()))
                        .addCommand("sleep").addArgs("3600").build(), pod);
                cri.startContainer(container);
                assertThat(cri.containerStatus(container).orElseThrow().getState())
                        .isEqualTo(ContainerState.CONTAINER_RUNNING);
                assertThat(cri.podSandboxStatus(sandbox).orElseThrow().getNetwork().getIp()).startsWith("10.42.1.");
            }
            ProcessHandle.of(bed.containerdPid("tb-1")).ifPresent(ProcessHandle::destroyForcibly);
        } finally {
            bed.down();
        }
        assertThat(bed.remnants()).isEmpty();
        assertThat(processesMentioning(sandbox)).as("shims and containers of the pod").isEmpty();
        assertThat(cniCacheEntriesFor(sandbox)).isEmpty();
        assertThat(cgroupsNamed(sandbox)).isEmpty();
        assertThat(cgroupsNamed(container)).isEmpty();
        Shell.run(Duration.ofMinutes(2), TestBed.scripts().resolve("bed.sh").toString(), "down", "--data-dir",
                bed.dataDir().toString()).ok();
        assertThat(bed.remnants()).as("a second down is harmless").isEmpty();
    }

    @Test
    void kedgeUpRunsAServerAndAnAgentPerNodeThatComeBackWhenKilled() throws Exception {
        try (TestBed bed = TestBed.upCluster(dataDir(), UNIT + ":1");
                KubernetesClient client = client(bed)) {
            assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .contains("default", "kube-system");
            awaitTrue(Duration.ofMinutes(3), () -> ready(client, "tb-1"));
            Node node = client.nodes().withName("tb-1").get();
            assertThat(node.getMetadata().getLabels()).containsEntry("kedge.io/unit", UNIT).containsEntry("kedge.io/edge", "true");
            assertThat(node.getStatus().getAddresses()).anySatisfy(a -> {
                assertThat(a.getType()).isEqualTo("InternalIP");
                assertThat(a.getAddress()).isEqualTo(bed.nodeIp("tb-1"));
            });

            String podCidr = node.getSpec().getPodCIDR();
            assertThat(podCidr).as("the node's pod CIDR").isNotBlank();
            assertThat(Shell.run(Duration.ofSeconds(30), "ip", "-n", "tb-gw", "route", "show", podCidr).ok().out())
                    .as("the unit's router routes the node's pods").contains("via " + bed.nodeIp("tb-1"));

            long agent = bed.supervisedPid("agent-tb-1");
            ProcessHandle.of(agent).orElseThrow().destroyForcibly();
            awaitTrue(Duration.ofMinutes(2), () -> restarted(bed, "agent-tb-1", agent));

            long server = bed.supervisedPid("server");
            ProcessHandle.of(server).orElseThrow().destroyForcibly();
            awaitTrue(Duration.ofMinutes(3), () -> restarted(bed, "server", server) && answers(client));

            long restartedServer = bed.supervisedPid("server");
            Shell.Result again = Shell.run(Duration.ofMinutes(2), Map.of("KEDGE_SKIP_BUILD", "1"),
                    List.of(TestBed.root().resolve("kedge").toString(), "up", "--no-install", "--data-dir",
                            bed.dataDir().toString())).ok();
            assertThat(again.out()).contains("already running").contains("nothing changed");
            assertThat(bed.supervisedPid("server")).isEqualTo(restartedServer);
            bed.down();
            assertThat(bed.remnants()).isEmpty();
        }
    }

    private static KubernetesClient client(TestBed bed) throws IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(bed.kubeconfig()))).build();
    }

    private static boolean ready(KubernetesClient client, String node) {
        try {
            Node n = client.nodes().withName(node).get();
            return n != null && n.getStatus() != null && n.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        } catch (KubernetesClientException notYet) {
            return false;
        }
    }

    private static boolean answers(KubernetesClient client) {
        try {
            return !client.namespaces().list().getItems().isEmpty();
        } catch (KubernetesClientException notYet) {
            return false;
        }
    }

    /** The supervisor started the process again: a new pid that is alive. */
    private static boolean restarted(TestBed bed, String name, long before) {
        try {
            long now = bed.supervisedPid(name);
            return now != before && ProcessHandle.of(now).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | IllegalArgumentException notYet) {
            return false;
        }
    }

    private static boolean reachesRegistry(TestBed bed, String node) throws IOException, InterruptedException {
        return bed.nodeExec(node, "curl", "-sf", "--max-time", "3", "-o", "/dev/null", "http://" + bed.registry() + "/v2/")
                .succeeded();
    }

    private static String netns(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
    }

    private static String netnsOf(String namespace) throws IOException {
        Object inode = Files.getAttribute(Path.of("/var/run/netns", namespace), "unix:ino");
        return "net:[" + inode + "]";
    }

    private static List<String> processesMentioning(String text) {
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")))
                        .replace('\0', ' ');
                if (cmd.contains(text)) {
                    found.add(p.pid() + ": " + cmd);
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
        });
        return found;
    }

    private static List<Path> cniCacheEntriesFor(String sandbox) throws IOException {
        Path results = Path.of("/var/lib/cni/results");
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(results)) {
            return files.filter(f -> f.getFileName().toString().contains(sandbox)).toList();
        }
    }

    private static List<Path> cgroupsNamed(String id) throws IOException {
        try (Stream<Path> dirs = Files.find(Path.of("/sys/fs/cgroup"), 7,
                (path, attributes) -> attributes.isDirectory() && path.getFileName() != null
                        && path.getFileName().toString().equals(id))) {
            return dirs.toList();
        }
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(500);
        }
    }
}
