package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kedge server` runs its controllers as system:kube-controller-manager and its scheduler as
 * system:kube-scheduler, each with the server's kubeconfig for it: RBAC lets them do their work,
 * and refuses them what they do not need.
 */
class ComponentIdentitiesTest {
    private static final String CONTROLLERS = "system:kube-controller-manager";
    private static final String SCHEDULER = "system:kube-scheduler";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void eachComponentKubeconfigIsItsOwnIdentity() throws Exception {
        try (ServerProcess server = new ServerProcess(dir.resolve("server"), List.of("--disable-controllers")).start()) {
            assertThat(whoami(server.dataDir().resolve("controller-manager.kubeconfig"))).isEqualTo(CONTROLLERS);
            assertThat(whoami(server.dataDir().resolve("scheduler.kubeconfig"))).isEqualTo(SCHEDULER);
        }
    }

    @Test
    void kubectlAuthCanIShowsWhatEachComponentMayAndMayNotDo() throws Exception {
        try (ServerProcess server = new ServerProcess(dir.resolve("server"), List.of("--disable-controllers")).start()) {
            // as each component itself (SelfSubjectAccessReview): kedge does not impersonate, so no --as
            Cli controllers = new Cli("kubectl-1.35", server.dataDir().resolve("controller-manager.kubeconfig"));
            Cli scheduler = new Cli("kubectl-1.35", server.dataDir().resolve("scheduler.kubeconfig"));
            for (String allowed : List.of("create pods", "update deployments.apps --subresource=status", "create replicasets.apps",
                    "patch nodes", "update nodes --subresource=status", "update certificatesigningrequests.certificates.k8s.io --subresource=approval",
                    "update certificatesigningrequests.certificates.k8s.io --subresource=status", "create edgeunits.edge.kedge.io",
                    "update namespaces --subresource=finalize", "create leases.coordination.k8s.io")) {
                assertThat(canI(controllers, allowed)).as(CONTROLLERS + " may " + allowed).isTrue();
            }
            for (String refused : List.of("create clusterrolebindings.rbac.authorization.k8s.io",
                    "escalate clusterroles.rbac.authorization.k8s.io", "bind clusterroles.rbac.authorization.k8s.io",
                    "impersonate users", "create secrets", "update secrets", "create serviceaccounts --subresource=token",
                    "create pods --subresource=exec", "create pods --subresource=binding")) {
                assertThat(canI(controllers, refused)).as(CONTROLLERS + " may not " + refused).isFalse();
            }
            for (String allowed : List.of("create pods --subresource=binding", "patch pods --subresource=status", "watch pods", "list nodes")) {
                assertThat(canI(scheduler, allowed)).as(SCHEDULER + " may " + allowed).isTrue();
            }
            for (String refused : List.of("get secrets", "create pods", "delete pods", "patch nodes",
                    "create clusterrolebindings.rbac.authorization.k8s.io")) {
                assertThat(canI(scheduler, refused)).as(SCHEDULER + " may not " + refused).isFalse();
            }
            String list = scheduler.run("auth", "can-i", "--list").ok().out();
            assertThat(list).contains("pods/binding").doesNotContain("secrets");
        }
    }

    /**
     * The loops a cluster without nodes can show: a Deployment's ReplicaSet and pods, a pod found no
     * node, a Service's Endpoints and EndpointSlice, a namespace's default account and root CA, its
     * deletion, and the collection of a deleted owner's dependents. None was refused anything.
     */
    @Test
    void theControllersAndTheSchedulerWorkUnderTheirIdentitiesWithoutARefusal() throws Exception {
        Path audit = dir.resolve("audit.log");
        try (ServerProcess server = new ServerProcess(dir.resolve("server"), List.of("--audit-log=" + audit)).start()) {
            Cli kubectl = new Cli("kubectl-1.35", server.kubeconfig());
            kubectl.run("create", "namespace", "work").ok();
            Await.until("the namespace's default account and root CA", LIMIT, () ->
                    kubectl.run("get", "serviceaccount", "default", "-n", "work").exit() == 0
                            && kubectl.run("get", "configmap", "kube-root-ca.crt", "-n", "work").exit() == 0);
            kubectl.run("create", "deployment", "web", "-n", "work", "--image=nginx", "--replicas=2").ok();
            kubectl.run("create", "service", "clusterip", "web", "-n", "work", "--tcp=80:80").ok();
            Await.until("the deployment's two pods, found no node", LIMIT, () -> kubectl.run("get", "pods", "-n", "work",
                    "-l", "app=web", "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"PodScheduled\")].reason}")
                    .out().trim().equals("Unschedulable Unschedulable"));
            Await.until("the service's endpoints and slice", LIMIT, () ->
                    kubectl.run("get", "endpoints", "web", "-n", "work").exit() == 0
                            && kubectl.run("get", "endpointslices", "-n", "work", "-l", "kubernetes.io/service-name=web",
                            "-o", "name").out().contains("endpointslice"));

            kubectl.run("delete", "deployment", "web", "-n", "work", "--wait=false").ok();
            Await.until("the deleted deployment's replicaset and pods collected", LIMIT, () ->
                    kubectl.run("get", "replicasets,pods", "-n", "work", "-o", "name").ok().out().isBlank());
            kubectl.run("delete", "namespace", "work", "--wait=false").ok();
            Await.until("the namespace emptied and gone", LIMIT, () ->
                    kubectl.run("get", "namespace", "work").err().contains("NotFound"));

            List<JsonNode> events = Files.readAllLines(audit, StandardCharsets.UTF_8).stream()
                    .map(l -> Json.parse(l.getBytes(StandardCharsets.UTF_8), false)).toList();
            assertThat(events).anyMatch(by(CONTROLLERS, "create", "replicasets"))
                    .anyMatch(by(CONTROLLERS, "update", "namespaces"))
                    .anyMatch(by(SCHEDULER, "patch", "pods"))
                    .noneMatch(e -> e.path("user").path("username").asText().equals("kedge-admin")
                            && e.path("userAgent").asText().contains("fabric8"));
            List<JsonNode> refused = events.stream().filter(e -> List.of(CONTROLLERS, SCHEDULER)
                    .contains(e.path("user").path("username").asText()) && e.path("responseStatus").path("code").asInt() == 403)
                    .toList();
            assertThat(refused).isEmpty();
        }
    }

    private static Predicate<JsonNode> by(String user, String verb, String resource) {
        return e -> e.path("user").path("username").asText().equals(user) && e.path("verb").asText().equals(verb)
                && e.path("objectRef").path("resource").asText().equals(resource)
                && e.path("responseStatus").path("code").asInt() < 300;
    }

    private String whoami(Path kubeconfig) throws Exception {
        return new Cli("kubectl-1.35", kubeconfig).run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}")
                .ok().out().trim();
    }

    /** {@code kubectl auth can-i VERB RESOURCE [--subresource=S]}: exit 0 is yes, 1 no. */
    private static boolean canI(Cli kubectl, String verbAndResource) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i"));
        args.addAll(List.of(verbAndResource.split(" ")));
        Cli.Result r = kubectl.run(args.toArray(String[]::new));
        if (r.exit() > 1) {
            throw new AssertionError("kubectl auth can-i " + verbAndResource + " failed: " + r.err());
        }
        return r.exit() == 0 && r.out().trim().equals("yes");
    }
}
