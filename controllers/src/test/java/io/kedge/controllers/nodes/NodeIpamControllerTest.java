package io.kedge.controllers.nodes;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NodeIpamControllerTest {
    @Test
    void nodesGetDistinctSubnetsNeverOneAlreadyTakenAndAFullRangeWaitsForADeletedNodesSubnet() throws Exception {
        try (TestServer server = TestServer.start(); KubernetesClient client = server.client()) {
            // a node that got its subnet before this controller started: it must not be handed out again
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("ipam-pre").endMetadata()
                    .withNewSpec().withPodCIDR("10.99.0.0/24").withPodCIDRs("10.99.0.0/24").endSpec().build()).create();
            for (String n : List.of("ipam-a", "ipam-b", "ipam-c")) {
                createNode(client, n);
            }
            // four /24s in a /22: the pre-assigned one and three to give
            var options = new ControllerContext.Options("10.99.0.0/22", 24, Duration.ofSeconds(40), Duration.ofSeconds(300), 12_500);
            try (ControllerManager manager = new ControllerManager(ComponentClients.controllers(client), "kedge-controllers",
                    "ipam-test",
                    List.of(NodeIpamController::create), options, () -> { })) {
                manager.start();
                List<String> given = Stream.of("ipam-a", "ipam-b", "ipam-c")
                        .map(n -> await(n + " has a pod CIDR", () -> podCidr(client, n))).toList();
                assertThat(given).doesNotHaveDuplicates().doesNotContain("10.99.0.0/24")
                        .allSatisfy(c -> assertThat(c).matches("10\\.99\\.[0-3]\\.0/24"));
                assertThat(client.nodes().withName("ipam-a").get().getSpec().getPodCIDRs()).containsExactly(given.get(0));

                createNode(client, "ipam-d");
                await("ipam-d is told no CIDR is available", () -> client.v1().events().inNamespace("default").list().getItems()
                        .stream().anyMatch(e -> "CIDRNotAvailable".equals(e.getReason())
                                && "ipam-d".equals(e.getInvolvedObject().getName())));
                assertThat(podCidr(client, "ipam-d")).isNull();

                client.nodes().withName("ipam-b").delete();
                assertThat(await("ipam-d gets the deleted node's subnet", () -> podCidr(client, "ipam-d"))).isEqualTo(given.get(1));
            }
        }
    }

    private static void createNode(KubernetesClient client, String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static String podCidr(KubernetesClient client, String name) {
        Node n = client.nodes().withName(name).get();
        return n == null || n.getSpec() == null ? null : n.getSpec().getPodCIDR();
    }
}
