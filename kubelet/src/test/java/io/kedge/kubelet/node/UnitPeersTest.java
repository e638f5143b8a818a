package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;
import io.kedge.kubelet.node.UnitPeers.Peer;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Unit peers and peer probes against a real server. */
class UnitPeersTest {
    private static TestServer server;
    private static KubernetesClient client;

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

    private static void node(String name, String unit, String address, String podCidr, Integer kubeletPort) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of("kedge.io/unit", unit)).endMetadata()
                .withNewSpec().withPodCIDR(podCidr).endSpec();
        if (address != null) {
            b.withNewStatus().addNewAddress().withType("InternalIP").withAddress(address).endAddress()
                    .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint().endDaemonEndpoints()
                    .endStatus();
        }
        Node created = client.nodes().resource(b.build()).create();
        if (address != null && (created.getStatus() == null || created.getStatus().getAddresses().isEmpty())) {
            client.nodes().resource(b.build()).updateStatus();
        }
    }

    @Test
    void thePeersAreTheOtherNodesOfTheNodesOwnUnitAndFollowARelabel() {
        node("p-east-1", "p-east", "10.201.1.11", "10.42.1.0/24", null);
        node("p-east-2", "p-east", "10.201.1.12", "10.42.2.0/24", 10255);
        node("p-west-1", "p-west", "10.201.2.11", "10.42.3.0/24", null);
        try (UnitPeers peers = new UnitPeers(client, "p-east-1").start()) {
            Await.until("east-1 sees its peer", () -> peers.peers().equals(
                    List.of(new Peer("p-east-2", "10.201.1.12", "10.42.2.0/24", 10255))));
            client.nodes().withName("p-west-1").edit(n -> new NodeBuilder(n).editMetadata()
                    .addToLabels("kedge.io/unit", "p-east").endMetadata().build());
            Await.until("a node relabelled into the unit is a peer", () -> peers.peers().size() == 2);
            client.nodes().withName("p-east-1").edit(n -> new NodeBuilder(n).editMetadata()
                    .addToLabels("kedge.io/unit", "p-north").endMetadata().build());
            Await.until("a node relabelled out of its unit has no peers there", () -> peers.peers().isEmpty());
        }
    }

    @Test
    void theProberAnnotatesItsOwnNodeWithWhatItSawOfItsPeers() throws Exception {
        try (ServerSocket kubelet = new ServerSocket(0)) {
            node("q-east-1", "q-east", "127.0.0.1", "10.42.11.0/24", null);
            node("q-east-2", "q-east", "127.0.0.1", "10.42.12.0/24", kubelet.getLocalPort());
            try (UnitPeers peers = new UnitPeers(client, "q-east-1").start();
                 PeerProber prober = new PeerProber(client, "q-east-1", peers).start()) {
                String report = Await.until("the peer probe annotation", () -> {
                    Map<String, String> a = client.nodes().withName("q-east-1").get().getMetadata().getAnnotations();
                    String r = a == null ? null : a.get(PeerProber.ANNOTATION);
                    return r != null && r.contains("q-east-2") ? r : null;
                });
                assertThat(report).contains("\"q-east-2\":\"Reachable\"").containsPattern("\"time\":\"\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}Z\"");
            }
        }
    }
}
