package io.kedge.e2e.edge;

import static io.kedge.e2e.edge.Readiness.podReady;
import static io.kedge.e2e.edge.Readiness.ready;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.api.Json;
import io.kedge.e2e.Await;
import io.kedge.e2e.Cli;
import io.kedge.e2e.testbed.Shell;
import io.kedge.e2e.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Edge autonomy on the bed, with a real cut of the unit's uplink: the node keeps its pods, serves
 * them from its hub, survives an agent crash and a reboot while cut off, and the cloud neither
 * evicts nor marks them not ready. After the restore, what happened offline reaches the cloud.
 * The cut lasts a few minutes here, not the ten of the issue, to keep CI short.
 */
class AutonomyOnBedTest {
    private static final String NS = "autonomy-e2e";
    private static final Duration WAIT = Duration.ofSeconds(180);

    private static TestBed bed;
    private static KubernetesClient client;
    private static Cli kubectl;
    private static String node;
    private static String unit;

    @BeforeAll
    static void startCluster() throws Exception {
        TestBed.assumeRunnable();
        bed = TestBed.upCluster(TestBed.root().resolve("e2e/target/autonomy-bed"), "north:1");
        node = bed.nodes().get(0);
        unit = bed.units().get(0);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(bed.kubeconfig()))).build();
        kubectl = new Cli("kubectl-1.35", bed.kubeconfig());
        Await.until("the edge node Ready", WAIT, () -> ready(client.nodes().withName(node).get()));
        kubectl.run("create", "namespace", NS).ok();
        kubectl.run("-n", NS, "create", "configmap", "settings", "--from-literal=mode=online").ok();
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
                .withCommand(command).addNewVolumeMount().withName("settings").withMountPath("/settings").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("settings").withNewConfigMap().withName("settings").endConfigMap().endVolume()
                .endSpec().build();
    }

    /** The node's own view, through its hub, as kubectl on the node sees it. */
    private static JsonNode onNode(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Cli.tool("kubectl-1.35").toString(),
                "--server", "http://127.0.0.1:10261"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-o", "json"));
        Shell.Result r = bed.nodeExec(node, cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new AssertionError("kubectl on the node failed: " + r.err());
        }
        return Json.parse(r.out().getBytes(StandardCharsets.UTF_8), false);
    }

    /** {@code kedge agent status}, run on the node as an operator on site would. */
    private static Shell.Result agentStatus() throws Exception {
        java.nio.file.Path cli = TestBed.root().resolve("cli/target");
        return bed.nodeExec(node, java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                cli.resolve("kedge-cli.jar") + ":" + cli.resolve("lib") + "/*", "io.kedge.cli.Main", "agent", "status");
    }

    private static Map<String, String> containerIds(JsonNode podList) {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode p : podList.path("items")) {
            ids.put(p.path("metadata").path("name").asText(),
                    p.path("status").path("containerStatuses").path(0).path("containerID").asText());
        }
        return ids;
    }

    /** The events of a pod seen last after {@code since}, by name, with their counts. */
    private static Map<String, Integer> eventsAfter(JsonNode eventList, String pod, java.time.Instant since) {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode e : eventList.path("items")) {
            String last = e.path("lastTimestamp").asText("");
            if (e.path("involvedObject").path("name").asText().equals(pod) && !last.isEmpty()
                    && java.time.Instant.parse(last).isAfter(since)) {
                out.put(e.path("metadata").path("name").asText(), e.path("count").asInt(1));
            }
        }
        return out;
    }

    private static int restarts(JsonNode podList, String name) {
        for (JsonNode p : podList.path("items")) {
            if (p.path("metadata").path("name").asText().equals(name)) {
                return p.path("status").path("containerStatuses").path(0).path("restartCount").asInt();
            }
        }
        throw new AssertionError("no pod " + name + " in " + podList);
    }

    @Test
    void aCutOffNodeKeepsAndRestartsItsPodsOnItsOwnAndTheCloudCatchesUpAfterTheRestore() throws Exception {
        client.pods().inNamespace(NS).resource(pod("steady", "sh", "-c", "sleep 36000")).create();
        client.pods().inNamespace(NS).resource(pod("crasher", "sh", "-c", "sleep 20; exit 3")).create();
        Await.until("both pods running", WAIT, () -> podReady(client.pods().inNamespace(NS).withName("steady").get())
                && "Running".equals(client.pods().inNamespace(NS).withName("crasher").get().getStatus().getPhase()));
        String steadyUid = client.pods().inNamespace(NS).withName("steady").get().getMetadata().getUid();
        Map<String, String> before = containerIds(onNode("get", "pods", "-n", NS));
        assertThat(before.get("steady")).startsWith("containerd://");

        java.time.Instant cutAt = java.time.Instant.now();
        bed.cut(unit);
        Map<String, Integer> journaledEvents;
        try {
            // the cloud's view: cut off, autonomous, nothing evicted, the pods still ready
            NodeCondition autonomy = Await.until("the cloud shows the node autonomous", WAIT, () -> {
                Node n = client.nodes().withName(node).get();
                return n.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals("EdgeAutonomy") && c.getStatus().equals("True")).findFirst().orElse(null);
            });
            assertThat(autonomy.getReason()).isEqualTo("CutOffFromCloud");
            assertThat(kubectl.run("get", "node", node).ok().out()).contains("NotReady,Autonomous");
            Node cut = client.nodes().withName(node).get();
            assertThat(cut.getSpec().getTaints()).noneMatch(t -> "NoExecute".equals(t.getEffect()));
            Pod steady = client.pods().inNamespace(NS).withName("steady").get();
            assertThat(steady.getMetadata().getDeletionTimestamp()).isNull();
            assertThat(podReady(steady)).as("the pod stays ready in the cloud").isTrue();

            // the node's view: its hub answers from the cache, and the crasher is restarted offline
            JsonNode offline = onNode("get", "pods", "-n", NS);
            assertThat(containerIds(offline)).containsEntry("steady", before.get("steady"));
            assertThat(onNode("get", "configmap", "settings", "-n", NS).path("data").path("mode").asText()).isEqualTo("online");
            Shell.Result status = agentStatus();
            assertThat(status.exit()).as(status.err()).isEqualTo(1);
            assertThat(status.out()).contains("cloud:     UNREACHABLE for ");
            int restartsBefore = restarts(offline, "crasher");
            Await.until("the crashing container restarted offline", WAIT,
                    () -> restarts(onNode("get", "pods", "-n", NS), "crasher") > restartsBefore);
            // the kubelet's events of the restart, journaled by the hub and shown by it
            journaledEvents = Await.until("the restart's events recorded on the node", WAIT, () -> {
                Map<String, Integer> recorded = eventsAfter(onNode("get", "events", "-n", NS), "crasher", cutAt);
                return recorded.isEmpty() ? null : recorded;
            });

            // an agent crash while cut: the same containers, adopted
            long agent = bed.supervisedPid("agent-" + node);
            new ProcessBuilder("kill", "-9", String.valueOf(agent)).start().waitFor();
            Await.until("the agent back, its hub answering", WAIT, () -> bed.supervisedPid("agent-" + node) != agent
                    && bed.nodeExec(node, "curl", "-sf", "http://127.0.0.1:10261/healthz").exit() == 0);
            Await.until("steady still in the same container", WAIT,
                    () -> before.get("steady").equals(containerIds(onNode("get", "pods", "-n", NS)).get("steady")));

            // a reboot while cut: every container gone, and every pod runs again from the node's own state
            bed.reboot(node);
            Await.until("steady running in a new container after the reboot", WAIT, () -> {
                JsonNode p = onNode("get", "pod", "steady", "-n", NS);
                JsonNode c = p.path("status").path("containerStatuses").path(0);
                return !c.path("containerID").asText().equals(before.get("steady")) && c.path("state").has("running");
            });
            Await.until("the crasher running again after the reboot", WAIT, () -> onNode("get", "pod", "crasher", "-n", NS)
                    .path("status").path("containerStatuses").path(0).path("state").has("running"));
            assertThat(client.pods().inNamespace(NS).withName("steady").get().getMetadata().getUid())
                    .as("the cloud has not recreated the pod").isEqualTo(steadyUid);
        } finally {
            bed.restore(unit);
        }

        Await.until("the node Ready again in the cloud", WAIT, () -> ready(client.nodes().withName(node).get()));
        Await.until("the cloud sees the container the node started after the reboot", WAIT, () -> {
            Pod p = client.pods().inNamespace(NS).withName("steady").get();
            Optional<ContainerStatus> c = Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of()).stream().findFirst();
            return c.isPresent() && !before.get("steady").equals(c.get().getContainerID()) && podReady(p);
        });
        Await.until("EdgeAutonomy turns False and the NoSchedule taint goes", WAIT, () -> {
            Node n = client.nodes().withName(node).get();
            boolean released = n.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("EdgeAutonomy") && c.getStatus().equals("False"));
            return released && (n.getSpec().getTaints() == null
                    || n.getSpec().getTaints().stream().noneMatch(t -> t.getKey().startsWith("node.kubernetes.io/unreachable")));
        });
        assertThat(client.pods().inNamespace(NS).withName("steady").get().getMetadata().getUid()).isEqualTo(steadyUid);
        Shell.Result back = Await.until("kedge agent status shows the cloud reachable and nothing left to replay", WAIT, () -> {
            Shell.Result s = agentStatus();
            return s.exit() == 0 && s.out().contains("journal:   0 node writes") ? s : null;
        });
        assertThat(back.out()).contains("cloud:     reachable for ");
        for (Map.Entry<String, Integer> e : journaledEvents.entrySet()) {
            io.fabric8.kubernetes.api.model.Event inCloud = client.v1().events().inNamespace(NS).withName(e.getKey()).get();
            assertThat(inCloud).as("event %s, recorded offline, reached the cloud", e.getKey()).isNotNull();
            assertThat(inCloud.getCount()).as("its repeats too").isGreaterThanOrEqualTo(e.getValue());
        }

        // a change made in the cloud reaches the node once it is back
        kubectl.run("-n", NS, "patch", "configmap", "settings", "-p", "{\"data\":{\"mode\":\"after-restore\"}}").ok();
        Await.until("the changed config map reaches the node", WAIT,
                () -> onNode("get", "configmap", "settings", "-n", NS).path("data").path("mode").asText().equals("after-restore"));
    }
}
