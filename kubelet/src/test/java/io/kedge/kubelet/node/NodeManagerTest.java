package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kedge.controllers.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeManagerTest {
    private static TestServer server;
    private static KubernetesClient client;

    @TempDir
    Path dataDir;
    @TempDir
    Path cniDir;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start();
        client = server.client();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    private NodeManager manager(String name, FakeRuntimeHealth runtime, Path manifests) throws Exception {
        return manager(name, runtime, manifests, () -> { });
    }

    private NodeManager manager(String name, FakeRuntimeHealth runtime, Path manifests, Runnable alive) throws Exception {
        return manager(name, runtime, manifests, alive, ready -> { });
    }

    private NodeManager manager(String name, FakeRuntimeHealth runtime, Path manifests, Runnable alive,
            java.util.function.Consumer<Boolean> readiness) throws Exception {
        NodeSettings settings = new NodeSettings(name, "east", "192.0.2.7", dataDir, cniDir, manifests,
                Duration.ofMillis(200), Duration.ofMinutes(5));
        return new NodeManager(client, settings, MachineInfo.read(dataDir), runtime, alive).onReadinessChange(readiness).start();
    }

    @Test
    void theNodeRegistersWithItsLabelsResourcesAddressesAndNodeInfo() throws Exception {
        try (NodeManager ignored = manager("edge-reg", new FakeRuntimeHealth(), null)) {
            Node node = Await.until("node registered with a status", () -> {
                Node n = client.nodes().withName("edge-reg").get();
                return n != null && n.getStatus() != null && n.getStatus().getNodeInfo() != null ? n : null;
            });
            String arch = MachineInfo.goArch(System.getProperty("os.arch"));
            assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/arch", arch)
                    .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/hostname", "edge-reg")
                    .containsEntry("kedge.io/edge", "true").containsEntry("kedge.io/unit", "east");
            var status = node.getStatus();
            assertThat(status.getCapacity().get("cpu")).isEqualTo(new Quantity(String.valueOf(Runtime.getRuntime().availableProcessors())));
            assertThat(status.getCapacity().get("pods")).isEqualTo(new Quantity("110"));
            assertThat(Quantity.getAmountInBytes(status.getCapacity().get("memory")).longValue())
                    .isEqualTo(MachineInfo.read(dataDir).memoryBytes() / 1024 * 1024);
            assertThat(Quantity.getAmountInBytes(status.getAllocatable().get("memory")))
                    .isLessThan(Quantity.getAmountInBytes(status.getCapacity().get("memory")));
            assertThat(Quantity.getAmountInBytes(status.getCapacity().get("ephemeral-storage")).longValue())
                    .isEqualTo(Files.getFileStore(dataDir).getTotalSpace() / 1024 * 1024);
            assertThat(status.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                    .containsExactly("InternalIP=192.0.2.7", "Hostname=edge-reg");
            assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
            var info = status.getNodeInfo();
            assertThat(info.getKubeletVersion()).isEqualTo("v1.35.0-kedge");
            assertThat(info.getContainerRuntimeVersion()).isEqualTo("containerd://1.6.20");
            assertThat(info.getOperatingSystem()).isEqualTo("linux");
            assertThat(info.getArchitecture()).isEqualTo(arch);
            assertThat(info.getKernelVersion()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
            assertThat(info.getOsImage()).isNotBlank();
            assertThat(status.getConditions()).extracting(NodeCondition::getType)
                    .containsExactly("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
            assertThat(condition(node, "MemoryPressure").getReason()).isIn("KubeletHasSufficientMemory", "KubeletHasInsufficientMemory");
            assertThat(condition(node, "PIDPressure").getReason()).isIn("KubeletHasSufficientPID", "KubeletHasInsufficientPID");
        }
    }

    @Test
    void theNodeIsNotReadyUntilItHasAPodCidrAndThenWritesTheCniConfigForIt() throws Exception {
        try (NodeManager manager = manager("edge-cni", new FakeRuntimeHealth(), null)) {
            NodeCondition notReady = Await.until("node NotReady for its network", () -> {
                Node n = client.nodes().withName("edge-cni").get();
                NodeCondition c = n == null || n.getStatus() == null ? null : condition(n, "Ready");
                return c != null && "False".equals(c.getStatus()) ? c : null;
            });
            assertThat(notReady.getReason()).isEqualTo("KubeletNotReady");
            assertThat(notReady.getMessage()).contains("network not ready").contains("no pod CIDR");
            assertThat(manager.networkReady()).isFalse();
            assertThat(cniDir.resolve("10-kedge.conflist")).doesNotExist();

            client.nodes().withName("edge-cni").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"podCIDR\":\"10.42.3.0/24\",\"podCIDRs\":[\"10.42.3.0/24\"]}}");
            NodeCondition ready = Await.until("node Ready", () -> {
                NodeCondition c = condition(client.nodes().withName("edge-cni").get(), "Ready");
                return "True".equals(c.getStatus()) ? c : null;
            });
            assertThat(ready.getReason()).isEqualTo("KubeletReady");
            assertThat(ready.getMessage()).isEqualTo("kubelet is posting ready status");

            JsonNode conf = new ObjectMapper().readTree(cniDir.resolve("10-kedge.conflist").toFile());
            assertThat(conf.path("name").asText()).isEqualTo("kedge");
            JsonNode bridge = conf.path("plugins").get(0);
            assertThat(bridge.path("type").asText()).isEqualTo("bridge");
            assertThat(bridge.path("bridge").asText()).isEqualTo("kedge0");
            assertThat(bridge.path("isGateway").asBoolean()).isTrue();
            assertThat(bridge.path("ipMasq").asBoolean()).isTrue();
            assertThat(bridge.path("hairpinMode").asBoolean()).isTrue();
            assertThat(bridge.path("ipam").path("type").asText()).isEqualTo("host-local");
            assertThat(bridge.path("ipam").path("ranges").get(0).get(0).path("subnet").asText()).isEqualTo("10.42.3.0/24");
            assertThat(bridge.path("ipam").path("dataDir").asText()).startsWith(dataDir.toAbsolutePath().toString());
            assertThat(conf.path("plugins").get(1).path("type").asText()).isEqualTo("portmap");
        }
    }

    @Test
    void theKubeletTellsTheHubItIsAliveOnEveryTickOnceTheNodeIsRegisteredAndRenewsNoLeaseItself() throws Exception {
        java.util.concurrent.atomic.AtomicInteger beats = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean registeredFirst = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (NodeManager ignored = manager("edge-alive", new FakeRuntimeHealth(), null, () -> {
            if (beats.incrementAndGet() == 1 && client.nodes().withName("edge-alive").get() == null) {
                registeredFirst.set(false);
            }
        })) {
            Await.until("three heartbeats", () -> beats.get() >= 3);
            assertThat(registeredFirst).as("the first heartbeat comes after the Node is registered").isTrue();
            assertThat(client.leases().inNamespace("kube-node-lease").withName("edge-alive").get())
                    .as("the hub renews the Lease, not the kubelet").isNull();
        }
    }

    @Test
    void aDownRuntimeMakesTheNodeNotReadyWithItsProblemUntilItIsBack() throws Exception {
        FakeRuntimeHealth runtime = new FakeRuntimeHealth();
        createNodeWithCidr("edge-rt", "10.42.4.0/24");
        java.util.List<Boolean> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (NodeManager ignored = manager("edge-rt", runtime, null, () -> { }, told::add)) {
            Await.until("node Ready", () -> "True".equals(condition(client.nodes().withName("edge-rt").get(), "Ready").getStatus()));
            runtime.down("container runtime is down: unix:///run/containerd/containerd.sock unavailable");
            NodeCondition down = Await.until("node NotReady", () -> {
                NodeCondition c = condition(client.nodes().withName("edge-rt").get(), "Ready");
                return "False".equals(c.getStatus()) ? c : null;
            });
            assertThat(down.getReason()).isEqualTo("KubeletNotReady");
            assertThat(down.getMessage()).isEqualTo("container runtime is down: unix:///run/containerd/containerd.sock unavailable");
            assertThat(client.nodes().withName("edge-rt").get().getStatus().getNodeInfo().getContainerRuntimeVersion()).isEmpty();

            runtime.up();
            Await.until("node Ready again", () -> "True".equals(condition(client.nodes().withName("edge-rt").get(), "Ready").getStatus()));
            assertThat(told).as("the readiness listener (NodeReady/NodeNotReady events) hears each change once")
                    .containsExactly(true, false, true);
        }
    }

    @Test
    void anExistingNodeGetsTheAgentsLabelsAndKeepsItsOwn() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("edge-pre").addToLabels("rack", "r1")
                .addToLabels("kedge.io/unit", "old").endMetadata().build()).create();
        try (NodeManager ignored = manager("edge-pre", new FakeRuntimeHealth(), null)) {
            Node node = Await.until("labels set", () -> {
                Node n = client.nodes().withName("edge-pre").get();
                return "east".equals(n.getMetadata().getLabels().get("kedge.io/unit")) ? n : null;
            });
            assertThat(node.getMetadata().getLabels()).containsEntry("rack", "r1").containsEntry("kedge.io/edge", "true");
        }
    }

    @Test
    void aReadyConditionChangedByOthersIsWrittenBackPromptly() throws Exception {
        createNodeWithCidr("edge-unknown", "10.42.5.0/24");
        try (NodeManager ignored = manager("edge-unknown", new FakeRuntimeHealth(), null)) {
            Await.until("node Ready", () -> "True".equals(condition(client.nodes().withName("edge-unknown").get(), "Ready").getStatus()));
            // what the node lifecycle controller does to a node whose lease went stale
            client.nodes().withName("edge-unknown").subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                    "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\",\"reason\":\"NodeStatusUnknown\","
                            + "\"message\":\"Kubelet stopped posting node status.\"}]}}");
            Await.until("node Ready again", () -> "True".equals(condition(client.nodes().withName("edge-unknown").get(), "Ready").getStatus()));
        }
    }

    @Test
    void staticPodManifestsBecomeMirrorPodsOwnedByTheNodeAndGoWithTheirFile() throws Exception {
        Path manifests = Files.createDirectories(dataDir.resolve("manifests"));
        Files.writeString(manifests.resolve("addon.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: addon
                  namespace: kube-system
                spec:
                  containers:
                  - name: main
                    image: busybox
                """);
        try (NodeManager ignored = manager("edge-static", new FakeRuntimeHealth(), manifests)) {
            Pod mirror = Await.until("mirror pod", () -> client.pods().inNamespace("kube-system").withName("addon-edge-static").get());
            Node node = client.nodes().withName("edge-static").get();
            assertThat(mirror.getSpec().getNodeName()).isEqualTo("edge-static");
            assertThat(mirror.getMetadata().getAnnotations()).containsKey("kubernetes.io/config.mirror")
                    .containsEntry("kubernetes.io/config.source", "file");
            assertThat(mirror.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getKind()).isEqualTo("Node");
                assertThat(ref.getUid()).isEqualTo(node.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
            });

            Files.delete(manifests.resolve("addon.yaml"));
            Await.until("mirror pod deleted", () -> {
                Pod p = client.pods().inNamespace("kube-system").withName("addon-edge-static").get();
                return p == null || p.getMetadata().getDeletionTimestamp() != null;
            });
        }
    }

    private static void createNodeWithCidr(String name, String cidr) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDR(cidr).withPodCIDRs(cidr).endSpec().build()).create();
    }

    private static NodeCondition condition(Node node, String type) {
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
