package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kedge.controllers.testing.HollowNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * EdgeUnits and UnitDeployments through kubectl 1.35 against a real {@code kedge server}, whose own
 * controllers do the work. Node objects made through the API stand in for the agents of units east
 * and west; hollow nodes (which renew their leases) stand in for a unit whose peers judge a silent node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeUnitScenarioTest {
    private static final Duration LONG = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    private static ServerProcess server;
    private static KubernetesClient client;
    private static Cli kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ServerProcess(dir.resolve("server"), List.of("--node-monitor-grace-period=20s")).start();
        client = Fabric8ClientTest.client(server);
        kubectl = new Cli("kubectl-1.35", server.kubeconfig());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void aNodeLabelledWithANewUnitCreatesTheEdgeUnitAndKubectlShowsItsTypeNodesAndReadyNodes() throws Exception {
        fakeNode("east-1", "east", true);
        fakeNode("east-2", "east", false);
        fakeNode("west-1", "west", true);

        List<String> rows = Await.until("kubectl lists east and west with their members", LONG, () -> {
            List<String> lines = kubectl.run("get", "edgeunits").ok().out().lines().toList();
            return lines.size() == 3 && cells(lines.get(1)).get(2).equals("2") && cells(lines.get(2)).get(2).equals("1")
                    ? lines : null;
        });
        assertThat(cells(rows.get(0))).containsExactly("NAME", "TYPE", "NODES", "READY", "AGE");
        assertThat(cells(rows.get(1))).startsWith("east", "Edge", "2", "1");
        assertThat(cells(rows.get(2))).startsWith("west", "Edge", "1", "1");
        assertThat(kubectl.run("get", "edgeunit", "east", "-o",
                "jsonpath={.status.readyNodes} {.status.conditions[?(@.type==\"Ready\")].reason}").ok().out())
                .isEqualTo("[\"east-1\"] NodesNotReady");
    }

    @Test
    @Order(2)
    void aUnitsLabelsAndTaintsPropagateToItsNodesAndRemovingThemUnPropagatesOnlyThose() throws Exception {
        kubectl.run("label", "node", "east-1", "rack=r7").ok();
        kubectl.run("patch", "edgeunit", "east", "--type=merge", "-p",
                "{\"spec\":{\"labels\":{\"site\":\"east-dc\"},\"taints\":[{\"key\":\"site\",\"value\":\"east\",\"effect\":\"NoSchedule\"}]}}").ok();
        Await.until("both east nodes carry site=east-dc", LONG,
                () -> words(kubectl.run("get", "nodes", "-l", "site=east-dc", "-o", "name").ok().out())
                        .equals(List.of("node/east-1", "node/east-2")));
        Await.until("east-2 has the unit's taint", LONG,
                () -> kubectl.run("get", "node", "east-2", "-o", "jsonpath={.spec.taints[*].key}").ok().out().contains("site"));
        assertThat(kubectl.run("get", "node", "west-1", "-o", "jsonpath={.metadata.labels.site}").ok().out())
                .as("another unit's node is untouched").isEmpty();

        kubectl.run("patch", "edgeunit", "east", "--type=merge", "-p", "{\"spec\":{\"labels\":null,\"taints\":null}}").ok();
        Await.until("no node carries site=east-dc", LONG,
                () -> kubectl.run("get", "nodes", "-l", "site=east-dc", "-o", "name").ok().out().isBlank());
        Await.until("east-2's taint is gone", LONG,
                () -> !words(kubectl.run("get", "node", "east-2", "-o", "jsonpath={.spec.taints[*].key}").ok().out()).contains("site"));
        assertThat(kubectl.run("get", "node", "east-1", "-o", "jsonpath={.metadata.labels.rack}").ok().out())
                .as("a label the unit did not push stays").isEqualTo("r7");
    }

    @Test
    @Order(3)
    void aUnitDeploymentRunsOneDeploymentPerUnitAnImageOverrideChangesOneUnitAndADroppedUnitLosesItsDeployment()
            throws Exception {
        kubectl.runWithInput("""
                apiVersion: edge.kedge.io/v1alpha1
                kind: UnitDeployment
                metadata: {name: echo, namespace: default}
                spec:
                  units: [east, west]
                  template:
                    metadata: {labels: {app: echo}}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: echo}}
                      template:
                        metadata: {labels: {app: echo}}
                        spec:
                          containers:
                          - {name: web, image: "localhost:5000/echo:1"}
                """, "apply", "-f", "-").ok();
        // the template gets a Deployment's defaults, as a Deployment written by hand would
        assertThat(kubectl.run("get", "unitdeployment", "echo", "-o", "jsonpath={.spec.template.spec.strategy.type} "
                + "{.spec.template.spec.template.spec.containers[0].imagePullPolicy}").ok().out()).isEqualTo("RollingUpdate IfNotPresent");
        Await.until("echo-east and echo-west exist", LONG, () -> words(kubectl.run("get", "deployments", "-o",
                "jsonpath={.items[*].metadata.name}").ok().out()).equals(List.of("echo-east", "echo-west")));
        assertThat(kubectl.run("get", "deployment", "echo-east", "-o",
                "jsonpath={.spec.template.spec.nodeSelector.kedge\\.io/unit} {.metadata.ownerReferences[0].kind}").ok().out())
                .isEqualTo("east UnitDeployment");

        List<String> table = Await.until("kubectl shows the units and desired replicas", LONG, () -> {
            List<String> lines = kubectl.run("get", "unitdeployments").ok().out().lines().toList();
            return lines.size() == 2 && cells(lines.get(1)).get(3).equals("4") ? lines : null;
        });
        assertThat(cells(table.get(0))).containsExactly("NAME", "UNITS", "READY", "DESIRED", "AGE");
        assertThat(cells(table.get(1))).startsWith("echo", "2", "0", "4");

        kubectl.run("patch", "unitdeployment", "echo", "--type=merge", "-p",
                "{\"spec\":{\"overrides\":[{\"unit\":\"west\",\"images\":[{\"container\":\"web\",\"image\":\"localhost:5000/echo:2\"}]}]}}").ok();
        Await.until("west runs echo:2", LONG, () -> image("echo-west").equals("localhost:5000/echo:2"));
        assertThat(image("echo-east")).as("the override changes one unit only").isEqualTo("localhost:5000/echo:1");

        kubectl.run("patch", "unitdeployment", "echo", "--type=merge", "-p", "{\"spec\":{\"units\":[\"east\"],\"overrides\":null}}").ok();
        Await.until("echo-west is deleted", LONG,
                () -> kubectl.run("get", "deployment", "echo-west").exit() != 0);
        assertThat(kubectl.run("get", "deployment", "echo-east").exit()).isZero();
    }

    @Test
    @Order(4)
    void describeNodeSaysWhetherASilentEdgeNodeIsPartitionedOrDeadFromItsPeersReports() throws Exception {
        try (HollowNodes dc = new HollowNodes(client, HollowNodes.Spec.of("dc", 2)
                .withLabels(Map.of("kedge.io/edge", "true", "kedge.io/unit", "dc"))).start()) {
            dc.stopHeartbeat("dc-1");
            String describe = Await.until("dc-1 is partitioned", LONG, () -> {
                publishProbe("dc-0", "dc-1", "Reachable");
                String out = kubectl.run("describe", "node", "dc-1").ok().out();
                return out.contains("Partitioned") ? out : null;
            });
            assertThat(describe).contains("1 of 1 peer(s) that reach the cloud still reach dc-1 over the unit LAN");

            describe = Await.until("dc-1 is dead", LONG, () -> {
                publishProbe("dc-0", "dc-1", "Unreachable");
                String out = kubectl.run("describe", "node", "dc-1").ok().out();
                return out.contains("PeersCannotReach") ? out : null;
            });
            assertThat(describe).contains("1 of 1 peer(s) that reach the cloud cannot reach dc-1 over the unit LAN either");
        }
    }

    /** What dc-0's agent would publish after a probe round. */
    private static void publishProbe(String prober, String peer, String seen) {
        String report = "{\"time\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"peers\":{\"" + peer + "\":\"" + seen + "\"}}";
        client.nodes().withName(prober).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"kedge.io/peer-probe\":" + io.kedge.api.Json.MAPPER.valueToTree(report) + "}}}");
    }

    /** A Node object as an agent would register it, with a Ready condition and no agent behind it. */
    private static void fakeNode(String name, String unit, boolean ready) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kedge.io/unit", unit, "kedge.io/edge", "true")).endMetadata().build()).create();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // the controllers change a new Node at once (its podCIDR, its unit's labels): the status goes on the Node as it is then
        for (int attempt = 1; ; attempt++) {
            Node n = client.nodes().withName(name).get();
            n.setStatus(new NodeStatusBuilder().withConditions(new NodeConditionBuilder().withType("Ready")
                    .withStatus(ready ? "True" : "False").withReason(ready ? "KubeletReady" : "KubeletNotReady")
                    .withLastHeartbeatTime(now).withLastTransitionTime(now).build()).build());
            try {
                client.nodes().resource(n).updateStatus();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static String image(String deployment) throws Exception {
        return kubectl.run("get", "deployment", deployment, "-o", "jsonpath={.spec.template.spec.containers[0].image}").ok().out();
    }

    private static List<String> cells(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
