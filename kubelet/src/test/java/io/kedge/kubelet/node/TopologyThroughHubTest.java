package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.testing.TestServer;
import io.kedge.hub.EdgeHub;
import io.kedge.hub.HubConfig;
import io.kedge.pki.CertificateAuthority;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service topology as the node's components meet it: a fabric8 informer (as netproxy runs one)
 * through a node's hub sees EndpointSlices filtered, and is told of the new view when the units change.
 */
class TopologyThroughHubTest {
    @TempDir
    Path dir;

    @Test
    void anInformerThroughTheHubSeesTheNodesViewAndItsUpdateWhenAPeerJoinsTheUnit() throws Exception {
        try (TestServer server = TestServer.start(); KubernetesClient admin = server.client()) {
            for (String[] n : new String[][] {{"t-east-1", "t-east"}, {"t-west-1", "t-west"}}) {
                admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(n[0]).withLabels(Map.of("kedge.io/unit", n[1]))
                        .endMetadata().build()).create();
            }
            admin.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("echo").endMetadata()
                    .withNewSpec().withSelector(Map.of("app", "echo")).addNewPort().withPort(80).endPort().endSpec().build()).create();
            admin.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder().withNewMetadata()
                    .withName("echo-x").withLabels(Map.of("kubernetes.io/service-name", "echo")).endMetadata().withAddressType("IPv4")
                    .addNewEndpoint().withAddresses("10.42.1.5").withNodeName("t-east-1").endEndpoint()
                    .addNewEndpoint().withAddresses("10.42.2.5").withNodeName("t-west-1").endEndpoint().build()).create();

            CertificateAuthority ca = CertificateAuthority.load(server.dataDir().resolve("pki"));
            HubConfig config = new HubConfig(List.of(URI.create(admin.getMasterUrl().toString())),
                    ca.issueClient("system:node:t-east-1", List.of("system:nodes"), Duration.ofDays(1)), null, ca.certificate(),
                    "t-east-1", dir.resolve("hub"), 0, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(40));
            List<EndpointSlice> updates = new CopyOnWriteArrayList<>();
            try (EdgeHub hub = new EdgeHub(config).start();
                 KubernetesClient local = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                         .withMasterUrl(hub.url().toString()).build()).build();
                 SharedIndexInformer<EndpointSlice> informer = local.discovery().v1().endpointSlices().inNamespace("default")
                         .inform(new ResourceEventHandler<>() {
                             @Override
                             public void onAdd(EndpointSlice slice) {
                             }

                             @Override
                             public void onUpdate(EndpointSlice before, EndpointSlice after) {
                                 updates.add(after);
                             }

                             @Override
                             public void onDelete(EndpointSlice slice, boolean unknownFinalState) {
                             }
                         })) {
                Await.until("the informer holds east-1's view", () -> {
                    EndpointSlice s = informer.getStore().getByKey("default/echo-x");
                    return s != null && s.getEndpoints().size() == 1 && "t-east-1".equals(s.getEndpoints().get(0).getNodeName());
                });
                admin.nodes().withName("t-west-1").edit(n -> new NodeBuilder(n).editMetadata()
                        .addToLabels("kedge.io/unit", "t-east").endMetadata().build());
                EndpointSlice updated = Await.until("the informer is told of the wider view", () -> updates.stream()
                        .filter(s -> s.getEndpoints().size() == 2).findFirst().orElse(null));
                assertThat(updated.getEndpoints()).extracting(e -> e.getNodeName()).containsExactly("t-east-1", "t-west-1");
            }
        }
    }
}
