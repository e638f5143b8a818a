package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        server = new KedgeServer(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, null, "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
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
        Path file = dir.resolve(user.replace(':', '_') + ".kubeconfig");
        Kubeconfig.withClientCertificate(Kubeconfig.serverUrl("127.0.0.1", server.port()), ca.certificate(),
                ca.issueClient(user, List.of(groups), Duration.ofDays(1))).write(file);
        return new Cli("kubectl-1.35", file);
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
        assertThat(edge1.run("get", "node", "edge-2").err()).contains("nodes \"edge-2\" is forbidden");
        assertThat(edge1.run("label", "node", "edge-2", "x=y").err()).contains("nodes \"edge-2\" is forbidden");
        assertThat(admin.run("get", "node", "edge-2", "-o", "jsonpath={.metadata.labels}").ok().out()).doesNotContain("\"x\"");
        assertThat(edge1.run("label", "node", "edge-1", "kedge.io/unit=elsewhere").err())
                .contains("node \"edge-1\" is not allowed to modify labels: kedge.io/unit");
    }
}
