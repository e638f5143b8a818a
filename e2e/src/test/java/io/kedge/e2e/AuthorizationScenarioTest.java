package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.kubelet.RuntimeHealth;
import io.kedge.kubelet.env.ConfigSources;
import io.kedge.kubelet.node.MachineInfo;
import io.kedge.kubelet.node.NodeManager;
import io.kedge.kubelet.node.NodeSettings;
import io.kedge.hub.EdgeHub;
import io.kedge.hub.HubConfig;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * kubectl 1.35 with users' own certificates against a real server: RBAC grants and refuses,
 * escalation is prevented, a node sees only what its pods need, and refusals read as upstream's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationScenarioTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private Path dir;
    private KedgeServer server;
    private CertificateAuthority ca;
    private Cli admin;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("kedge-authz-e2e");
        server = startServer(dir.resolve("server"));
        ca = CertificateAuthority.load(dir.resolve("server/pki"));
        admin = new Cli("kubectl-1.35", server.adminKubeconfig());
        admin.run("create", "namespace", "a").ok();
        admin.run("create", "namespace", "b").ok();
        admin.run("create", "configmap", "cfg", "-n", "a", "--from-literal=k=v").ok();
        admin.run("create", "configmap", "cfg", "-n", "b", "--from-literal=k=v").ok();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    /** kubectl 1.35 with a client certificate for {@code user} in {@code groups}, as {@code kedge kubeconfig --user} writes it. */
    private Cli as(String user, String... groups) throws Exception {
        return new Cli("kubectl-1.35", kubeconfigFor(user, groups));
    }

    private Path kubeconfigFor(String user, String... groups) throws Exception {
        Path file = dir.resolve(user.replace(':', '_') + ".kubeconfig");
        Kubeconfig.withClientCertificate(Kubeconfig.serverUrl("127.0.0.1", server.port()), ca.certificate(),
                ca.issueClient(user, List.of(groups), Duration.ofDays(1))).write(file);
        return file;
    }

    /**
     * The agent's own node code, through its hub, which forwards with the node's own credentials:
     * every call it makes, and the hub's Lease renewals, must be allowed.
     */
    @Test
    void theAgentRegistersReportsStatusRenewsItsLeaseAndMirrorsStaticPodsWithNodeCredentials() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("probe.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: probe, namespace: a}
                spec: {containers: [{name: probe, image: busybox}]}
                """);
        Path data = Files.createDirectories(dir.resolve("edge-3"));
        NodeSettings settings = new NodeSettings("edge-3", "east", "192.0.2.3", data, Files.createDirectories(dir.resolve("cni")),
                manifests, Duration.ofMillis(300), Duration.ofMinutes(5));
        RuntimeHealth up = new RuntimeHealth() {
            @Override
            public Optional<String> runtimeVersion() {
                return Optional.of("containerd://1.6.20");
            }

            @Override
            public Optional<String> problem() {
                return Optional.empty();
            }
        };
        Kubeconfig credentials = Kubeconfig.read(kubeconfigFor("system:node:edge-3", "system:nodes"));
        try (EdgeHub hub = new EdgeHub(HubConfig.of(List.of(), credentials, "edge-3", data, 0)).start();
             KubernetesClient node = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                     .withMasterUrl(hub.url().toString()).build()).build();
             NodeManager ignored = new NodeManager(node, settings, MachineInfo.read(data), up, hub::kubeletAlive).start()) {
            Await.until("edge-3 to register and report its status", LIMIT, () -> {
                Node n = node.nodes().withName("edge-3").get();
                return n != null && n.getStatus() != null && n.getStatus().getNodeInfo() != null;
            });
            // the agent learns its pod CIDR through its watch on its own Node, and only then is Ready
            admin.run("patch", "node", "edge-3", "-p", "{\"spec\":{\"podCIDR\":\"10.42.3.0/24\"}}").ok();
            Await.until("edge-3 to report Ready", LIMIT, () -> node.nodes().withName("edge-3").get().getStatus().getConditions()
                    .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
            Await.until("edge-3's lease", LIMIT,
                    () -> admin.run("get", "lease", "edge-3", "-n", "kube-node-lease", "-o", "name").exit() == 0);
            Await.until("the mirror pod of the static pod", LIMIT,
                    () -> admin.run("get", "pod", "probe-edge-3", "-n", "a", "-o", "jsonpath={.spec.nodeName}").out().equals("edge-3"));
            assertThat(admin.run("get", "node", "edge-3", "-o", "jsonpath={.metadata.labels.kedge\\.io/unit}").ok().out())
                    .isEqualTo("east");

            admin.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: uses-cfg, namespace: b}
                    spec:
                      nodeName: edge-3
                      containers: [{name: app, image: busybox, envFrom: [{configMapRef: {name: cfg}}]}]
                    """, "apply", "-f", "-").ok();
            ConfigSources sources = new ConfigSources(node);
            assertThat(Await.until("the config map its pod uses", LIMIT, () -> sources.configMap("b", "cfg").orElse(null))
                    .getData()).containsEntry("k", "v");
        }
    }

    @Test
    void aViewerInOneNamespaceReadsThereButWritesNothingAndReadsNoOtherNamespace() throws Exception {
        admin.run("create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice", "-n", "a").ok();
        Cli alice = as("alice", "developers");
        Await.until("alice's binding to take effect", LIMIT, () -> alice.run("get", "configmap", "cfg", "-n", "a").exit() == 0);

        Cli.Result create = alice.run("create", "configmap", "new", "-n", "a", "--from-literal=k=v");
        assertThat(create.exit()).isNotZero();
        assertThat(create.err()).contains("configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\" "
                + "in API group \"\" in the namespace \"a\"");
        Cli.Result otherNs = alice.run("get", "configmaps", "-n", "b");
        assertThat(otherNs.exit()).isNotZero();
        assertThat(otherNs.err()).contains("Error from server (Forbidden): configmaps is forbidden: User \"alice\" cannot "
                + "list resource \"configmaps\" in API group \"\" in the namespace \"b\"");

        assertThat(alice.run("auth", "can-i", "get", "configmaps", "-n", "a").out().trim()).isEqualTo("yes");
        Cli.Result cannot = alice.run("auth", "can-i", "create", "configmaps", "-n", "a");
        assertThat(cannot.out().trim()).isEqualTo("no");
        assertThat(cannot.exit()).isEqualTo(1);
        String list = alice.run("auth", "can-i", "--list", "-n", "a").ok().out();
        assertThat(list).containsPattern("(?m)^configmaps\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]");
        assertThat(list).containsPattern("(?m)^selfsubjectaccessreviews.authorization.k8s.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]");
        assertThat(list).doesNotContain("secrets");
        assertThat(alice.run("auth", "can-i", "--list", "-n", "b").ok().out()).doesNotContainPattern("(?m)^configmaps");
    }

    @Test
    void refusalsAreWordedAsUpstreamForNamedClusterScopedAndSubresourceRequests() throws Exception {
        Cli nobody = as("nobody");
        Cli.Result named = nobody.run("get", "configmap", "cfg", "-n", "b");
        assertThat(named.err()).contains("Error from server (Forbidden): configmaps \"cfg\" is forbidden: User \"nobody\" "
                + "cannot get resource \"configmaps\" in API group \"\" in the namespace \"b\"");
        Cli.Result cluster = nobody.run("get", "nodes");
        assertThat(cluster.err()).contains("nodes is forbidden: User \"nobody\" cannot list resource \"nodes\" in API group "
                + "\"\" at the cluster scope");
        Cli.Result grouped = nobody.run("get", "deployments.apps", "-n", "a");
        assertThat(grouped.err()).contains("deployments.apps is forbidden: User \"nobody\" cannot list resource "
                + "\"deployments\" in API group \"apps\" in the namespace \"a\"");
        Cli.Result sub = nobody.run("get", "--raw", "/api/v1/namespaces/a/pods/web/log");
        assertThat(sub.err()).contains("pods \"web\" is forbidden: User \"nobody\" cannot get resource \"pods/log\" in API "
                + "group \"\" in the namespace \"a\"");
        Cli.Result path = nobody.run("get", "--raw", "/metrics");
        assertThat(path.err()).contains("Error from server (Forbidden): forbidden: User \"nobody\" cannot get path \"/metrics\"");
        // discovery stays readable: kubectl found the resources it was refused
        assertThat(nobody.run("api-resources").ok().out()).contains("configmaps");
        assertThat(nobody.run("version").ok().out()).contains("Server Version");
    }

    @Test
    void theAggregatedDefaultRolesShowTheirRulesAndAdminHoldsEdit() throws Exception {
        String adminRole = Await.until("the admin role to be aggregated", LIMIT, () -> {
            String yaml = admin.run("get", "clusterrole", "admin", "-o", "yaml").ok().out();
            return yaml.contains("rolebindings") && yaml.contains("pods/exec") && yaml.contains("configmaps") ? yaml : null;
        });
        assertThat(adminRole).contains("aggregationRule").contains("rbac.authorization.k8s.io/aggregate-to-admin");
        assertThat(admin.run("get", "clusterrolebinding", "system:discovery", "-o", "yaml").ok().out())
                .contains("system:authenticated");
    }

    @Test
    void aRestartLeavesTheDefaultPolicyAsItWasAndRestoresADeletedDefault() throws Exception {
        Path data = dir.resolve("restarted");
        String before;
        try (KedgeServer first = startServer(data)) {
            Cli k = new Cli("kubectl-1.35", first.adminKubeconfig());
            before = Await.until("the aggregated view role", LIMIT, () -> {
                String json = k.run("get", "clusterrole", "view", "-o", "json").ok().out();
                return json.contains("configmaps") ? json : null;
            });
            k.run("delete", "clusterrolebinding", "system:discovery").ok();
        }
        try (KedgeServer second = startServer(data)) {
            Cli k = new Cli("kubectl-1.35", second.adminKubeconfig());
            assertThat(k.run("get", "clusterrole", "view", "-o", "json").ok().out()).isEqualTo(before);
            assertThat(k.run("get", "clusterrolebinding", "system:discovery", "-o", "name").ok().out().trim())
                    .isEqualTo("clusterrolebinding.rbac.authorization.k8s.io/system:discovery");
        }
    }

    /** A server whose audit log is {@code data/audit.log}. */
    private static KedgeServer startServer(Path data) throws Exception {
        return new KedgeServer(new ServerConfig(data, "127.0.0.1", 0, null, "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30), null, data.resolve("audit.log"))).start();
    }

    @Test
    void aRoleGrantingWhatItsWriterLacksIsRefusedUnlessTheWriterMayEscalate() throws Exception {
        admin.runWithInput("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: role-writer}
                rules:
                - {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [create, get, list]}
                """, "apply", "-f", "-").ok();
        admin.run("create", "rolebinding", "bob-writes", "--clusterrole=role-writer", "--user=bob", "-n", "a").ok();
        Cli bob = as("bob");
        Await.until("bob's binding to take effect", LIMIT, () -> bob.run("get", "roles", "-n", "a").exit() == 0);

        Cli.Result refused = bob.run("create", "role", "secret-reader", "--verb=get", "--resource=secrets", "-n", "a");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("roles.rbac.authorization.k8s.io \"secret-reader\" is forbidden: user \"bob\" "
                + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}");

        admin.run("create", "role", "escalator", "--verb=escalate", "--resource=roles.rbac.authorization.k8s.io", "-n", "a").ok();
        admin.run("create", "rolebinding", "bob-escalates", "--role=escalator", "--user=bob", "-n", "a").ok();
        Await.until("bob's escalate grant to take effect", LIMIT,
                () -> bob.run("auth", "can-i", "escalate", "roles", "-n", "a").out().trim().equals("yes"));
        bob.run("create", "role", "secret-reader", "--verb=get", "--resource=secrets", "-n", "a").ok();
    }

    @Test
    void aNodeReadsItsOwnPodAndItsSecretButNothingOfAnotherNode() throws Exception {
        admin.run("create", "secret", "generic", "s1", "-n", "a", "--from-literal=k=1").ok();
        admin.run("create", "secret", "generic", "s2", "-n", "a", "--from-literal=k=2").ok();
        for (String[] p : new String[][]{{"p1", "edge-1", "s1"}, {"p2", "edge-2", "s2"}}) {
            admin.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: %s, namespace: a}
                    spec:
                      nodeName: %s
                      containers: [{name: app, image: busybox}]
                      volumes: [{name: s, secret: {secretName: %s}}]
                    """.formatted(p[0], p[1], p[2]), "apply", "-f", "-").ok();
        }
        for (String n : List.of("edge-1", "edge-2")) {
            admin.runWithInput("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + n + "\"}}",
                    "apply", "-f", "-").ok();
        }
        Cli edge1 = as("system:node:edge-1", "system:nodes");

        assertThat(edge1.run("get", "pod", "p1", "-n", "a", "-o", "name").ok().out().trim()).isEqualTo("pod/p1");
        assertThat(edge1.run("get", "secret", "s1", "-n", "a", "-o", "jsonpath={.data.k}").ok().out()).isEqualTo("MQ==");
        assertThat(edge1.run("get", "node", "edge-1", "-o", "name").ok().out().trim()).isEqualTo("node/edge-1");
        assertThat(edge1.run("get", "pods", "-A", "--field-selector", "spec.nodeName=edge-1", "-o", "name").ok().out().trim())
                .isEqualTo("pod/p1");

        Cli.Result secret = edge1.run("get", "secret", "s2", "-n", "a");
        assertThat(secret.err()).contains("secrets \"s2\" is forbidden: User \"system:node:edge-1\" cannot get resource "
                + "\"secrets\" in API group \"\" in the namespace \"a\": no relationship found between node 'edge-1' and this object");
        assertThat(edge1.run("get", "pod", "p2", "-n", "a").err()).contains("pods \"p2\" is forbidden");
        assertThat(edge1.run("delete", "pod", "p2", "-n", "a").err()).contains("pods \"p2\" is forbidden");
        assertThat(edge1.run("get", "pods", "-A").err()).contains("pods is forbidden");
        assertThat(edge1.run("get", "node", "edge-2", "-o", "name").ok().out().trim())
                .as("a node reads every Node, as upstream's system:node may: its hub and unit probes need them").isEqualTo("node/edge-2");
        assertThat(edge1.run("label", "node", "edge-2", "x=y").err()).contains("nodes \"edge-2\" is forbidden");
        assertThat(admin.run("get", "node", "edge-2", "-o", "jsonpath={.metadata.labels}").ok().out()).doesNotContain("\"x\"");
        assertThat(edge1.run("label", "node", "edge-1", "kedge.io/unit=elsewhere").err())
                .contains("node \"edge-1\" is not allowed to modify labels: kedge.io/unit");

        // every refused attempt is on record
        List<String> refused = Files.readAllLines(dir.resolve("server/audit.log")).stream()
                .filter(l -> l.contains("\"username\":\"system:node:edge-1\"") && l.contains("\"code\":403")).toList();
        assertThat(refused).anyMatch(l -> l.contains("\"resource\":\"secrets\"") && l.contains("\"name\":\"s2\""));
        assertThat(refused).anyMatch(l -> l.contains("\"verb\":\"delete\"") && l.contains("\"name\":\"p2\""));
        assertThat(refused).anyMatch(l -> l.contains("\"resource\":\"nodes\"") && l.contains("\"name\":\"edge-2\""));
    }
}
