package io.kedge.controllers.units;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.kedge.api.Json;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.EventRecorder;
import io.kedge.controllers.nodes.Timestamps;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.TestServer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EdgeUnit and UnitDeployment controllers against a real API server, with Node objects standing in for agents. */
class UnitControllersTest {
    private static TestServer server;
    private static KubernetesClient client;
    private static SharedInformerFactory informers;
    private static List<Controller> controllers;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        KubernetesClient asControllers = ComponentClients.controllers(client);
        informers = asControllers.informers();
        ControllerContext ctx = new ControllerContext(asControllers, informers,
                new EventRecorder(asControllers, "kedge-controllers", Clock.systemUTC()), Clock.systemUTC(),
                ControllerContext.Options.defaults());
        controllers = List.of(EdgeUnitController.create(ctx), UnitDeploymentController.create(ctx));
        informers.startAllRegisteredInformers().get(60, TimeUnit.SECONDS);
        controllers.forEach(Controller::start);
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("shop").endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        if (controllers != null) controllers.forEach(Controller::close);
        if (informers != null) informers.stopAllRegisteredInformers();
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private static void createNode(String name, String unit, boolean ready) {
        Node n = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of(EdgeUnit.UNIT_LABEL, unit)).endMetadata().build()).create();
        NodeCondition c = new NodeConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withReason("Test").withLastHeartbeatTime(Timestamps.format(Instant.now()))
                .withLastTransitionTime(Timestamps.format(Instant.now())).build();
        n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().withConditions(c).build());
        client.nodes().resource(n).updateStatus();
    }

    private static EdgeUnit unit(String name) {
        return client.resources(EdgeUnit.class).withName(name).get();
    }

    private static Node node(String name) {
        return client.nodes().withName(name).get();
    }

    @Test
    void aNodeNamingAnUnknownUnitCreatesItAndTheStatusCountsItsMembers() {
        createNode("lab-1", "lab", true);
        createNode("lab-2", "lab", false);
        EdgeUnit u = await("EdgeUnit lab lists both nodes", () -> {
            EdgeUnit x = unit("lab");
            return x != null && x.getStatus() != null && x.getStatus().nodes.size() == 2 ? x : null;
        });
        assertThat(u.getSpec().type).isEqualTo("Edge");
        assertThat(u.getStatus().readyNodes).containsExactly("lab-1");
        assertThat(u.getStatus().conditions.get(0).getReason()).isEqualTo("NodesNotReady");
    }

    @Test
    void theUnitsPushFollowsItsSpecAndLeavesWithTheNode() {
        createNode("east-1", "east", true);
        client.nodes().withName("east-1").edit(n -> {
            n.getMetadata().getLabels().put("rack", "r1");
            return n;
        });
        await("EdgeUnit east exists", () -> unit("east"));
        client.resources(EdgeUnit.class).withName("east").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"labels\":{\"zone\":\"e\",\"tier\":\"1\"},\"annotations\":{\"owner\":\"ops\"},"
                        + "\"taints\":[{\"key\":\"site\",\"value\":\"east\",\"effect\":\"NoSchedule\"}]}}");
        await("east-1 carries the unit's push", () -> {
            Node n = node("east-1");
            return "e".equals(n.getMetadata().getLabels().get("zone")) && "ops".equals(n.getMetadata().getAnnotations().get("owner"))
                    && n.getSpec().getTaints().stream().anyMatch(t -> "site".equals(t.getKey()));
        });

        client.resources(EdgeUnit.class).withName("east").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"labels\":{\"tier\":null},\"annotations\":null,\"taints\":null}}");
        Node changed = await("east-1 loses what the unit no longer pushes", () -> {
            Node n = node("east-1");
            return !n.getMetadata().getLabels().containsKey("tier") && !n.getMetadata().getAnnotations().containsKey("owner")
                    && n.getSpec().getTaints().isEmpty() ? n : null;
        });
        assertThat(changed.getMetadata().getLabels()).containsEntry("zone", "e").containsEntry("rack", "r1");

        client.nodes().withName("east-1").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"kedge.io/unit\":null}}}");
        Node left = await("east-1 loses the push when it leaves the unit", () -> {
            Node n = node("east-1");
            return !n.getMetadata().getLabels().containsKey("zone")
                    && !n.getMetadata().getAnnotations().containsKey(Pushed.ANNOTATION) ? n : null;
        });
        assertThat(left.getMetadata().getLabels()).containsEntry("rack", "r1");
        await("EdgeUnit east no longer lists east-1", () -> unit("east").getStatus().nodes.isEmpty());
    }

    @Test
    void aUnitDeploymentRunsOneDeploymentPerUnitWithItsOverridesAndDropsRemovedUnits() throws Exception {
        Deployment foreign = new DeploymentBuilder().withNewMetadata().withName("echo-north").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "other").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "other").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("other:1").endContainer().endSpec().endTemplate().endSpec().build();
        client.apps().deployments().inNamespace("shop").resource(foreign).create();
        UnitDeployment ud = UnitDeploymentPlanTest.ud("");
        ud.getMetadata().setUid(null);
        ud.getSpec().units = List.of("east", "west", "north");
        client.resources(UnitDeployment.class).inNamespace("shop").resource(ud).create();

        Deployment east = await("echo-east", () -> client.apps().deployments().inNamespace("shop").withName("echo-east").get());
        await("echo-west", () -> client.apps().deployments().inNamespace("shop").withName("echo-west").get());
        assertThat(east.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("kedge.io/unit", "east");
        assertThat(east.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("echo");

        client.resources(UnitDeployment.class).inNamespace("shop").withName("echo").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"overrides\":[{\"unit\":\"west\",\"images\":[{\"container\":\"web\",\"image\":\"httpd:2.5\"}]}]}}");
        await("west runs httpd:2.5", () -> "httpd:2.5".equals(image("echo-west")));
        assertThat(image("echo-east")).isEqualTo("httpd:2.4");

        var east1 = client.apps().deployments().inNamespace("shop").withName("echo-east").get();
        east1.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withObservedGeneration(
                east1.getMetadata().getGeneration()).withReplicas(2).withUpdatedReplicas(2).withReadyReplicas(2)
                .withAvailableReplicas(2).build());
        client.apps().deployments().inNamespace("shop").resource(east1).updateStatus();
        UnitDeployment withStatus = await("the status shows east ready", () -> {
            UnitDeployment x = client.resources(UnitDeployment.class).inNamespace("shop").withName("echo").get();
            return x.getStatus() != null && Integer.valueOf(1).equals(x.getStatus().readyUnits) ? x : null;
        });
        assertThat(withStatus.getStatus().units).extracting(s -> s.name + "=" + s.readyReplicas + "/" + s.replicas)
                .containsExactly("east=2/2", "west=0/2", "north=0/2");

        client.resources(UnitDeployment.class).inNamespace("shop").withName("echo").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"units\":[\"east\",\"north\"],\"overrides\":null}}");
        await("echo-west is deleted", () -> client.apps().deployments().inNamespace("shop").withName("echo-west").get() == null);
        Deployment stillForeign = client.apps().deployments().inNamespace("shop").withName("echo-north").get();
        assertThat(stillForeign.getMetadata().getOwnerReferences()).as("a Deployment it did not make is never touched").isEmpty();
        assertThat(stillForeign.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getImage)
                .containsExactly("other:1");
        assertThat(Json.MAPPER.valueToTree(stillForeign.getMetadata().getAnnotations()).toString())
                .doesNotContain(UnitDeploymentPlan.HASH_ANNOTATION);
    }

    private static String image(String deployment) {
        return client.apps().deployments().inNamespace("shop").withName(deployment).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
