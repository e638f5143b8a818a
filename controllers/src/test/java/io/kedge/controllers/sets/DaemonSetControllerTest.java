package io.kedge.controllers.sets;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.HollowNodes;
import io.kedge.controllers.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DaemonSetControllerTest {
    private static TestServer server;
    private static KubernetesClient client;
    private static HollowNodes plainNodes;
    private static HollowNodes edgeNodes;
    private static TestBinder binder;
    private static ControllerManager manager;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        plainNodes = new HollowNodes(client, HollowNodes.Spec.of("ds-cloud", 2)).start();
        edgeNodes = new HollowNodes(client, HollowNodes.Spec.of("ds-edge", 1).withLabels(Map.of("kedge.io/edge", "true"))
                .withTaints(List.of(new TaintBuilder().withKey("kedge.io/edge").withValue("true").withEffect("NoSchedule").build()))).start();
        binder = new TestBinder(client).start();
        manager = new ControllerManager(ComponentClients.controllers(client), "kedge-controllers", "daemonset-test",
                List.of(DaemonSetController::create),
                ControllerContext.Options.defaults(), () -> { });
        manager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
        binder.close();
        edgeNodes.close();
        plainNodes.close();
        client.close();
        server.close();
    }

    @Test
    void aDaemonSetRunsOnEveryNodeAndOnATaintedEdgeNodeOnlyWhenItToleratesTheTaint() {
        create("agent", "agent:1");
        create("edge-agent", "agent:1", new TolerationBuilder().withKey("kedge.io/edge").withOperator("Exists").withEffect("NoSchedule").build());

        DaemonSet agent = await("agent is ready on both untainted nodes", () -> ready("agent", 2));
        assertThat(agent.getStatus().getDesiredNumberScheduled()).isEqualTo(2);
        assertThat(agent.getStatus().getNumberMisscheduled()).isZero();
        assertThat(nodesOf("agent")).containsExactlyInAnyOrder("ds-cloud-0", "ds-cloud-1");

        await("edge-agent is ready on all three nodes", () -> ready("edge-agent", 3));
        assertThat(nodesOf("edge-agent")).containsExactlyInAnyOrder("ds-cloud-0", "ds-cloud-1", "ds-edge-0");
        Pod one = pods("edge-agent").get(0);
        assertThat(one.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getController()).isTrue()).satisfies(r -> assertThat(r.getBlockOwnerDeletion()).isTrue());
        assertThat(one.getSpec().getTolerations()).extracting(Toleration::getKey)
                .contains("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready", "node.kubernetes.io/unschedulable");
    }

    @Test
    void anImageChangeRollsOutToEveryNodeUnderANewRevision() {
        create("roller", "roller:1");
        DaemonSet before = await("roller is ready on both untainted nodes", () -> ready("roller", 2));
        String oldHash = pods("roller").get(0).getMetadata().getLabels().get(Revisions.POD_LABEL);

        client.apps().daemonSets().inNamespace("default").withName("roller")
                .edit(d -> new DaemonSetBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer().withImage("roller:2")
                        .endContainer().endSpec().endTemplate().endSpec().build());

        DaemonSet after = await("every roller pod runs roller:2", () -> {
            DaemonSet d = client.apps().daemonSets().inNamespace("default").withName("roller").get();
            List<Pod> ps = pods("roller");
            boolean allNew = ps.size() == 2 && ps.stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("roller:2")
                    && p.getMetadata().getDeletionTimestamp() == null);
            return allNew && d.getStatus().getUpdatedNumberScheduled() == 2 && d.getStatus().getNumberAvailable() == 2
                    && d.getStatus().getObservedGeneration().equals(d.getMetadata().getGeneration()) ? d : null;
        });
        assertThat(after.getMetadata().getGeneration()).isGreaterThan(before.getMetadata().getGeneration());
        String newHash = pods("roller").get(0).getMetadata().getLabels().get(Revisions.POD_LABEL);
        assertThat(newHash).isNotEqualTo(oldHash);
        List<ControllerRevision> revisions = client.apps().controllerRevisions().inNamespace("default").list().getItems().stream()
                .filter(r -> r.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(after.getMetadata().getUid())))
                .toList();
        assertThat(revisions).extracting(r -> r.getMetadata().getLabels().get(Revisions.POD_LABEL)).containsExactlyInAnyOrder(oldHash, newHash);
        assertThat(revisions).filteredOn(r -> r.getMetadata().getName().equals("roller-" + newHash))
                .singleElement().extracting(ControllerRevision::getRevision).isEqualTo(2L);
    }

    private static void create(String name, String image, Toleration... tolerations) {
        client.apps().daemonSets().inNamespace("default").resource(new DaemonSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("ds", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("ds", name).endMetadata()
                .withNewSpec().withTolerations(tolerations).addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    private static DaemonSet ready(String name, int n) {
        DaemonSet d = client.apps().daemonSets().inNamespace("default").withName(name).get();
        return d.getStatus() != null && Integer.valueOf(n).equals(d.getStatus().getNumberReady())
                && Integer.valueOf(n).equals(d.getStatus().getCurrentNumberScheduled()) ? d : null;
    }

    private static List<Pod> pods(String name) {
        return client.pods().inNamespace("default").withLabel("ds", name).list().getItems();
    }

    private static Set<String> nodesOf(String name) {
        return pods(name).stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
    }
}
