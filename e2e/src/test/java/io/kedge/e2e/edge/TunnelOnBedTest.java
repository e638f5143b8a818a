package io.kedge.e2e.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.kedge.e2e.Await;
import io.kedge.e2e.Cli;
import io.kedge.e2e.testbed.Shell;
import io.kedge.e2e.testbed.TestBed;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * EdgeTunnel's acceptance on the bed: the cloud namespace may not open any TCP connection into the
 * edge (its SYNs towards the edge LANs are dropped), so every log line, exec byte and forwarded port
 * below travels through the node's own outbound tunnel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelOnBedTest {
    private static final String NS = "tunnel-e2e";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String EDGE_LANS = "10.201.0.0/16";

    private static TestBed bed;
    private static KubernetesClient client;
    private static Cli kubectl;
    private static String node;

    @BeforeAll
    static void startCluster() throws Exception {
        TestBed.assumeRunnable();
        bed = TestBed.upCluster(TestBed.root().resolve("e2e/target/tunnel-bed"), "west:1");
        node = bed.nodes().get(0);
        bed.nodeExec(TestBed.CLOUD, "iptables", "-I", "OUTPUT", "-d", EDGE_LANS, "-p", "tcp", "--syn", "-j", "DROP").ok();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(bed.kubeconfig()))).build();
        kubectl = new Cli("kubectl-1.35", bed.kubeconfig());
        Await.until("the edge node Ready", WAIT, () -> {
            var n = client.nodes().withName(node).get();
            return n != null && n.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
        kubectl.run("create", "namespace", NS).ok();
        Await.until("the default service account", WAIT, () ->
                client.serviceAccounts().inNamespace(NS).withName("default").get() != null);
        create(pod("box", "sleep", "3600"));
        create(pod("chatty", "sh", "-c", "i=0; while true; do echo line-$i; i=$((i+1)); sleep 1; done"));
        create(pod("web", "sh", "-c", "mkdir -p /www && dd if=/dev/urandom of=/www/big bs=1048576 count=100 2>/dev/null"
                + " && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www"));
        create(new PodBuilder(pod("listener", "sh", "-c", "while read l; do echo got:$l; done; echo stdin-closed"))
                .editSpec().withRestartPolicy("Never").editFirstContainer().withStdin(true).withStdinOnce(true).endContainer()
                .endSpec().build());
        for (String name : List.of("box", "chatty", "web", "listener")) {
            Await.until("pod " + name + " running", WAIT, () -> {
                Pod p = client.pods().inNamespace(NS).withName(name).get();
                return p != null && "Running".equals(p.getStatus().getPhase());
            });
        }
        Await.until("web serves", WAIT, () -> kubectl.run("-n", NS, "exec", "web", "--", "sh", "-c",
                "test -s /www/index.html && ls -l /www/big").out().contains("104857600"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        if (bed != null) {
            bed.close();
            assertThat(bed.remnants()).as("the bed leaves nothing behind").isEmpty();
        }
    }

    private static Pod pod(String name, String... command) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("main").withImage(bed.busyboxImage()).withImagePullPolicy("IfNotPresent")
                .withCommand(command).endContainer().endSpec().build();
    }

    private static void create(Pod pod) {
        client.pods().inNamespace(NS).resource(pod).create();
    }

    @Test
    void theCloudCannotOpenAConnectionToTheEdgeNode() throws Exception {
        Shell.Result direct = bed.nodeExec(TestBed.CLOUD, "timeout", "3", "bash", "-c",
                "echo > /dev/tcp/" + bed.nodeIp(node) + "/10250");
        assertThat(direct.exit()).as("a direct connection to the kubelet port from the cloud").isNotZero();
    }

    @Test
    void theAgentsMetricsAreScrapedThroughNodesProxy() throws Exception {
        String metrics = kubectl.run("get", "--raw", "/api/v1/nodes/" + node + "/proxy/metrics").ok().out();
        assertThat(metrics).containsPattern("kubelet_running_pods [1-9]")
                .contains("kubelet_running_containers{container_state=\"running\"}")
                .contains("kedge_hub_cloud_healthy 1");
    }

    @Test
    void logsFollowStreamsNewLinesAndTailSinceAndPreviousWork() throws Exception {
        Path out = Files.createTempFile("logs-f", ".txt");
        Process follow = kubectl.start(out, "-n", NS, "logs", "-f", "chatty");
        try {
            String first = Await.until("a first line from logs -f", WAIT, () -> {
                String s = Files.readString(out);
                return s.contains("line-") ? s : null;
            });
            int linesAtFirst = first.split("\n").length;
            Await.until("logs -f delivering lines written later", WAIT,
                    () -> Files.readString(out).split("\n").length >= linesAtFirst + 3);
        } finally {
            follow.destroy();
        }
        assertThat(kubectl.run("-n", NS, "logs", "chatty", "--tail=2").ok().out().split("\n")).hasSize(2);
        String recent = kubectl.run("-n", NS, "logs", "chatty", "--since=3s").ok().out();
        assertThat(recent.split("\n").length).isBetween(1, 5);
        Cli.Result previous = kubectl.run("-n", NS, "logs", "chatty", "--previous");
        assertThat(previous.exit()).as("no previous container yet").isNotZero();
        assertThat(previous.err()).contains("previous terminated container");
    }

    @Test
    void execWithStdinPipedInAndKubectlCpBothWays() throws Exception {
        Cli.Result piped = kubectl.runWithInput("alpha\nbeta\n", "-n", NS, "exec", "-i", "box", "--", "sh", "-c", "wc -l");
        assertThat(piped.ok().out().trim()).isEqualTo("2");

        Path local = Files.createTempFile("cp-in", ".txt");
        Files.writeString(local, "carried through the tunnel\n");
        kubectl.run("-n", NS, "cp", local.toString(), "box:/tmp/in.txt").ok();
        assertThat(kubectl.run("-n", NS, "exec", "box", "--", "cat", "/tmp/in.txt").ok().out())
                .isEqualTo("carried through the tunnel\n");
        Path back = local.resolveSibling("cp-out-" + System.nanoTime() + ".txt");
        kubectl.run("-n", NS, "cp", "box:/tmp/in.txt", back.toString()).ok();
        assertThat(Files.readString(back)).isEqualTo("carried through the tunnel\n");
    }

    @Test
    void execWithATtyRunsTheCommandOnATerminalOfTheClientsSize() throws Exception {
        // kubectl wants a terminal on its own stdin for -t: script(1) gives it one, 45 rows by 123 columns,
        // and kubectl sends that size to the container's terminal as a resize, shortly after the start
        Shell.Result r = Shell.run(Duration.ofSeconds(60), Map.of("HOME", System.getProperty("java.io.tmpdir")), List.of(
                "script", "-qec", "stty rows 45 cols 123; " + Cli.tool("kubectl-1.35") + " --kubeconfig " + bed.kubeconfig()
                        + " -n " + NS + " exec -it box -- sh -c 'test -t 0 && test -t 1 && echo on-a-tty; sleep 2; stty size'", "/dev/null"));
        assertThat(r.out()).contains("on-a-tty");
        assertThat(r.out()).contains("45 123");
    }

    @Test
    void attachCarriesStdinToTheContainerAndItsOutputBack() throws Exception {
        Cli.Result r = kubectl.runWithInput("hello\n", "-n", NS, "attach", "-i", "listener", "-c", "main");
        assertThat(r.out() + r.err()).contains("got:hello");
    }

    @Test
    void fiftyConcurrentExecsAllAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<Cli.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                runs.add(pool.submit(() -> kubectl.run("-n", NS, "exec", "box", "--", "echo", "exec-" + n)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(runs.get(i).get(5, TimeUnit.MINUTES).ok().out().trim()).isEqualTo("exec-" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void portForwardCarriesOneHundredMegabytesIntactByChecksum() throws Exception {
        int port = freePort();
        Path out = Files.createTempFile("port-forward", ".txt");
        Process forward = kubectl.start(out, "-n", NS, "port-forward", "pod/web", port + ":8080");
        try {
            Await.until("port-forward listening", WAIT, () -> Files.readString(out).contains("Forwarding from"));
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            assertThat(download(port, "/big", sha)).isEqualTo(100L * 1024 * 1024);
            String inPod = kubectl.run("-n", NS, "exec", "web", "--", "sha256sum", "/www/big").ok().out().split("\\s+")[0];
            assertThat(java.util.HexFormat.of().formatHex(sha.digest())).as("the bytes arrive intact").isEqualTo(inPod);
        } finally {
            forward.destroy();
        }
    }

    @Test
    void kubectlTopShowsTheEdgeNodeAndItsPods() throws Exception {
        Await.until("kubectl top node through the tunnel", WAIT, () -> kubectl.run("top", "node", node).out().contains(node));
        Await.until("kubectl top pod through the tunnel", WAIT, () -> kubectl.run("-n", NS, "top", "pod", "box").out().contains("box"));
    }

    @Test
    void kubectl120UsesSpdyForExecAndPortForward() throws Exception {
        Cli old = new Cli("kubectl-1.20", bed.kubeconfig());
        assertThat(old.run("-n", NS, "logs", "chatty", "--tail=1").ok().out()).startsWith("line-");
        assertThat(old.run("-n", NS, "exec", "box", "--", "echo", "over-spdy").ok().out().trim()).isEqualTo("over-spdy");
        Cli spdy135 = new Cli("kubectl-1.35", bed.kubeconfig(), Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"));
        assertThat(spdy135.run("-n", NS, "exec", "box", "--", "echo", "spdy-too").ok().out().trim()).isEqualTo("spdy-too");

        int port = freePort();
        Path out = Files.createTempFile("port-forward-120", ".txt");
        Process forward = old.start(out, "-n", NS, "port-forward", "pod/web", port + ":8080");
        try {
            Await.until("kubectl 1.20 port-forward listening", WAIT, () -> Files.readString(out).contains("Forwarding from"));
            assertThat(download(port, "/index.html")).isEqualTo(6L);
        } finally {
            forward.destroy();
        }
    }

    @Test
    void fabric8ExecAndPortForwardWork() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(NS).withName("box").writingOutput(stdout)
                .exec("sh", "-c", "echo from-fabric8")) {
            assertThat(watch.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        }
        assertThat(stdout.toString(StandardCharsets.UTF_8).trim()).isEqualTo("from-fabric8");
        try (LocalPortForward forward = client.pods().inNamespace(NS).withName("web").portForward(8080)) {
            assertThat(download(forward.getLocalPort(), "/index.html")).isEqualTo(6L);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // the cut goes last: the others need the link
    void aCutEndsLogsFollowWithAnErrorAndLogsAndExecWorkAgainAfterRestore() throws Exception {
        Path out = Files.createTempFile("logs-cut", ".txt");
        Process follow = kubectl.start(out, "-n", NS, "logs", "-f", "chatty");
        try {
            Await.until("logs -f streaming", WAIT, () -> Files.readString(out).contains("line-"));
            bed.cut(bed.units().get(0));
            assertThat(follow.waitFor(90, TimeUnit.SECONDS)).as("logs -f ends instead of hanging after the cut").isTrue();
            Cli.Result during = kubectl.run("-n", NS, "logs", "chatty", "--tail=1");
            assertThat(during.exit()).isNotZero();
            assertThat(during.err()).contains(node);
        } finally {
            follow.destroy();
            bed.restore(bed.units().get(0));
        }
        Await.until("logs through the tunnel again after the restore", WAIT,
                () -> kubectl.run("-n", NS, "logs", "chatty", "--tail=1").out().contains("line-"));
        assertThat(kubectl.run("-n", NS, "exec", "box", "--", "echo", "after-restore").ok().out().trim())
                .as("no session state is left behind").isEqualTo("after-restore");
    }

    private static long download(int port, String path) throws Exception {
        return download(port, path, null);
    }

    /** Downloads through a forwarded port; returns the byte count, and feeds the bytes to {@code digest} if given. */
    private static long download(int port, String path, java.security.MessageDigest digest) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setReadTimeout(120_000);
        long n = 0;
        try (InputStream in = c.getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
                if (digest != null) {
                    digest.update(buf, 0, r);
                }
            }
        }
        return n;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
