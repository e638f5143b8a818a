package io.kedge.netproxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy fed by a real kedge server in this JVM, programming a throwaway network namespace;
 * connections from that "node", and from a "pod" behind it, prove that the rules forward. Root only.
 */
class ServiceProxyNamespaceTest {
    private static TestNamespaces ns;
    private static KedgeServer server;
    private static KubernetesClient client;
    private ServiceProxy proxy;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        assumeTrue(TestNamespaces.available(), "needs root, ip, nsenter and iptables");
        ns = TestNamespaces.create("np");
        ns.serve(TestNamespaces.POD_A, 8080, "pod-a");
        ns.serve(TestNamespaces.POD_B, 8080, "pod-b");
        server = new KedgeServer(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, null, "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.adminKubeconfig()))).build();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private ServiceProxy startProxy() {
        proxy = ServiceProxy.start(client, ProxySettings.of("node-1").withCommandPrefix(ns.nodePrefix())
                .withRetryInterval(Duration.ofMillis(500)));
        return proxy;
    }

    /** A Service whose port 80 targets the pods' port named web; a NodePort Service gets node port 30080. */
    private static Service createService(String name, String type, String affinity) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withType(type).addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("web"))
                .withNodePort(type.equals("NodePort") ? 30080 : null).endPort().endSpec();
        if (affinity != null) {
            b.editSpec().withSessionAffinity(affinity).endSpec();
        }
        return client.services().inNamespace("default").resource(b.build()).create();
    }

    private static EndpointSlice slice(String service, boolean readyA, String... addresses) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(service + "-abc").withNamespace("default")
                .addToLabels(ServiceTable.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        for (String a : addresses) {
            boolean ready = !a.equals(TestNamespaces.POD_A) || readyA;
            b.addToEndpoints(new EndpointBuilder().withAddresses(a).withNodeName("node-1").withNewConditions().withReady(ready)
                    .endConditions().build());
        }
        return b.build();
    }

    /** The comment of the rule that sends a Service's clients to one endpoint, as iptables-save shows it. */
    private static String route(String service, String address) {
        return "\"default/" + service + ":http -> " + address + ":8080\"";
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void clusterIpAndNodePortReachTheEndpointFromTheNodeAndFromAPodOnIt() throws Exception {
        Service svc = createService("web", "NodePort", null);
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("web", true, TestNamespaces.POD_A)).create();
        String clusterIp = svc.getSpec().getClusterIP();
        int nodePort = svc.getSpec().getPorts().get(0).getNodePort();
        startProxy();
        await("the endpoint's rule is in the nat table", () -> ns.save("nat").contains(route("web", TestNamespaces.POD_A)));

        assertThat(ns.ask(ns.node, clusterIp, 80, 1)).containsExactly("pod-a hello");
        assertThat(ns.ask(ns.node, TestNamespaces.NODE_IP, nodePort, 1)).containsExactly("pod-a hello");
        // from the pod, through PREROUTING, and back to itself: the masquerade makes the reply return through the node
        assertThat(ns.ask(ns.pod, clusterIp, 80, 1)).containsExactly("pod-a hello");
        assertThat(ns.ask(ns.pod, TestNamespaces.NODE_IP, nodePort, 1)).containsExactly("pod-a hello");
    }

    @Test
    void anEndpointThatStopsBeingReadyLosesItsRuleAndTheServiceThenRejects() throws Exception {
        Service svc = createService("shrinking", "ClusterIP", null);
        var slices = client.discovery().v1().endpointSlices().inNamespace("default");
        slices.resource(slice("shrinking", true, TestNamespaces.POD_A, TestNamespaces.POD_B)).create();
        String clusterIp = svc.getSpec().getClusterIP();
        startProxy();
        await("both endpoints are in the nat table", () -> ns.save("nat").contains(route("shrinking", TestNamespaces.POD_A))
                && ns.save("nat").contains(route("shrinking", TestNamespaces.POD_B)));

        slices.resource(slice("shrinking", false, TestNamespaces.POD_A, TestNamespaces.POD_B)).update();
        await("the unready endpoint's rule is gone", () -> !ns.save("nat").contains(route("shrinking", TestNamespaces.POD_A)));
        assertThat(ns.save("nat")).contains(route("shrinking", TestNamespaces.POD_B));
        assertThat(ns.ask(ns.node, clusterIp, 80, 4)).containsOnly("pod-b hello");

        slices.resource(slice("shrinking", false, TestNamespaces.POD_A)).update();
        await("the Service is rejected in the filter table", () -> ns.save("filter").contains("-d " + clusterIp + "/32"));
        assertThat(ns.save("nat")).doesNotContain(route("shrinking", TestNamespaces.POD_B)).doesNotContain(clusterIp);
        assertThat(ns.ask(ns.node, clusterIp, 80, 1)).singleElement().asString().contains("Connection refused");
    }

    @Test
    void clientIpAffinityKeepsAClientOnOneEndpoint() throws Exception {
        Service svc = createService("sticky", "ClusterIP", "ClientIP");
        client.discovery().v1().endpointSlices().inNamespace("default")
                .resource(slice("sticky", true, TestNamespaces.POD_A, TestNamespaces.POD_B)).create();
        startProxy();
        await("the affinity rules are in the nat table", () -> ns.save("nat").contains("--rcheck --seconds 10800"));
        List<String> answers = ns.ask(ns.node, svc.getSpec().getClusterIP(), 80, 8);
        assertThat(answers).hasSize(8).containsOnly(answers.get(0));
        assertThat(answers.get(0)).isIn("pod-a hello", "pod-b hello");
    }

    @Test
    void stopLeavesNoKedgeChainOrJumpBehind() throws Exception {
        createService("gone", "ClusterIP", null);
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("gone", true, TestNamespaces.POD_A)).create();
        startProxy();
        await("the rules and jumps are in place", () -> ns.save("nat").contains(route("gone", TestNamespaces.POD_A))
                && ns.save("filter").contains("-j KEDGE-SERVICES"));
        assertThat(ns.save("filter")).contains("-j KEDGE-SERVICES");

        proxy.close();
        proxy = null;
        assertThat(ns.save("nat")).doesNotContain("KEDGE");
        assertThat(ns.save("filter")).doesNotContain("KEDGE");
    }

    @Test
    void aFailingSyncIsReportedAndRetriedUntilItSucceeds() throws Exception {
        createService("late", "ClusterIP", null);
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("late", true, TestNamespaces.POD_A)).create();
        String late = ns.node + "-late";
        proxy = ServiceProxy.start(client, ProxySettings.of("node-1").withCommandPrefix(List.of("nsenter", "--net=" + TestNamespaces.path(late)))
                .withRetryInterval(Duration.ofMillis(300)));
        try {
            await("the failure is reported", () -> proxy.lastError() != null);
            assertThat(proxy.lastError()).contains("nsenter --net=" + TestNamespaces.path(late));
            TestNamespaces.sh("ip", "netns", "add", late);
            await("a retry succeeds", () -> proxy.lastError() == null && proxy.completedSyncs() > 0);
            assertThat(new Iptables(List.of("nsenter", "--net=" + TestNamespaces.path(late))).save("nat"))
                    .contains(route("late", TestNamespaces.POD_A));
        } finally {
            proxy.close();
            proxy = null;
            if (Files.exists(Path.of(TestNamespaces.path(late)))) {
                TestNamespaces.sh("ip", "netns", "del", late);
            }
        }
    }

    @Test
    void aRejectedRestoreNamesTheOffendingRuleAndChangesNothing() throws Exception {
        Iptables iptables = new Iptables(ns.nodePrefix());
        String badPort = "*nat\n:KEDGE-PROBE - [0:0]\n-A KEDGE-PROBE -p tcp -j RETURN\n-A KEDGE-PROBE -p tcp --dport 99999 -j RETURN\nCOMMIT\n";
        assertThatThrownBy(() -> iptables.restore(badPort)).isInstanceOf(IptablesException.class)
                .hasMessageContaining("the rule at line 4: -A KEDGE-PROBE -p tcp --dport 99999 -j RETURN");
        String badTarget = "*nat\n:KEDGE-PROBE - [0:0]\n-A KEDGE-PROBE -p tcp -j RETURN\n-A KEDGE-PROBE -j NO-SUCH-CHAIN\nCOMMIT\n";
        assertThatThrownBy(() -> iptables.restore(badTarget)).isInstanceOf(IptablesException.class)
                .hasMessageContaining("-A KEDGE-PROBE -j NO-SUCH-CHAIN");
        assertThat(ns.save("nat")).doesNotContain("KEDGE-PROBE");
    }

    @Test
    void aMissingIptablesIsAClearError() {
        Iptables iptables = new Iptables(List.of("/nonexistent/kedge-test-wrapper"));
        assertThatThrownBy(() -> iptables.save("nat")).isInstanceOf(IptablesException.class)
                .hasMessageContaining("cannot run /nonexistent/kedge-test-wrapper iptables-save -t nat");
    }
}
