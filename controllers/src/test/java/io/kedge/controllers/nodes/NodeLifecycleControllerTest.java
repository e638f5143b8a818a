package io.kedge.controllers.nodes;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.HollowNodes;
import io.kedge.controllers.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
    /** Above the hollow nodes' 10 s lease renewal, so that only a stopped heartbeat goes stale. */
    private static final Duration GRACE = Duration.ofSeconds(14);
    private static TestServer server;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static HollowNodes edgeNodes;
    private static ControllerManager manager;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        nodes = new HollowNodes(client, HollowNodes.Spec.of("life", 2)).start();
        edgeNodes = new HollowNodes(client, HollowNodes.Spec.of("cut", 2).withLabels(java.util.Map.of("kedge.io/edge", "true"))).start();
        ControllerContext.Options options = new ControllerContext.Options("10.42.0.0/16", 24, GRACE, Duration.ofSeconds(300), 12_500);
        manager = new ControllerManager(ComponentClients.controllers(client), "kedge-controllers", "node-lifecycle-test",
                List.of(NodeLifecycleController::create, TaintEvictionController::create), options, () -> { });
        manager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
        nodes.close();
        edgeNodes.close();
        client.close();
        server.close();
    }

    @Test
    void aSilentNodeGoesUnknownIsTaintedItsPodsGoNotReadyAndOnlyPodsPastTheirTolerationAreEvictedUntilItRecovers() {
        createPod("short", "life-0", unreachableFor(3L));
        createPod("forever", "life-0", unreachableFor(null));
        await("both pods run on life-0", () -> ready(pod("short")) && ready(pod("forever")));

        nodes.stopHeartbeat("life-0");

        NodeCondition readyCondition = await("life-0 is Ready=Unknown", () -> {
            NodeCondition c = condition(node("life-0"), "Ready");
            return "Unknown".equals(c.getStatus()) ? c : null;
        });
        assertThat(readyCondition.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(readyCondition.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(condition(node("life-0"), "MemoryPressure").getStatus()).isEqualTo("Unknown");

        List<Taint> taints = await("life-0 is tainted unreachable", () -> {
            List<Taint> t = node("life-0").getSpec().getTaints();
            return t.stream().anyMatch(x -> NodeTaints.UNREACHABLE.equals(x.getKey()) && "NoExecute".equals(x.getEffect())) ? t : null;
        });
        assertThat(taints).extracting(Taint::getKey, Taint::getEffect).contains(
                org.assertj.core.api.Assertions.tuple(NodeTaints.UNREACHABLE, "NoSchedule"),
                org.assertj.core.api.Assertions.tuple(NodeTaints.UNREACHABLE, "NoExecute"));
        assertThat(taints).filteredOn(t -> "NoExecute".equals(t.getEffect())).allSatisfy(t -> assertThat(t.getTimeAdded()).isNotNull());

        await("the pods on life-0 are marked not ready", () -> !ready(pod("short")) && !ready(pod("forever")));
        Pod evicted = await("the pod tolerating unreachable for 3 s is evicted",
                () -> pod("short").getMetadata().getDeletionTimestamp() != null ? pod("short") : null);
        assertThat(evicted.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getReason)
                .contains(org.assertj.core.api.Assertions.tuple("DisruptionTarget", "DeletionByTaintManager"));
        Instant taintedAt = Instant.parse(taints.stream().filter(t -> "NoExecute".equals(t.getEffect())).findFirst().orElseThrow().getTimeAdded());
        assertThat(Instant.parse(evicted.getMetadata().getDeletionTimestamp())).isAfterOrEqualTo(taintedAt.plusSeconds(3));
        assertThat(pod("forever").getMetadata().getDeletionTimestamp()).as("the pod tolerating unreachable forever stays").isNull();
        assertThat(condition(node("life-1"), "Ready").getStatus()).as("the other node is untouched").isEqualTo("True");
        assertThat(node("life-1").getSpec().getTaints()).isEmpty();

        nodes.resumeHeartbeat("life-0");
        postReadyAsTheKubeletWould("life-0");
        await("life-0's controller taints are gone", () -> node("life-0").getSpec().getTaints().stream().noneMatch(NodeTaints::managed));
        assertThat(pod("forever").getMetadata().getDeletionTimestamp()).isNull();
    }

    @Test
    void aNoExecuteTaintEvictsThePodsThatDoNotTolerateItAtOnceAndKeepsThoseThatDo() {
        createPod("plain", "life-1");
        createPod("patient", "life-1", new TolerationBuilder().withKey("example.com/maintenance").withOperator("Exists")
                .withEffect("NoExecute").build());
        await("both pods run on life-1", () -> ready(pod("plain")) && ready(pod("patient")));

        client.nodes().withName("life-1").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"taints\":[{\"key\":\"example.com/maintenance\",\"value\":\"yes\",\"effect\":\"NoExecute\"}]}}");

        await("the pod without a toleration is evicted", () -> {
            Pod p = client.pods().inNamespace("default").withName("plain").get();
            return p == null || p.getMetadata().getDeletionTimestamp() != null;
        });
        assertThat(pod("patient").getMetadata().getDeletionTimestamp()).isNull();
        client.nodes().withName("life-1").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"taints\":null}}");
    }

    @Test
    void aCutOffEdgeNodeKeepsItsPodsBoundAndReadyShowsItsAutonomyAndOnlyStopsNewPodsUntilItIsBack() {
        createPod("steady", "cut-0");
        await("the pod runs on cut-0", () -> ready(pod("steady")));

        edgeNodes.stopHeartbeat("cut-0");

        NodeCondition autonomy = await("cut-0 shows EdgeAutonomy=True", () -> {
            Node n = node("cut-0");
            NodeCondition c = n.getStatus().getConditions().stream().filter(x -> "EdgeAutonomy".equals(x.getType()))
                    .findFirst().orElse(null);
            return c != null && "True".equals(c.getStatus()) ? c : null;
        });
        assertThat(autonomy.getReason()).isEqualTo("CutOffFromCloud");
        assertThat(autonomy.getMessage()).contains("stay bound and ready with no time limit");
        assertThat(condition(node("cut-0"), "Ready").getStatus()).isEqualTo("Unknown");
        await("cut-0 is tainted unreachable:NoSchedule", () -> node("cut-0").getSpec().getTaints().stream()
                .anyMatch(t -> NodeTaints.UNREACHABLE.equals(t.getKey()) && "NoSchedule".equals(t.getEffect())));
        assertThat(node("cut-0").getSpec().getTaints()).as("no NoExecute taint: nothing is evicted")
                .noneMatch(t -> "NoExecute".equals(t.getEffect()));
        assertThat(ready(pod("steady"))).as("the pod stays in its Services' endpoints").isTrue();
        assertThat(pod("steady").getMetadata().getDeletionTimestamp()).isNull();

        edgeNodes.resumeHeartbeat("cut-0");
        postReadyAsTheKubeletWould("cut-0");
        NodeCondition back = await("cut-0's EdgeAutonomy turns False", () -> {
            NodeCondition c = condition(node("cut-0"), "EdgeAutonomy");
            return "False".equals(c.getStatus()) ? c : null;
        });
        assertThat(back.getReason()).isEqualTo("CloudReachable");
        await("cut-0's controller taints are gone", () -> node("cut-0").getSpec().getTaints().stream().noneMatch(NodeTaints::managed));
    }

    @Test
    void anEdgeNodeWhoseAutonomyRunsOutIsTreatedAsUpstreamTreatsAnUnreachableNode() {
        client.nodes().withName("cut-1").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + EdgeAutonomyPolicy.AUTONOMY_ANNOTATION + "\":\"2s\"}}}");
        createPod("brief", "cut-1", unreachableFor(1L));
        await("the pod runs on cut-1", () -> ready(pod("brief")));

        edgeNodes.stopHeartbeat("cut-1");

        NodeCondition expired = await("cut-1's autonomy ends", () -> {
            NodeCondition c = node("cut-1").getStatus().getConditions().stream()
                    .filter(x -> "EdgeAutonomy".equals(x.getType()) && "AutonomyExpired".equals(x.getReason())).findFirst().orElse(null);
            return c;
        });
        assertThat(expired.getStatus()).isEqualTo("False");
        await("cut-1 is tainted unreachable:NoExecute", () -> node("cut-1").getSpec().getTaints().stream()
                .anyMatch(t -> NodeTaints.UNREACHABLE.equals(t.getKey()) && "NoExecute".equals(t.getEffect())));
        await("the pod on cut-1 is evicted", () -> {
            Pod p = client.pods().inNamespace("default").withName("brief").get();
            return p == null || p.getMetadata().getDeletionTimestamp() != null;
        });
    }

    private static Toleration unreachableFor(Long seconds) {
        return new TolerationBuilder().withKey(NodeTaints.UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(seconds).build();
    }

    private static void createPod(String name, String node, Toleration... tolerations) {
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).withTolerations(tolerations)
                .addNewContainer().withName("c").withImage("busybox:1").endContainer().endSpec().build()).create();
    }

    private static Pod pod(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static Node node(String name) {
        return client.nodes().withName(name).get();
    }

    private static boolean ready(Pod p) {
        return p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static NodeCondition condition(Node n, String type) {
        return n.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    /** HollowNodes only renews the lease; a kubelet would also post Ready=True again, which this does in its place. */
    private static void postReadyAsTheKubeletWould(String name) {
        Node n = node(name);
        NodeCondition ready = condition(n, "Ready");
        ready.setStatus("True");
        ready.setReason("KubeletReady");
        ready.setMessage("kubelet is posting ready status");
        String now = Timestamps.format(Instant.now());
        ready.setLastHeartbeatTime(now);
        ready.setLastTransitionTime(now);
        client.nodes().resource(n).updateStatus();
    }
}
