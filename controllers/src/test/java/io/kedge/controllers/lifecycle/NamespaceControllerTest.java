package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.testing.HollowNodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NamespaceControllerTest {
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static RunningControllers controllers;

    @BeforeAll
    static void start() throws Exception {
        client = SharedTestServer.client();
        nodes = new HollowNodes(client, HollowNodes.Spec.of("ns-test", 1)).start();
        TestObjects.widgetCrd(client);
        controllers = RunningControllers.start(client, ControllerContext.Options.defaults(), NamespaceController::create);
    }

    @AfterAll
    static void stop() {
        controllers.close();
        nodes.close();
    }

    @Test
    void deletingANamespaceRemovesItsContentThenTheNamespace() throws Exception {
        String ns = "doomed";
        TestObjects.namespace(client, ns);
        client.configMaps().resource(TestObjects.configMap(ns, "settings")).create();
        client.apps().deployments().resource(new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        String node = nodes.names().get(0);
        client.pods().resource(TestObjects.pod(ns, "bound-a", node, Map.of())).create();
        client.pods().resource(TestObjects.pod(ns, "bound-b", node, Map.of())).create();
        client.pods().resource(TestObjects.pod(ns, "unbound", null, Map.of())).create();
        client.genericKubernetesResources(TestObjects.WIDGET_API_VERSION, "Widget").inNamespace(ns)
                .resource(TestObjects.widget(ns, "gizmo")).create();
        Await.until("bound pods running", () -> client.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null)
                .allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));

        client.namespaces().withName(ns).delete();

        Await.until("namespace removed", () -> client.namespaces().withName(ns).get() == null);
        assertThat(client.configMaps().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.genericKubernetesResources(TestObjects.WIDGET_API_VERSION, "Widget").inNamespace(ns).list().getItems())
                .isEmpty();
    }

    @Test
    void contentHeldByAFinalizerKeepsTheNamespaceTerminatingAndIsNamedInItsConditions() throws Exception {
        String ns = "held";
        TestObjects.namespace(client, ns);
        var cm = TestObjects.configMap(ns, "pinned");
        cm.getMetadata().setFinalizers(List.of("example.com/hold"));
        client.configMaps().resource(cm).create();

        client.namespaces().withName(ns).delete();

        Await.until("conditions naming the finalizer", () -> {
            NamespaceCondition c = condition(client.namespaces().withName(ns).get(), NamespaceConditions.FINALIZERS_REMAINING);
            return c != null && "True".equals(c.getStatus());
        });
        Namespace terminating = client.namespaces().withName(ns).get();
        assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
        assertThat(terminating.getSpec().getFinalizers()).contains("kubernetes");
        assertThat(condition(terminating, NamespaceConditions.FINALIZERS_REMAINING).getMessage())
                .isEqualTo("Some finalizers are remaining: example.com/hold in 1 resource instances");
        assertThat(condition(terminating, NamespaceConditions.CONTENT_REMAINING).getMessage())
                .isEqualTo("Some resources are remaining: configmaps. has 1 resource instances");
        assertThat(condition(terminating, NamespaceConditions.CONTENT_FAILURE).getReason()).isEqualTo("ContentDeleted");

        client.configMaps().inNamespace(ns).withName("pinned").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });

        Await.until("namespace removed", () -> client.namespaces().withName(ns).get() == null);
    }

    private static NamespaceCondition condition(Namespace ns, String type) {
        if (ns == null || ns.getStatus() == null) {
            return null;
        }
        return ns.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
