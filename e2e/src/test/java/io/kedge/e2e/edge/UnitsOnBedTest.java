package io.kedge.e2e.edge;

import static io.kedge.e2e.edge.Readiness.podReady;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.e2e.Await;
import io.kedge.e2e.Cli;
import io.kedge.e2e.testbed.TestBed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Edge units on the bed: two units (east and west, two nodes each) run a UnitDeployment of an
 * httpd that answers with its pod, node and unit. Clients in a unit reach only their unit's pods
 * by the Service's DNS name, also while the unit's uplink is cut; a node that lost only its
 * uplink is partitioned and keeps its pods, and only a node its peers cannot reach either is
 * evicted.
 *
 * <p>Clients run inside pods. Commands reach them through a hostPath directory on their node
 * (a script dropped in, its output picked up), because kubectl exec needs the uplink that some
 * of these tests cut.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnitsOnBedTest {
    private static final String NS = "default";
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final String ECHO_URL = "http://echo.default.svc.cluster.local/";

    private static TestBed bed;
    private static KubernetesClient client;
    private static Cli kubectl;
    private static Path work;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startCluster() throws Exception {
        TestBed.assumeRunnable();
        work = TestBed.root().resolve("e2e/target/units-bed-work");
        if (Files.isDirectory(work)) {
            try (var old = Files.walk(work)) {   // an earlier run's outputs would be read as this run's
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        bed = TestBed.upCluster(TestBed.root().resolve("e2e/target/units-bed"), "east:2,west:2", 1);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(bed.kubeconfig()))).build();
        kubectl = new Cli("kubectl-1.35", bed.kubeconfig());
        for (String node : bed.nodes()) {
            Await.until(node + " Ready", WAIT, () -> ready(client.nodes().withName(node).get()));
        }
        kubectl.runWithInput(echoWorkload(bed.busyboxImage()), "apply", "-f", "-").ok();
        kubectl.runWithInput(cloudWorkload(bed.busyboxImage()), "apply", "-f", "-").ok();
        for (String node : List.of("east-1", "west-1")) {
            kubectl.runWithInput(clientPod(node, bed.busyboxImage()), "apply", "-f", "-").ok();
        }
        Await.until("two echo pods ready in each unit, on every node, and both clients ready", WAIT, () -> {
            Map<String, Set<String>> nodesByUnit = echoPods().stream().filter(Readiness::podReady)
                    .collect(Collectors.groupingBy(p -> p.getSpec().getNodeSelector().get("kedge.io/unit"),
                            Collectors.mapping(p -> p.getSpec().getNodeName(), Collectors.toSet())));
            return nodesByUnit.getOrDefault("east", Set.of()).size() == 2 && nodesByUnit.getOrDefault("west", Set.of()).size() == 2
                    && podReady(client.pods().inNamespace(NS).withName("client-east-1").get())
                    && podReady(client.pods().inNamespace(NS).withName("client-west-1").get());
        });
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        if (bed != null) {
            bed.close();
            assertThat(bed.remnants()).as("the bed leaves nothing behind").isEmpty();
        }
    }

    @Test
    @Order(1)
    void everyUnitInUseIsListedWithItsNodes() throws Exception {
        String table = kubectl.run("get", "edgeunits").ok().out();
        assertThat(table.lines().findFirst().orElse("")).contains("TYPE", "NODES", "READY", "AGE");
        assertThat(table).containsPattern("east\\s+Edge\\s+2\\s+2").containsPattern("west\\s+Edge\\s+2\\s+2");
    }

    @Test
    @Order(2)
    void aClientReachesOnlyItsOwnUnitsPodsByServiceName() throws Exception {
        List<String[]> east = requests("client-east-1", 100);
        assertThat(east).allSatisfy(r -> assertThat(r[2]).as("the unit that answered").isEqualTo("east"));
        assertThat(east.stream().map(r -> r[1]).collect(Collectors.toSet())).containsExactlyInAnyOrder("east-1", "east-2");
        List<String[]> west = requests("client-west-1", 100);
        assertThat(west).allSatisfy(r -> assertThat(r[2]).isEqualTo("west"));
        assertThat(west.stream().map(r -> r[1]).collect(Collectors.toSet())).containsExactlyInAnyOrder("west-1", "west-2");
    }

    @Test
    @Order(3)
    void nodePortAnswersOnEveryNodeFromItsOwnUnitAndHeadlessNamesResolveToTheUnitsPods() throws Exception {
        int nodePort = client.services().inNamespace(NS).withName("echo-nodeport").get().getSpec().getPorts().get(0).getNodePort();
        for (String node : bed.nodes().stream().filter(n -> !n.startsWith("central-")).toList()) {
            String unit = node.substring(0, node.indexOf('-'));
            String answer = http.send(HttpRequest.newBuilder(URI.create("http://" + bed.nodeIp(node) + ":" + nodePort + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
            assertThat(answer).as("NodePort on " + node).endsWith(" " + unit);
        }
        Set<String> eastPodIps = echoPods().stream().filter(p -> p.getSpec().getNodeName().startsWith("east-"))
                .map(p -> p.getStatus().getPodIP()).collect(Collectors.toSet());
        String lookup = inPod("client-east-1", "nslookup echo-headless.default.svc.cluster.local");
        assertThat(addresses(lookup)).as(lookup).containsExactlyInAnyOrderElementsOf(eastPodIps);
    }

    @Test
    @Order(4)
    void aPodAtASiteReachesAServiceOfTheCloudByNameThroughTheTunnel() throws Exception {
        Await.until("the cloud's echo ready", WAIT, () -> client.pods().inNamespace(NS).withLabel("app", "cloud-echo").list()
                .getItems().stream().anyMatch(Readiness::podReady));
        String podIp = client.pods().inNamespace(NS).withLabel("app", "cloud-echo").list().getItems().get(0).getStatus().getPodIP();
        // the site cannot open a connection to the cloud's pods itself: only the tunnel carries it
        String direct = inPod("client-west-1", "timeout 5 wget -qO- http://" + podIp + ":8080/ || echo UNREACHABLE");
        assertThat(direct.strip()).as(direct).endsWith("UNREACHABLE").doesNotContain("central-1");
        String answer = inPod("client-west-1", "timeout 20 wget -qO- http://cloud-echo.default.svc.cluster.local/ || echo FAILED");
        assertThat(answer.strip()).endsWith(" central-1 central");
    }

    @Test
    @Order(5)
    void aUnitCutFromTheCloudStillServesItselfAndARestartedPodIsReachableAgain() throws Exception {
        bed.cut("east");
        try {
            Await.until("the cloud sees east-1 autonomous", WAIT, () -> condition(client.nodes().withName("east-1").get(),
                    "EdgeAutonomy").map(c -> c.getStatus().equals("True")).orElse(false));
            List<String[]> cut = requests("client-east-1", 100);
            assertThat(cut).allSatisfy(r -> assertThat(r[2]).isEqualTo("east"));

            // the httpd of one east pod dies; the node restarts it on its own, and the name reaches it again
            Pod victim = echoPods().stream().filter(p -> p.getSpec().getNodeName().equals("east-2")).findFirst().orElseThrow();
            String name = victim.getMetadata().getName();
            // the node's processes are the machine's: found and killed from here, with no tool the CI machine may lack
            List<ProcessHandle> httpd = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("-f -p 80 -h /www/" + name)).toList();
            assertThat(httpd).as("the httpd of " + name).hasSize(1);
            assertThat(httpd.get(0).destroyForcibly()).isTrue();
            Await.until(name + " answers again under the service's name", WAIT,
                    () -> requests("client-east-1", 20).stream().anyMatch(r -> r[0].equals(name)));
        } finally {
            bed.restore("east");
        }
        Await.until("east nodes Ready again", WAIT, () -> ready(client.nodes().withName("east-1").get())
                && ready(client.nodes().withName("east-2").get()));
    }

    @Test
    @Order(6)
    void aNodeThatLostOnlyItsUplinkIsPartitionedAndKeepsItsPods() throws Exception {
        kubectl.run("annotate", "node", "east-2", "kedge.io/autonomy-duration=20s", "--overwrite").ok();
        Set<String> before = podNamesOn("east-2");
        bed.cutUplink("east-2");
        try {
            NodeCondition partitioned = Await.until("east-2 shown as partitioned", WAIT, () -> condition(
                    client.nodes().withName("east-2").get(), "EdgeAutonomy").filter(c -> c.getReason().equals("Partitioned"))
                    .orElse(null));
            String describe = kubectl.run("describe", "node", "east-2").ok().out();
            assertThat(describe).contains("Partitioned").contains(partitioned.getMessage());
            // well past its 20 s of autonomy, its peers still vouch for it: nothing is evicted
            Thread.sleep(Duration.ofSeconds(60).toMillis());
            assertThat(podNamesOn("east-2")).containsAll(before);
            assertThat(echoPods().stream().filter(p -> p.getSpec().getNodeName().equals("east-2")))
                    .allSatisfy(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull());
            assertThat(requests("client-east-1", 40).stream().map(r -> r[1]).collect(Collectors.toSet()))
                    .as("its pods stay in the unit's endpoints").contains("east-2");
        } finally {
            bed.restore("east-2");
        }
        Await.until("east-2 Ready again", WAIT, () -> ready(client.nodes().withName("east-2").get()));
    }

    @Test
    @Order(7)
    void aNodeItsPeersCannotReachEitherIsEvictedAfterItsAutonomyAndItsPodsMoveToThePeer() throws Exception {
        Set<String> onEast2 = echoPods().stream().filter(p -> p.getSpec().getNodeName().equals("east-2"))
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(onEast2).isNotEmpty();
        bed.cut("east-2");
        try {
            Await.until("east-2's echo pods replaced on east-1", WAIT, () -> {
                List<Pod> east = echoPods().stream().filter(p -> p.getSpec().getNodeSelector().get("kedge.io/unit").equals("east"))
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
                return east.stream().noneMatch(p -> onEast2.contains(p.getMetadata().getName()))
                        && east.stream().filter(Readiness::podReady).filter(p -> p.getSpec().getNodeName().equals("east-1")).count() == 2;
            });
            assertThat(condition(client.nodes().withName("east-2").get(), "EdgeAutonomy").map(NodeCondition::getReason))
                    .isNotEqualTo(Optional.of("Partitioned"));
        } finally {
            bed.restore("east-2");
            kubectl.run("annotate", "node", "east-2", "kedge.io/autonomy-duration-").ok();
        }
        Await.until("east-2 Ready again", WAIT, () -> ready(client.nodes().withName("east-2").get()));
    }

    @Test
    @Order(8)
    void aUnitsLabelsReachItsNodesAndLeaveThemWhenRemoved() throws Exception {
        kubectl.run("patch", "edgeunit", "east", "--type", "merge", "-p", "{\"spec\":{\"labels\":{\"example.com/site\":\"shop-17\"}}}").ok();
        Await.until("east's nodes labelled", WAIT, () -> List.of("east-1", "east-2").stream()
                .allMatch(n -> "shop-17".equals(client.nodes().withName(n).get().getMetadata().getLabels().get("example.com/site"))));
        assertThat(client.nodes().withName("west-1").get().getMetadata().getLabels()).doesNotContainKey("example.com/site");
        kubectl.run("patch", "edgeunit", "east", "--type", "json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/labels\"}]").ok();
        Await.until("the label gone from east's nodes", WAIT, () -> List.of("east-1", "east-2").stream()
                .noneMatch(n -> client.nodes().withName(n).get().getMetadata().getLabels().containsKey("example.com/site")));
    }

    @Test
    @Order(9)
    void anImageOverrideChangesOneUnitOnly() throws Exception {
        String digest = client.pods().inNamespace(NS).withName("client-east-1").get().getStatus().getContainerStatuses()
                .get(0).getImageID();
        String pinned = bed.busyboxImage().replaceFirst(":[^:/]+$", "") + "@" + digest.substring(digest.indexOf("sha256:"));
        kubectl.run("patch", "unitdeployment", "echo", "--type", "merge", "-p",
                "{\"spec\":{\"overrides\":[{\"unit\":\"west\",\"images\":[{\"container\":\"httpd\",\"image\":\"" + pinned + "\"}]}]}}").ok();
        Await.until("west's Deployment uses the pinned image", WAIT, () -> pinned.equals(client.apps().deployments().inNamespace(NS)
                .withName("echo-west").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        assertThat(client.apps().deployments().inNamespace(NS).withName("echo-east").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo(bed.busyboxImage());
        Await.until("west's pods run the pinned image", WAIT, () -> echoPods().stream()
                .filter(p -> p.getSpec().getNodeSelector().get("kedge.io/unit").equals("west") && podReady(p))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals(pinned)));
    }

    // ---- the workload and its clients

    private static String echoWorkload(String image) {
        return """
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
                          terminationGracePeriodSeconds: 1
                          # leave a dead node after 5 s, not upstream's default 300 s, once its eviction starts
                          tolerations:
                          - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                          - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                          topologySpreadConstraints:
                          - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway,
                             labelSelector: {matchLabels: {app: echo}}}
                          containers:
                          - name: httpd
                            image: IMAGE
                            imagePullPolicy: IfNotPresent
                            command: [sh, -c, 'mkdir -p /www/$POD_NAME && echo "$POD_NAME $NODE_NAME $UNIT" > /www/$POD_NAME/index.html && exec httpd -f -p 80 -h /www/$POD_NAME']
                            env:
                            - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                            - {name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                            - {name: UNIT, value: unknown}
                            ports: [{containerPort: 80, name: http}]
                            readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 2}
                  overrides:
                  - unit: east
                    patches: [{op: replace, path: /spec/template/spec/containers/0/env/2/value, value: east}]
                  - unit: west
                    patches: [{op: replace, path: /spec/template/spec/containers/0/env/2/value, value: west}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: echo, namespace: default, annotations: {kedge.io/topology: unit}}
                spec:
                  selector: {app: echo}
                  ports: [{port: 80, targetPort: http}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: echo-nodeport, namespace: default}
                spec:
                  type: NodePort
                  selector: {app: echo}
                  ports: [{port: 80, targetPort: http}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: echo-headless, namespace: default}
                spec:
                  clusterIP: None
                  selector: {app: echo}
                  ports: [{port: 80, targetPort: http}]
                """.replace("IMAGE", image);
    }

    private static String cloudWorkload(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: cloud-echo, namespace: default}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: cloud-echo}}
                  template:
                    metadata: {labels: {app: cloud-echo}}
                    spec:
                      nodeSelector: {kedge.io/unit: central}
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: httpd
                        image: IMAGE
                        imagePullPolicy: IfNotPresent
                        command: [sh, -c, 'mkdir -p /www && echo "$POD_NAME $NODE_NAME central" > /www/index.html && exec httpd -f -p 8080 -h /www']
                        env:
                        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                        - {name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                        ports: [{containerPort: 8080, name: http}]
                        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 2}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: cloud-echo, namespace: default}
                spec:
                  selector: {app: cloud-echo}
                  ports: [{port: 80, targetPort: http}]
                """.replace("IMAGE", image);
    }

    /** A client pod that runs each script dropped into its node's directory, and leaves the output beside it. */
    private static String clientPod(String node, String image) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: client-NODE, namespace: default}
                spec:
                  nodeName: NODE
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: client
                    image: IMAGE
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'while true; do for s in /x/*.sh; do [ -e "$s" ] || continue; r=${s%.sh}; sh "$s" > "$r.tmp" 2>&1; mv "$r.tmp" "$r.out"; rm -f "$s"; done; sleep 0.2; done']
                    volumeMounts: [{name: x, mountPath: /x}]
                  volumes:
                  - {name: x, hostPath: {path: DIR, type: DirectoryOrCreate}}
                """.replace("NODE", node).replace("IMAGE", image).replace("DIR", work.resolve(node).toString());
    }

    private static int scripts;

    /** Runs a shell script in a client pod, without kubectl exec, and returns its output. */
    private static String inPod(String pod, String script) throws Exception {
        Path dir = work.resolve(pod.substring("client-".length()));
        Files.createDirectories(dir);
        String name = "s" + (++scripts);
        Path tmp = dir.resolve(name + ".new");
        Files.writeString(tmp, script + "\n");
        Files.move(tmp, dir.resolve(name + ".sh"));
        Path out = dir.resolve(name + ".out");
        Await.until("the output of `" + script + "` in " + pod, WAIT, () -> Files.exists(out));
        return Files.readString(out);
    }

    /** n requests to the echo Service by name from a client pod: [pod, node, unit] per answer. */
    private static List<String[]> requests(String pod, int n) throws Exception {
        String out = inPod(pod, "i=0; while [ $i -lt " + n + " ]; do timeout 10 wget -qO- " + ECHO_URL
                + " || echo FAILED; i=$((i+1)); done");
        List<String[]> answers = out.lines().filter(l -> !l.isBlank()).map(l -> l.strip().split("\\s+")).toList();
        assertThat(answers).as(out).hasSize(n).allSatisfy(a -> assertThat(a).as(Arrays.toString(a)).hasSize(3));
        return answers;
    }

    private static List<String> addresses(String nslookup) {
        // busybox nslookup prints the server first, then "Name:" and "Address: IP" per record
        String answers = nslookup.contains("Name:") ? nslookup.substring(nslookup.indexOf("Name:")) : "";
        return answers.lines().filter(l -> l.startsWith("Address")).map(l -> l.replaceFirst("^Address( \\d+)?:\\s*", "").strip())
                .map(l -> l.split("\\s+")[0]).toList();
    }

    private static List<Pod> echoPods() {
        return client.pods().inNamespace(NS).withLabel("app", "echo").list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null && p.getSpec().getNodeSelector() != null).toList();
    }

    private static Set<String> podNamesOn(String node) {
        return client.pods().inNamespace(NS).list().getItems().stream().filter(p -> node.equals(p.getSpec().getNodeName()))
                .map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Optional<NodeCondition> condition(Node n, String type) {
        return n == null || n.getStatus() == null ? Optional.empty()
                : n.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private static boolean ready(Node n) {
        return condition(n, "Ready").map(c -> c.getStatus().equals("True")).orElse(false);
    }

}
