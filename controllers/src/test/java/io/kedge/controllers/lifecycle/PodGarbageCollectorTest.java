package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.testing.HollowNodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PodGarbageCollectorTest {
    private static final String NS = "podgc-test";
    private static final int TERMINATED_THRESHOLD = 2;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static RunningControllers controllers;

    @BeforeAll
    static void start() throws Exception {
        client = SharedTestServer.client();
        TestObjects.namespace(client, NS);
        nodes = new HollowNodes(client, HollowNodes.Spec.of("podgc-test", 1)).start();
        var options = new ControllerContext.Options("10.42.0.0/16", 24, Duration.ofSeconds(40), Duration.ofSeconds(300),
                TERMINATED_THRESHOLD);
        controllers = RunningControllers.start(client, options,
                ctx -> PodGarbageCollector.create(ctx, Duration.ofSeconds(1), Duration.ZERO));
    }

    @AfterAll
    static void stop() {
        controllers.close();
        nodes.close();
    }

    @Test
    void podsOfADeletedNodeAreDeleted() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("retired").endMetadata().build()).create();
        Pod a = client.pods().resource(TestObjects.pod(NS, "on-retired-a", "retired", Map.of())).create();
        Pod b = client.pods().resource(TestObjects.pod(NS, "on-retired-b", "retired", Map.of())).create();
        client.pods().resource(TestObjects.pod(NS, "on-live-node", nodes.names().get(0), Map.of())).create();

        client.nodes().withName("retired").delete();

        Await.until("the retired node's pods deleted", () -> client.pods().resource(a).get() == null
                && client.pods().resource(b).get() == null);
        assertThat(client.pods().inNamespace(NS).withName("on-live-node").get()).isNotNull();
    }

    @Test
    void terminatedPodsAboveTheThresholdAreDeletedOldestFirst() throws Exception {
        // created oldest first, under names that sort the other way, so name order cannot pass for age
        List<String> byAge = List.of("done-d", "done-c", "done-b", "done-a");
        for (String name : byAge) {
            Pod p = TestObjects.pod(NS, name, nodes.names().get(0), Map.of());
            p.getMetadata().setAnnotations(Map.of(HollowNodes.EXIT_CODE_ANNOTATION, "0"));
            client.pods().resource(p).create();
            Thread.sleep(1100); // creation timestamps have whole seconds
        }

        Await.until("the two oldest finished pods deleted", () -> client.pods().inNamespace(NS).withName("done-d").get() == null
                && client.pods().inNamespace(NS).withName("done-c").get() == null);
        Await.until("the newest finished", () -> {
            Pod p = client.pods().inNamespace(NS).withName("done-a").get();
            return p != null && "Succeeded".equals(p.getStatus().getPhase());
        });
        assertThat(client.pods().inNamespace(NS).withName("done-b").get()).isNotNull();
        assertThat(client.pods().inNamespace(NS).withName("done-a").get()).isNotNull();
    }
}
