package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kedge.controllers.testing.HollowNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.35 against a real {@code kedge server} whose own controllers and scheduler do the
 * work, with hollow nodes (a test utility) standing in for kubelets. One server serves every
 * scenario; each scenario has its own namespace, and the ones that break nodes bring their own.
 * They run in order so that the node-breaking ones come after those that count nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllersScenarioTest {
    private static final Duration LONG = Duration.ofSeconds(150);
    private static final String IMAGE = "localhost:5000/app:1";
    private static final Taint EDGE_TAINT = new TaintBuilder().withKey("node-role.kubernetes.io/edge").withEffect("NoSchedule").build();

    @TempDir
    static Path dir;
    private static ServerProcess server;
    private static KubernetesClient client;
    private static HollowNodes cloudNodes;
    private static HollowNodes edgeNodes;
    private static Cli kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        // above the hollow nodes' 10 s lease renewal, well below the default 40 s
        server = new ServerProcess(dir.resolve("server"), List.of("--node-monitor-grace-period=20s")).start();
        client = Fabric8ClientTest.client(server);
        cloudNodes = new HollowNodes(client, HollowNodes.Spec.of("cloud", 2)).start();
        edgeNodes = new HollowNodes(client, HollowNodes.Spec.of("edge", 1)
                .withLabels(Map.of("kedge.io/edge", "true")).withTaints(List.of(EDGE_TAINT))).start();
        kubectl = new Cli("kubectl-1.35", server.kubeconfig());
        // the first minute boundary passes while the other scenarios run
        kubectl.run("create", "namespace", "cron").ok();
        apply("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick, namespace: cron}
                spec:
                  schedule: "* * * * *"
                  jobTemplate:
                    spec:
                      backoffLimit: 0
                      template:
                        metadata:
                          annotations: {hollow.kedge.io/exit-code: "0"}
                        spec:
                          restartPolicy: Never
                          containers: [{name: tick, image: %s}]
                """.formatted(IMAGE));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (edgeNodes != null) edgeNodes.close();
        if (cloudNodes != null) cloudNodes.close();
        if (client != null) client.close();
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void aDaemonSetLandsOnEveryNodeIncludingTaintedEdgeNodesOnlyWhereItToleratesTheTaint() throws Exception {
        kubectl.run("create", "namespace", "ds").ok();
        apply("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: everywhere, namespace: ds}
                spec:
                  selector: {matchLabels: {app: everywhere}}
                  template:
                    metadata: {labels: {app: everywhere}}
                    spec:
                      tolerations: [{key: node-role.kubernetes.io/edge, operator: Exists, effect: NoSchedule}]
                      containers: [{name: agent, image: %1$s}]
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: cloud-only, namespace: ds}
                spec:
                  selector: {matchLabels: {app: cloud-only}}
                  template:
                    metadata: {labels: {app: cloud-only}}
                    spec:
                      containers: [{name: agent, image: %1$s}]
                """.formatted(IMAGE));

        kubectl.run("rollout", "status", "daemonset/everywhere", "-n", "ds", "--timeout=120s").ok();
        kubectl.run("rollout", "status", "daemonset/cloud-only", "-n", "ds", "--timeout=120s").ok();

        assertThat(nodesOf("ds", "app=everywhere")).containsExactlyInAnyOrder("cloud-0", "cloud-1", "edge-0");
        assertThat(nodesOf("ds", "app=cloud-only")).containsExactlyInAnyOrder("cloud-0", "cloud-1");
        assertThat(kubectl.run("get", "ds", "cloud-only", "-n", "ds", "-o", "jsonpath={.status.desiredNumberScheduled}").ok().out())
                .as("the edge node does not count for a DaemonSet that does not tolerate it").isEqualTo("2");
    }

    @Test
    @Order(2)
    void aJobCompletesAndAFailingJobStopsAtItsBackoffLimit() throws Exception {
        kubectl.run("create", "namespace", "jobs").ok();
        apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: works, namespace: jobs}
                spec:
                  completions: 2
                  template:
                    metadata:
                      annotations: {hollow.kedge.io/exit-code: "0"}
                    spec:
                      restartPolicy: Never
                      containers: [{name: work, image: %1$s}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: breaks, namespace: jobs}
                spec:
                  backoffLimit: 1
                  template:
                    metadata:
                      annotations: {hollow.kedge.io/exit-code: "1"}
                    spec:
                      restartPolicy: Never
                      containers: [{name: work, image: %1$s}]
                """.formatted(IMAGE));

        kubectl.run("wait", "--for=condition=complete", "job/works", "-n", "jobs", "--timeout=110s").ok();
        assertThat(kubectl.run("get", "job", "works", "-n", "jobs", "-o", "jsonpath={.status.succeeded}").ok().out()).isEqualTo("2");

        kubectl.run("wait", "--for=condition=failed", "job/breaks", "-n", "jobs", "--timeout=110s").ok();
        assertThat(kubectl.run("get", "job", "breaks", "-n", "jobs", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}").ok().out()).isEqualTo("BackoffLimitExceeded");
        assertThat(kubectl.run("get", "job", "breaks", "-n", "jobs", "-o", "jsonpath={.status.failed}").ok().out())
                .as("the first try and one retry").isEqualTo("2");
    }

    @Test
    @Order(3)
    void aStatefulSetStartsEachPodOnlyAfterThePreviousIsReadyAndScalesDownFromTheHighestOrdinal() throws Exception {
        kubectl.run("create", "namespace", "sts").ok();
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.pods().inNamespace("sts").watch(recorder(events))) {
            apply("""
                    apiVersion: apps/v1
                    kind: StatefulSet
                    metadata: {name: ordered, namespace: sts}
                    spec:
                      serviceName: ordered
                      replicas: 3
                      selector: {matchLabels: {app: ordered}}
                      template:
                        metadata: {labels: {app: ordered}}
                        spec:
                          containers: [{name: db, image: %s}]
                    """.formatted(IMAGE));
            kubectl.run("rollout", "status", "statefulset/ordered", "-n", "sts", "--timeout=110s").ok();
            for (int i = 1; i < 3; i++) {
                assertThat(first(events, "ordered-" + i + " "))
                        .as("ordered-%d appears only after ordered-%d is Ready, in %s", i, i - 1, events)
                        .isGreaterThan(first(events, "ordered-" + (i - 1) + " ready"));
            }

            kubectl.run("scale", "statefulset/ordered", "-n", "sts", "--replicas=1").ok();
            Await.until("only ordered-0 left", LONG, () -> kubectl.run("get", "pods", "-n", "sts", "-o", "name").ok().out().trim()
                    .equals("pod/ordered-0"));
            assertThat(first(events, "ordered-1 deleting"))
                    .as("ordered-1 goes only after ordered-2 is gone, in %s", events)
                    .isGreaterThan(first(events, "ordered-2 gone"));
        }
    }

    @Test
    @Order(4)
    void cascadingDeleteRemovesDependentsInBackgroundAndForegroundAndOrphanLeavesThemOwnerless() throws Exception {
        kubectl.run("create", "namespace", "cascade").ok();
        kubectl.run("create", "deployment", "bg", "-n", "cascade", "--image=" + IMAGE, "--replicas=2").ok();
        kubectl.run("create", "deployment", "fg", "-n", "cascade", "--image=" + IMAGE, "--replicas=2").ok();
        apply("""
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: kept, namespace: cascade}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: kept}}
                  template:
                    metadata: {labels: {app: kept}}
                    spec:
                      containers: [{name: kept, image: %s}]
                """.formatted(IMAGE));
        kubectl.run("rollout", "status", "deployment/bg", "-n", "cascade", "--timeout=110s").ok();
        kubectl.run("rollout", "status", "deployment/fg", "-n", "cascade", "--timeout=110s").ok();
        kubectl.run("wait", "--for=jsonpath={.status.readyReplicas}=2", "rs/kept", "-n", "cascade", "--timeout=110s").ok();

        kubectl.run("delete", "deployment", "bg", "-n", "cascade", "--cascade=background").ok();
        Await.until("the background deletion removes the ReplicaSet and its pods", LONG,
                () -> kubectl.run("get", "rs,pods", "-n", "cascade", "-l", "app=bg", "-o", "name").ok().out().isBlank());

        kubectl.run("delete", "deployment", "fg", "-n", "cascade", "--cascade=foreground", "--timeout=110s").ok();
        assertThat(kubectl.run("get", "rs,pods", "-n", "cascade", "-l", "app=fg", "-o", "name").ok().out())
                .as("a foreground deletion ends only once the dependents are gone").isBlank();

        kubectl.run("delete", "rs", "kept", "-n", "cascade", "--cascade=orphan", "--timeout=110s").ok();
        assertThat(kubectl.run("get", "rs", "kept", "-n", "cascade").exit()).as("the ReplicaSet is gone").isNotZero();
        Await.until("the orphans lose their owner reference", LONG, () -> kubectl.run("get", "pods", "-n", "cascade", "-l",
                "app=kept", "-o", "jsonpath={.items[*].metadata.ownerReferences}").ok().out().isBlank());
        assertThat(kubectl.run("get", "pods", "-n", "cascade", "-l", "app=kept", "-o",
                "jsonpath={.items[*].metadata.deletionTimestamp}").ok().out()).as("no orphan is being deleted").isBlank();
        assertThat(kubectl.run("get", "pods", "-n", "cascade", "-l", "app=kept", "-o", "name").ok().out().trim().split("\n"))
                .as("both pods stay").hasSize(2);
    }

    @Test
    @Order(5)
    void aNodeWhoseLeaseStopsGoesUnknownIsTaintedAndItsPodsAreEvictedAfterTheirTolerationSeconds() throws Exception {
        try (HollowNodes lost = new HollowNodes(client, HollowNodes.Spec.of("lost", 1)).start()) {
            kubectl.run("create", "namespace", "lost").ok();
            apply("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: brief, namespace: lost}
                    spec:
                      nodeName: lost-0
                      tolerations:
                      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                      containers: [{name: c, image: %1$s}]
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: patient, namespace: lost}
                    spec:
                      nodeName: lost-0
                      containers: [{name: c, image: %1$s}]
                    """.formatted(IMAGE));
            kubectl.run("wait", "--for=condition=Ready", "pod/brief", "pod/patient", "-n", "lost", "--timeout=110s").ok();

            lost.stopHeartbeat("lost-0");
            kubectl.run("wait", "--for=condition=Ready=Unknown", "node/lost-0", "--timeout=110s").ok();
            Await.until("the unreachable taints", LONG, () -> {
                Node n = client.nodes().withName("lost-0").get();
                List<String> taints = n.getSpec().getTaints() == null ? List.of()
                        : n.getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
                return taints.containsAll(List.of("node.kubernetes.io/unreachable:NoSchedule",
                        "node.kubernetes.io/unreachable:NoExecute"));
            });
            Await.until("brief is evicted once its 5 s toleration runs out", LONG, () -> {
                Pod p = client.pods().inNamespace("lost").withName("brief").get();
                return p == null || p.getMetadata().getDeletionTimestamp() != null;
            });
            Await.until("patient is marked not ready", LONG, () -> "False".equals(kubectl.run("get", "pod", "patient", "-n", "lost",
                    "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").ok().out()));
            assertThat(client.pods().inNamespace("lost").withName("patient").get().getMetadata().getDeletionTimestamp())
                    .as("patient tolerates the taint for the default 300 s").isNull();
        } finally {
            kubectl.run("delete", "node", "lost-0", "--ignore-not-found").ok();
        }
    }

    @Test
    @Order(6)
    void drainEvictsTheNodesPodsButADisruptionBudgetHoldsItOffUntilTheBudgetAllows() throws Exception {
        try (HollowNodes pool = new HollowNodes(client, HollowNodes.Spec.of("drain", 2).withLabels(Map.of("pool", "drain"))).start()) {
            kubectl.run("create", "namespace", "drain").ok();
            apply("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: guarded, namespace: drain}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: guarded}}
                      template:
                        metadata: {labels: {app: guarded}}
                        spec:
                          nodeSelector: {pool: drain}
                          volumes: [{name: scratch, emptyDir: {}}]
                          containers:
                          - {name: app, image: %s, volumeMounts: [{name: scratch, mountPath: /scratch}]}
                    ---
                    apiVersion: policy/v1
                    kind: PodDisruptionBudget
                    metadata: {name: guarded, namespace: drain}
                    spec:
                      minAvailable: 2
                      selector: {matchLabels: {app: guarded}}
                    """.formatted(IMAGE));
            kubectl.run("rollout", "status", "deployment/guarded", "-n", "drain", "--timeout=110s").ok();
            kubectl.run("wait", "--for=jsonpath={.status.currentHealthy}=2", "pdb/guarded", "-n", "drain", "--timeout=110s").ok();
            String target = nodesOf("drain", "app=guarded").get(0);
            await("the DaemonSet has its pod on " + target, () -> nodesOf("ds", "app=everywhere").contains(target));

            Cli.Result blocked = kubectl.run("drain", target, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=20s");
            assertThat(blocked.exit()).as("drain gives up while the budget forbids:\n%s\n%s", blocked.out(), blocked.err()).isNotZero();
            assertThat(blocked.out() + blocked.err()).contains("Cannot evict pod as it would violate the pod's disruption budget");
            assertThat(nodesOf("drain", "app=guarded")).as("the budget kept both pods").hasSize(2).contains(target);

            kubectl.run("patch", "pdb", "guarded", "-n", "drain", "--type=merge", "-p", "{\"spec\":{\"minAvailable\":1}}").ok();
            Cli.Result drained = kubectl.run("drain", target, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=110s");
            assertThat(drained.exit()).as("drain succeeds once the budget allows:\n%s\n%s", drained.out(), drained.err()).isZero();
            assertThat(drained.out()).contains("node/" + target + " drained");

            kubectl.run("rollout", "status", "deployment/guarded", "-n", "drain", "--timeout=110s").ok();
            assertThat(nodesOf("drain", "app=guarded")).as("the replacements run elsewhere").doesNotContain(target);
            assertThat(nodesOf("ds", "app=everywhere")).as("--ignore-daemonsets leaves DaemonSet pods").contains(target);
            assertThat(kubectl.run("get", "node", target, "-o", "jsonpath={.spec.unschedulable}").ok().out()).isEqualTo("true");
            kubectl.run("uncordon", target).ok();
        } finally {
            kubectl.run("delete", "node", "drain-0", "drain-1", "--ignore-not-found").ok();
        }
    }

    @Test
    @Order(7)
    void aCronJobSpawnsJobsOnItsSchedule() throws Exception {
        String job = Await.until("the CronJob controller creates a Job on the schedule", LONG, () -> {
            String names = kubectl.run("get", "jobs", "-n", "cron", "-o",
                    "jsonpath={range .items[?(@.metadata.ownerReferences[0].kind==\"CronJob\")]}{.metadata.name}{\"\\n\"}{end}").ok().out();
            return names.isBlank() ? null : names.trim().split("\n")[0];
        });
        assertThat(job).matches("tick-\\d+");
        assertThat(kubectl.run("get", "job", job, "-n", "cron", "-o", "jsonpath={.metadata.ownerReferences[0].name}").ok().out())
                .isEqualTo("tick");
        kubectl.run("wait", "--for=condition=complete", "job/" + job, "-n", "cron", "--timeout=110s").ok();
        Await.until("the CronJob records the run", LONG, () -> !kubectl.run("get", "cronjob", "tick", "-n", "cron", "-o",
                "jsonpath={.status.lastScheduleTime}").ok().out().isBlank());

        kubectl.run("create", "job", "by-hand", "--from=cronjob/tick", "-n", "cron").ok();
        kubectl.run("wait", "--for=condition=complete", "job/by-hand", "-n", "cron", "--timeout=110s").ok();
    }

    @Test
    void aNewUserGetsCredentialsThroughACsrThatKubectlApproves() throws Exception {
        java.security.KeyPair keys = io.kedge.pki.Keys.generateP256();
        io.kedge.pki.CertificateRequest request = io.kedge.pki.CertificateRequest.create(keys, "carol", List.of("team-c"),
                io.kedge.pki.SubjectAltNames.none());
        apply("""
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata: {name: carol}
                spec:
                  signerName: kubernetes.io/kube-apiserver-client
                  expirationSeconds: 86400
                  usages: [client auth]
                  request: %s
                """.formatted(java.util.Base64.getEncoder().encodeToString(request.pem().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(kubectl.run("get", "csr", "carol").ok().out()).contains("Pending");
        kubectl.run("certificate", "approve", "carol").ok();
        String issued = Await.until("carol's certificate", LONG, () -> {
            String c = kubectl.run("get", "csr", "carol", "-o", "jsonpath={.status.certificate}").ok().out();
            return c.isBlank() ? null : c;
        });
        assertThat(kubectl.run("get", "csr", "carol").ok().out()).contains("Approved,Issued");

        java.security.cert.X509Certificate cert = io.kedge.pki.PemFiles.parseCertificate(
                new String(java.util.Base64.getDecoder().decode(issued), java.nio.charset.StandardCharsets.UTF_8), "carol's CSR");
        io.kedge.pki.Kubeconfig admin = io.kedge.pki.Kubeconfig.read(server.kubeconfig());
        Path carolConfig = dir.resolve("carol.kubeconfig");
        io.kedge.pki.Kubeconfig.withClientCertificate(admin.server(), admin.certificateAuthority().orElseThrow(),
                new io.kedge.pki.IssuedCertificate(cert, keys.getPrivate())).write(carolConfig);
        Cli.Result whoami = new Cli("kubectl-1.35", carolConfig).run("auth", "whoami", "-o", "jsonpath={.status.userInfo}").ok();
        assertThat(whoami.out()).contains("\"username\":\"carol\"").contains("team-c");
    }

    private static void apply(String yaml) throws Exception {
        kubectl.runWithInput(yaml, "apply", "-f", "-").ok();
    }

    private static List<String> nodesOf(String namespace, String selector) throws Exception {
        String out = kubectl.run("get", "pods", "-n", namespace, "-l", selector, "-o", "jsonpath={.items[*].spec.nodeName}").ok().out();
        return out.isBlank() ? List.of() : Arrays.asList(out.trim().split("\\s+"));
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> probe) throws InterruptedException {
        Await.until(what, LONG, probe);
    }

    /** Index of the first recorded event that starts with {@code prefix}; fails if there is none. */
    private static int first(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no event \"" + prefix + "…\" in " + events);
    }

    /** Each pod event as "name state": ready, deleting, gone, or waiting, in the order the server sent them. */
    private static Watcher<Pod> recorder(List<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                String state;
                if (action == Action.DELETED) {
                    state = "gone";
                } else if (pod.getMetadata().getDeletionTimestamp() != null) {
                    state = "deleting";
                } else if (pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                    state = "ready";
                } else {
                    state = "waiting";
                }
                events.add(name + " " + state);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }
}
