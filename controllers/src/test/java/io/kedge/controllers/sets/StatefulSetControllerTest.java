package io.kedge.controllers.sets;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.HollowNodes;
import io.kedge.controllers.testing.TestServer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatefulSetControllerTest {
    /** Pods pinned here are never run: no kubelet, hollow or real, answers for it. */
    private static final String NO_KUBELET = "no-kubelet";
    private static TestServer server;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static ControllerManager manager;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        nodes = new HollowNodes(client, HollowNodes.Spec.of("sts", 1)).start();
        manager = new ControllerManager(ComponentClients.controllers(client), "kedge-controllers", "statefulset-test",
                List.of(StatefulSetController::create),
                ControllerContext.Options.defaults(), () -> { });
        manager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
        nodes.close();
        client.close();
        server.close();
    }

    @Test
    void anOrderedSetCreatesItsPodsInOrderWithStableIdentitiesAndScalesDownFromTheHighest() {
        List<String> added = new CopyOnWriteArrayList<>();
        List<String> deleted = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> watch = client.pods().inNamespace("default").withLabel("sts", "web").inform(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod p) { added.add(p.getMetadata().getName()); }
            @Override public void onUpdate(Pod o, Pod p) { }
            @Override public void onDelete(Pod p, boolean unknown) { deleted.add(p.getMetadata().getName()); }
        });
        try {
            create("web", 3, "sts-0", "OrderedReady", "web:1", "RollingUpdate", 0);
            await("web has 3 ready replicas", () -> status("web").getReadyReplicas() == 3);
            assertThat(added).containsExactly("web-0", "web-1", "web-2");
            Pod web1 = pod("web-1");
            assertThat(web1.getSpec().getHostname()).isEqualTo("web-1");
            assertThat(web1.getSpec().getSubdomain()).isEqualTo("web");
            assertThat(web1.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-1")
                    .containsEntry("apps.kubernetes.io/pod-index", "1")
                    .containsEntry(Revisions.POD_LABEL, status("web").getUpdateRevision());

            client.apps().statefulSets().inNamespace("default").withName("web").scale(1);
            await("web is down to web-0", () -> deleted.size() == 2 && status("web").getReplicas() == 1);
            assertThat(deleted).containsExactly("web-2", "web-1");
            assertThat(pod("web-0").getMetadata().getDeletionTimestamp()).isNull();
        } finally {
            watch.close();
        }
    }

    @Test
    void orderedReadyWaitsForEachPodToBeReadyWhileParallelCreatesThemAllAtOnce() {
        create("slow", 2, NO_KUBELET, "OrderedReady", "slow:1", "RollingUpdate", 0);
        create("fast", 3, NO_KUBELET, "Parallel", "fast:1", "RollingUpdate", 0);
        await("fast has all three pods though none is ready", () -> status("fast").getReplicas() == 3);
        assertThat(status("fast").getReadyReplicas()).isZero();
        await("slow has slow-0 in its status", () -> status("slow").getReplicas() == 1);
        assertThat(pod("slow-1")).as("slow-1 waits for slow-0 to be ready").isNull();

        runAsTheKubeletWould(pod("slow-0"));
        await("slow-1 is created once slow-0 is ready", () -> pod("slow-1") != null);
    }

    @Test
    void aPartitionedRollingUpdateTouchesOnlyOrdinalsAtOrAboveThePartitionUntilItIsLowered() {
        create("part", 3, "sts-0", "OrderedReady", "part:1", "RollingUpdate", 2);
        await("part has 3 ready replicas", () -> status("part").getReadyReplicas() == 3);
        String uid0 = pod("part-0").getMetadata().getUid();
        String uid1 = pod("part-1").getMetadata().getUid();
        String firstRevision = status("part").getCurrentRevision();

        client.apps().statefulSets().inNamespace("default").withName("part").edit(s -> new StatefulSetBuilder(s).editSpec()
                .editTemplate().editSpec().editFirstContainer().withImage("part:2").endContainer().endSpec().endTemplate().endSpec().build());

        await("part-2 runs part:2 and is ready", () -> image(pod("part-2")).equals("part:2") && status("part").getUpdatedReplicas() == 1
                && status("part").getReadyReplicas() == 3);
        assertThat(image(pod("part-0"))).isEqualTo("part:1");
        assertThat(image(pod("part-1"))).isEqualTo("part:1");
        assertThat(pod("part-0").getMetadata().getUid()).isEqualTo(uid0);
        assertThat(pod("part-1").getMetadata().getUid()).isEqualTo(uid1);
        assertThat(status("part").getCurrentRevision()).isEqualTo(firstRevision).isNotEqualTo(status("part").getUpdateRevision());

        client.apps().statefulSets().inNamespace("default").withName("part").edit(s -> new StatefulSetBuilder(s).editSpec()
                .editUpdateStrategy().editRollingUpdate().withPartition(0).endRollingUpdate().endUpdateStrategy().endSpec().build());
        await("the update completes once the partition is 0", () -> status("part").getUpdatedReplicas() == 3
                && status("part").getReadyReplicas() == 3 && status("part").getCurrentRevision().equals(status("part").getUpdateRevision()));
        assertThat(List.of(pod("part-0"), pod("part-1"), pod("part-2"))).extracting(StatefulSetControllerTest::image).containsOnly("part:2");
    }

    @Test
    void onDeleteReplacesAPodWithTheNewTemplateOnlyWhenThePodIsDeleted() {
        create("manual", 2, "sts-0", "Parallel", "manual:1", "OnDelete", 0);
        await("manual has 2 ready replicas", () -> status("manual").getReadyReplicas() == 2);

        StatefulSet edited = client.apps().statefulSets().inNamespace("default").withName("manual").edit(s -> new StatefulSetBuilder(s)
                .editSpec().editTemplate().editSpec().editFirstContainer().withImage("manual:2").endContainer().endSpec().endTemplate()
                .endSpec().build());
        await("the controller has seen the new template", () -> {
            StatefulSet s = client.apps().statefulSets().inNamespace("default").withName("manual").get();
            return s.getStatus().getObservedGeneration() >= edited.getMetadata().getGeneration()
                    && !s.getStatus().getUpdateRevision().equals(s.getStatus().getCurrentRevision());
        });
        assertThat(List.of(pod("manual-0"), pod("manual-1"))).extracting(StatefulSetControllerTest::image).containsOnly("manual:1");

        client.pods().inNamespace("default").withName("manual-1").delete();
        await("manual-1 comes back with manual:2", () -> {
            Pod p = pod("manual-1");
            return p != null && image(p).equals("manual:2") && p.getMetadata().getDeletionTimestamp() == null;
        });
        assertThat(image(pod("manual-0"))).isEqualTo("manual:1");
    }

    private static void create(String name, int replicas, String node, String policy, String image, String strategy,
                               int partition) {
        StatefulSetBuilder b = new StatefulSetBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withPodManagementPolicy(policy)
                .withNewSelector().addToMatchLabels("sts", name).endSelector()
                .withNewUpdateStrategy().withType(strategy).endUpdateStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("sts", name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec();
        if ("RollingUpdate".equals(strategy)) {
            b.editSpec().editUpdateStrategy().withNewRollingUpdate().withPartition(partition).endRollingUpdate().endUpdateStrategy().endSpec();
        }
        client.apps().statefulSets().inNamespace("default").resource(b.build()).create();
    }

    private static io.fabric8.kubernetes.api.model.apps.StatefulSetStatus status(String name) {
        StatefulSet s = client.apps().statefulSets().inNamespace("default").withName(name).get();
        return s.getStatus() == null ? new io.fabric8.kubernetes.api.model.apps.StatefulSetStatus() : s.getStatus();
    }

    private static Pod pod(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static String image(Pod p) {
        return p.getSpec().getContainers().get(0).getImage();
    }

    /** What a kubelet does once the pod's containers run, done here for a pod on a node no kubelet serves. */
    private static void runAsTheKubeletWould(Pod p) {
        String now = Instant.now().toString();
        p.getStatus().setPhase("Running");
        p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime(now).build()));
        client.pods().inNamespace("default").resource(p).updateStatus();
    }
}
