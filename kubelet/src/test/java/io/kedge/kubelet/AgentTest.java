package io.kedge.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
    @TempDir
    Path dir;

    @Test
    void anAgentWhoseRuntimeIsDownRegistersItsNodeNotReadyNamingTheSocketAndKeepsRunning() throws Exception {
        try (TestServer server = TestServer.start(); KubernetesClient admin = server.client()) {
            Path socket = dir.resolve("no-containerd.sock");
            AgentConfig config = new AgentConfig(java.util.List.of(), "agent-node", "west", dir.resolve("data"), socket,
                    server.dataDir().resolve("admin.kubeconfig"), dir.resolve("cni"), "192.0.2.9", null, 0, null, 0);
            try (Agent agent = new Agent(config).start()) {
                NodeCondition ready = awaitReady(admin, "agent-node");
                assertThat(ready.getStatus()).isEqualTo("False");
                assertThat(ready.getReason()).isEqualTo("KubeletNotReady");
                assertThat(ready.getMessage()).startsWith("container runtime is down").contains(socket.toString());
                assertThat(admin.nodes().withName("agent-node").get().getMetadata().getLabels()).containsEntry("kedge.io/unit", "west");
                assertThat(agent.client().nodes().withName("agent-node").get()).isNotNull();
                assertThat(agent.client().getMasterUrl().toString())
                        .as("the agent reaches the cloud through its hub").startsWith(agent.hub().url().toString());
                // the kubelet's heartbeat keeps the hub renewing the node's Lease
                Instant leaseDeadline = Instant.now().plus(Duration.ofSeconds(30));
                while (admin.leases().inNamespace("kube-node-lease").withName("agent-node").get() == null
                        && Instant.now().isBefore(leaseDeadline)) {
                    Thread.sleep(100);
                }
                assertThat(admin.leases().inNamespace("kube-node-lease").withName("agent-node").get().getSpec().getHolderIdentity())
                        .isEqualTo("agent-node");
                assertThat(kubeletGet(agent, "/healthz")).startsWith("HTTP/1.1 200");
                Instant eventDeadline = Instant.now().plus(Duration.ofSeconds(30));
                java.util.List<String> reasons = java.util.List.of();
                while (!reasons.contains("NodeNotReady") && Instant.now().isBefore(eventDeadline)) {
                    Thread.sleep(100);
                    reasons = admin.v1().events().inNamespace("default").withField("involvedObject.name", "agent-node").list()
                            .getItems().stream().map(e -> e.getReason()).toList();
                }
                assertThat(reasons).as("the node's events").contains("Starting", "NodeNotReady");
                assertThat(kubeletGet(agent, "/containerLogs/default/web/app"))
                        .as("the kubelet API lets no anonymous caller read logs").startsWith("HTTP/1.1 401");
            }
        }
    }

    @Test
    void anAgentRestartedWhileTheCloudIsDownGetsItsPodsFromTheHubsCache() throws Exception {
        Path socket = dir.resolve("no-containerd.sock");
        TestServer server = TestServer.start();
        AgentConfig config;
        try (KubernetesClient admin = server.client()) {
            config = new AgentConfig(java.util.List.of(), "offline-node", "west", dir.resolve("data"), socket,
                    server.dataDir().resolve("admin.kubeconfig"), dir.resolve("cni"), "192.0.2.9", null, 0, null, 0);
            admin.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                    .withName("kept").endMetadata().withNewSpec().withNodeName("offline-node").addNewContainer().withName("c")
                    .withImage("busybox").endContainer().endSpec().build()).create();
            try (Agent agent = new Agent(config).start()) {
                awaitPods(agent, "offline-node", 1);
            }
        } finally {
            server.close();
        }
        // the cloud is gone; the agent starts again from its data dir, as after a reboot
        try (Agent agent = new Agent(config).start()) {
            var pods = awaitPods(agent, "offline-node", 1);
            assertThat(pods.get(0).getMetadata().getName()).isEqualTo("kept");
            Instant end = Instant.now().plus(Duration.ofSeconds(30));
            while (agent.hub().cloudHealthy() && Instant.now().isBefore(end)) {
                Thread.sleep(100);
            }
            assertThat(agent.hub().cloudHealthy()).as("the hub found the cloud gone").isFalse();
            assertThat(agent.client().pods().inNamespace("default").withName("kept").get()).isNotNull();
        }
    }

    private static java.util.List<io.fabric8.kubernetes.api.model.Pod> awaitPods(Agent agent, String node, int count)
            throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        RuntimeException last = null;
        while (Instant.now().isBefore(end)) {
            try {
                var pods = agent.client().pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems();
                if (pods.size() == count) {
                    return pods;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the agent never listed " + count + " pods through its hub", last);
    }

    @Test
    void aBadConfigurationIsRefusedWithItsReason() {
        assertThatThrownBy(() -> new AgentConfig(null, "Bad_Name", "u", dir, dir, null, dir, null, null, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node name \"Bad_Name\"");
        assertThatThrownBy(() -> new AgentConfig(null, "n", "not a unit", dir, dir, null, dir, null, null, 0, null))
                .hasMessageContaining("unit \"not a unit\"");
        assertThatThrownBy(() -> new AgentConfig(java.net.URI.create("ftp://x"), "n", "u", dir, dir, null, dir, null, null, 0, null))
                .hasMessageContaining("must be https://HOST[:PORT]");
        assertThatThrownBy(() -> new AgentConfig(null, "n", "u", dir, dir, dir.resolve("missing"), dir, null, null, 0, null))
                .hasMessageContaining("cannot be read");
    }

    private static NodeCondition awaitReady(KubernetesClient client, String name) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(end)) {
            Node n = client.nodes().withName(name).get();
            if (n != null && n.getStatus() != null && n.getStatus().getConditions() != null) {
                var ready = n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
                if (ready.isPresent() && ready.get().getMessage().startsWith("container runtime is down")) {
                    return ready.get();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + name + " never reported its runtime down");
    }

    /** A GET on the agent's kubelet API, trusting the node's own CA, with no client certificate. */
    private String kubeletGet(Agent agent, String path) throws Exception {
        java.security.cert.X509Certificate nodeCa = io.kedge.pki.PemFiles.readCertificate(
                dir.resolve("data/pki/node-ca/ca.crt"));
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, io.kedge.pki.TlsMaterial.trustManagers(nodeCa).getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket("127.0.0.1", agent.kubeletAddress().getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: node\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
