package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.testing.HollowNodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
    private static final String NS = "gc-test";
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static RunningControllers controllers;

    @BeforeAll
    static void start() throws Exception {
        client = SharedTestServer.client();
        TestObjects.namespace(client, NS);
        nodes = new HollowNodes(client, HollowNodes.Spec.of("gc-test", 1)).start();
        TestObjects.widgetCrd(client);
        controllers = RunningControllers.start(client, ControllerContext.Options.defaults(),
                ctx -> GarbageCollector.create(ctx, Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        controllers.close();
        nodes.close();
    }

    @Test
    void deletingAReplicaSetInTheBackgroundDeletesItsPods() throws Exception {
        ReplicaSet rs = replicaSet("bg", null);
        Pod a = ownedPod("bg-a", rs);
        Pod b = ownedPod("bg-b", rs);

        client.apps().replicaSets().inNamespace(NS).withName("bg").delete();

        Await.until("pods of the deleted replica set gone", () -> gone(a) && gone(b));
    }

    @Test
    void foregroundDeletionRemovesBlockingDependentsBeforeTheOwner() throws Exception {
        Deployment deployment = client.apps().deployments().resource(new DeploymentBuilder()
                .withNewMetadata().withNamespace(NS).withName("fg").endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "fg")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "fg")).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        ReplicaSet rs = replicaSet("fg-1", deployment);
        Pod plain = ownedPod("fg-plain", rs);
        // unbound: a node keeps rewriting a bound pod that a finalizer holds
        Pod held = TestObjects.pod(NS, "fg-held", null, Map.of("app", "fg"));
        held.getMetadata().setOwnerReferences(List.of(TestObjects.ownedBy(rs, true, true)));
        held.getMetadata().setFinalizers(List.of("example.com/hold"));
        held = client.pods().resource(held).create();

        client.apps().deployments().inNamespace(NS).withName("fg").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        Pod heldPod = held;
        Await.until("the held pod being deleted and the other one gone", () -> {
            Pod p = client.pods().inNamespace(NS).withName("fg-held").get();
            return p != null && p.getMetadata().getDeletionTimestamp() != null && gone(plain);
        });
        Deployment waitingDeployment = client.apps().deployments().inNamespace(NS).withName("fg").get();
        ReplicaSet waitingRs = client.apps().replicaSets().inNamespace(NS).withName("fg-1").get();
        assertThat(waitingDeployment.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(waitingDeployment.getMetadata().getFinalizers()).contains("foregroundDeletion");
        assertThat(waitingRs.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(waitingRs.getMetadata().getFinalizers()).contains("foregroundDeletion");

        client.pods().inNamespace(NS).withName("fg-held")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");

        Await.until("the deployment gone after its dependents", () -> gone(deployment));
        assertThat(gone(rs)).isTrue();
        assertThat(gone(heldPod)).isTrue();
    }

    @Test
    void orphanDeletionLeavesDependentsWithoutTheOwnerReference() throws Exception {
        ReplicaSet rs = replicaSet("orphaner", null);
        Pod a = ownedPod("orphan-a", rs);
        Pod b = ownedPod("orphan-b", rs);

        client.apps().replicaSets().inNamespace(NS).withName("orphaner").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        Await.until("the replica set gone", () -> gone(rs));
        for (Pod p : List.of(a, b)) {
            Pod now = client.pods().inNamespace(NS).withName(p.getMetadata().getName()).get();
            assertThat(now).isNotNull();
            assertThat(now.getMetadata().getDeletionTimestamp()).isNull();
            assertThat(now.getMetadata().getOwnerReferences()).isEmpty();
        }
    }

    @Test
    void anOwnerRecreatedUnderTheSameNameIsADifferentOwner() throws Exception {
        ConfigMap first = client.configMaps().resource(TestObjects.configMap(NS, "reborn")).create();
        ConfigMap survivor = client.configMaps().resource(TestObjects.configMap(NS, "survivor")).create();
        ConfigMap orphanOfFirst = configMapOwnedBy("child-of-first", first);
        ConfigMap twoOwners = configMapOwnedBy("child-of-both", first, survivor);

        client.configMaps().inNamespace(NS).withName("reborn").delete();
        Await.until("the first owner gone", () -> gone(first));
        ConfigMap second = client.configMaps().resource(TestObjects.configMap(NS, "reborn")).create();

        Await.until("the dependent of the first owner collected", () -> gone(orphanOfFirst));
        Await.until("the reference to the first owner dropped", () -> client.configMaps().inNamespace(NS)
                .withName("child-of-both").get().getMetadata().getOwnerReferences().size() == 1);
        ConfigMap kept = client.configMaps().inNamespace(NS).withName("child-of-both").get();
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(kept.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid)
                .containsExactly(survivor.getMetadata().getUid());
        assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
        assertThat(gone(twoOwners)).isFalse();
    }

    @Test
    void ownersAndDependentsOfCustomResourcesAreCollected() throws Exception {
        var widgets = client.genericKubernetesResources(TestObjects.WIDGET_API_VERSION, "Widget").inNamespace(NS);
        GenericKubernetesResource ownerWidget = widgets.resource(TestObjects.widget(NS, "owner-widget")).create();
        ConfigMap ownedByWidget = configMapOwnedBy("owned-by-widget", ownerWidget);
        ConfigMap ownerMap = client.configMaps().resource(TestObjects.configMap(NS, "owner-map")).create();
        GenericKubernetesResource dependentWidget = TestObjects.widget(NS, "dependent-widget");
        dependentWidget.getMetadata().setOwnerReferences(List.of(TestObjects.ownedBy(ownerMap, false, false)));
        widgets.resource(dependentWidget).create();

        widgets.withName("owner-widget").delete();
        client.configMaps().inNamespace(NS).withName("owner-map").delete();

        Await.until("the config map owned by the widget collected", () -> gone(ownedByWidget));
        Await.until("the widget owned by the config map collected", () -> widgets.withName("dependent-widget").get() == null);
    }

    private static ReplicaSet replicaSet(String name, HasMetadata owner) {
        ReplicaSetBuilder b = new ReplicaSetBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().withMatchLabels(Map.of("rs", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("rs", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec();
        ReplicaSet rs = b.build();
        if (owner != null) {
            rs.getMetadata().setOwnerReferences(List.of(TestObjects.ownedBy(owner, true, true)));
        }
        return client.apps().replicaSets().resource(rs).create();
    }

    private static Pod ownedPod(String name, HasMetadata owner) {
        Pod p = TestObjects.pod(NS, name, nodes.names().get(0), Map.of());
        p.getMetadata().setOwnerReferences(List.of(TestObjects.ownedBy(owner, true, true)));
        return client.pods().resource(p).create();
    }

    private static ConfigMap configMapOwnedBy(String name, HasMetadata... owners) {
        ConfigMap cm = TestObjects.configMap(NS, name);
        cm.getMetadata().setOwnerReferences(java.util.Arrays.stream(owners).map(o -> TestObjects.ownedBy(o, false, false)).toList());
        return client.configMaps().resource(cm).create();
    }

    /** Whether the object with that very uid is gone (a new one of the same name does not count). */
    private static boolean gone(HasMetadata o) {
        HasMetadata now = client.resource(o).get();
        return now == null || !now.getMetadata().getUid().equals(o.getMetadata().getUid());
    }
}
