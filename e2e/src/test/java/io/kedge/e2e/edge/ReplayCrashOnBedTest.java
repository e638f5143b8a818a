package io.kedge.e2e.edge;

import static io.kedge.e2e.edge.Readiness.podReady;
import static io.kedge.e2e.edge.Readiness.ready;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.api.Json;
import io.kedge.e2e.Await;
import io.kedge.e2e.testbed.Shell;
import io.kedge.e2e.testbed.TestBed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, acceptance 6: a {@code kill -9} of the agent in the middle of the journal replay loses
 * no write and duplicates none. While the node's uplink is cut, crashing containers make its
 * kubelet journal pod status changes, and a client on the node journals many events through the
 * hub. Once the uplink is back and the replay is under way (the journal depth on the hub's
 * {@code /metrics}, read on the node, has dropped but is not 0), the agent is killed; its
 * supervisor starts it again and the new hub finishes the replay.
 */
class ReplayCrashOnBedTest {
    private static final String NS = "replay-e2e";
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final String HUB = "http://127.0.0.1:10261";
    /** Enough journal entries that the replay takes seconds, so that the kill lands in it; raise it on a faster machine. */
    private static final int EVENTS = Integer.getInteger("kedge.replay.events", 1500);
    private static final int EVENTS_PER_CURL = 250;
    private static final int CRASHERS = 4;
    private static final int CRASHES = 3;
    private static final String REASON = "ReplayProbe";
    private static final String RESTART_COUNT = "io.kubernetes.container.restartCount";

    private static TestBed bed;
    private static KubernetesClient client;
    private static String node;
    private static String unit;
    private static Path work;

    @BeforeAll
    static void startCluster() throws Exception {
        TestBed.assumeRunnable();
        work = TestBed.root().resolve("e2e/target/replay-bed-work");
        if (Files.isDirectory(work)) {
            try (var old = Files.walk(work)) {   // an earlier run's trigger would crash the pods at once
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work.resolve("trigger"));
        bed = TestBed.upCluster(TestBed.root().resolve("e2e/target/replay-bed"), "replay:1");
        node = bed.nodes().get(0);
        unit = bed.units().get(0);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(bed.kubeconfig()))).build();
        Await.until("the edge node Ready", WAIT, () -> ready(client.nodes().withName(node).get()));
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NS)
                .endMetadata().build()).create();
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

    /**
     * A container that runs until the test drops {@code /trigger/go}, then exits {@link #CRASHES}
     * times (its count kept in an emptyDir, which outlives the container) and runs for good.
     */
    private static Pod crasher(String name) {
        String script = "n=$(cat /state/n 2>/dev/null || echo 0); if [ \"$n\" -ge " + CRASHES + " ]; then exec sleep 36000; fi; "
                + "while [ ! -e /trigger/go ]; do sleep 1; done; echo $((n+1)) > /state/n; exit 1";
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("main").withImage(bed.busyboxImage()).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", script)
                .addNewVolumeMount().withName("state").withMountPath("/state").endVolumeMount()
                .addNewVolumeMount().withName("trigger").withMountPath("/trigger").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("state").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("trigger").withNewHostPath().withPath(work.resolve("trigger").toString())
                .withType("DirectoryOrCreate").endHostPath().endVolume()
                .endSpec().build();
    }

    private static Pod steady() {
        return new PodBuilder().withNewMetadata().withName("steady").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("main").withImage(bed.busyboxImage()).withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "36000").endContainer()
                .endSpec().build();
    }

    private static List<String> crasherNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= CRASHERS; i++) {
            names.add("crasher-" + i);
        }
        return names;
    }

    private static List<String> podNames() {
        List<String> names = new ArrayList<>(List.of("steady"));
        names.addAll(crasherNames());
        return names;
    }

    /** A GET of the hub's local endpoint, from inside the node. */
    private static String onNode(String path) throws Exception {
        return bed.nodeExec(node, "curl", "-sf", "--max-time", "5", HUB + path).ok().out();
    }

    /** The hub's metrics, read on the node as a monitoring agent there would. */
    private static Map<String, Double> metrics() throws Exception {
        Map<String, Double> values = new HashMap<>();
        for (String line : onNode("/metrics").split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && line.startsWith("kedge_hub_")) {
                values.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return values;
    }

    private static int journalDepth() throws Exception {
        Double depth = metrics().get("kedge_hub_journal_depth");
        if (depth == null) {
            throw new AssertionError("the hub's /metrics has no kedge_hub_journal_depth");
        }
        return depth.intValue();
    }

    /** The pod's first container as the node's hub shows it (offline: its own, journaled state). */
    private static JsonNode containerOnNode(String pod) throws Exception {
        JsonNode p = Json.parse(onNode("/api/v1/namespaces/" + NS + "/pods/" + pod).getBytes(StandardCharsets.UTF_8), false);
        return p.path("status").path("containerStatuses").path(0);
    }

    /** Posts the events through the hub with one curl per batch (one connection, requests in turn); returns how many got a 201. */
    private static int postEvents(String podUid) throws Exception {
        int created = 0;
        for (int first = 1; first <= EVENTS; first += EVENTS_PER_CURL) {
            StringBuilder config = new StringBuilder();
            for (int i = first; i < Math.min(first + EVENTS_PER_CURL, EVENTS + 1); i++) {
                String now = Instant.now().toString();
                String body = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"generateName\":\"steady.replay-\"},"
                        + "\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"namespace\":\"" + NS + "\",\"name\":\"steady\","
                        + "\"uid\":\"" + podUid + "\"},\"reason\":\"" + REASON + "\",\"message\":\"probe " + i + "\",\"type\":\"Normal\","
                        + "\"source\":{\"component\":\"replay-e2e\",\"host\":\"" + node + "\"},\"count\":1,"
                        + "\"firstTimestamp\":\"" + now + "\",\"lastTimestamp\":\"" + now + "\"}";
                config.append("url = \"").append(HUB).append("/api/v1/namespaces/").append(NS).append("/events\"\n")
                        .append("request = POST\nheader = \"Content-Type: application/json\"\noutput = /dev/null\n")
                        .append("write-out = \"%{http_code}\\n\"\n")
                        .append("data = \"").append(body.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
                if (i < Math.min(first + EVENTS_PER_CURL, EVENTS + 1) - 1) {
                    config.append("next\n");
                }
            }
            Path file = work.resolve("events-" + first + ".curl");
            Files.writeString(file, config);
            String codes = bed.nodeExec(node, "curl", "-s", "-K", file.toString()).out();
            created += (int) codes.lines().filter("201"::equals).count();
        }
        return created;
    }

    /** The pod's newest container on the node, from containerd itself: its id and the restart count the kubelet gave it. */
    private static String[] newestContainer(String pod) throws Exception {
        String socket = bed.containerdSocket(node).toString();
        String filter = "labels.\"io.kubernetes.pod.name\"==" + pod + ",labels.\"io.kubernetes.pod.namespace\"==" + NS
                + ",labels.\"io.kubernetes.container.name\"==main";
        String[] newest = null;
        for (String id : Shell.run(Duration.ofSeconds(30), "ctr", "--address", socket, "-n", "k8s.io", "containers", "ls", "-q",
                filter).ok().out().split("\n")) {
            if (id.isBlank()) {
                continue;
            }
            JsonNode info = Json.parse(Shell.run(Duration.ofSeconds(30), "ctr", "--address", socket, "-n", "k8s.io", "containers",
                    "info", id.strip()).ok().out().getBytes(StandardCharsets.UTF_8), false);
            String restarts = restartCount(info);
            if (newest == null || Integer.parseInt(restarts) > Integer.parseInt(newest[1])) {
                newest = new String[] {id.strip(), restarts};
            }
        }
        if (newest == null) {
            throw new AssertionError("containerd on " + node + " has no container of pod " + pod);
        }
        return newest;
    }

    /**
     * The kubelet keeps a container's restart count in its CRI annotations, which containerd holds
     * in the container's CRI metadata extension (JSON, base64 in {@code ctr containers info}).
     */
    private static String restartCount(JsonNode info) {
        List<JsonNode> places = new ArrayList<>(List.of(info));
        info.path("Extensions").forEach(ext -> {
            try {
                places.add(Json.parse(java.util.Base64.getDecoder().decode(ext.path("value").asText()), false));
            } catch (RuntimeException notJson) {
                // another extension's encoding
            }
        });
        for (JsonNode place : places) {
            JsonNode count = place.findValue(RESTART_COUNT);
            if (count != null) {
                return count.asText();
            }
        }
        throw new AssertionError("no " + RESTART_COUNT + " in the container's info: " + info);
    }

    /** The journal the hub keeps in its database: every entry, replayed ones included (they are kept for the record). */
    private static List<Map<String, String>> journalRows() throws Exception {
        Path db = bed.dataDir().resolve("nodes").resolve(node).resolve("agent/hub/hub.db");
        assertThat(db).exists();
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT seq, method, path, body, done, outcome FROM journal ORDER BY seq")) {
            while (r.next()) {
                byte[] body = r.getBytes(4);
                rows.add(Map.of("seq", r.getString(1), "method", r.getString(2), "path", r.getString(3),
                        "body", body == null ? "" : new String(body, StandardCharsets.UTF_8), "done", r.getString(5),
                        "outcome", r.getString(6) == null ? "" : r.getString(6)));
            }
        }
        return rows;
    }

    @Test
    void aKillDuringTheJournalReplayLosesNoWriteAndDuplicatesNone() throws Exception {
        client.pods().inNamespace(NS).resource(steady()).create();
        for (String name : crasherNames()) {
            client.pods().inNamespace(NS).resource(crasher(name)).create();
        }
        Await.until("every pod ready", WAIT, () -> client.pods().inNamespace(NS).list().getItems().stream()
                .filter(Readiness::podReady).count() == CRASHERS + 1);
        String steadyUid = client.pods().inNamespace(NS).withName("steady").get().getMetadata().getUid();
        assertThat(journalDepth()).isZero();

        bed.cut(unit);
        int depthBefore;
        Map<String, String> containersBefore = new HashMap<>();
        try {
            Await.until("the hub sees the cloud unreachable", WAIT, () -> metrics().get("kedge_hub_cloud_healthy") == 0.0);
            Files.createFile(work.resolve("trigger/go"));
            assertThat(postEvents(steadyUid)).as("events accepted by the hub while cut").isEqualTo(EVENTS);
            for (String name : crasherNames()) {
                Await.until(name + " crashed " + CRASHES + " times and running again, as the node sees it", WAIT, () -> {
                    JsonNode c = containerOnNode(name);
                    return c.path("restartCount").asInt() == CRASHES && c.path("state").has("running");
                });
            }
            for (String name : podNames()) {
                containersBefore.put(name, containerOnNode(name).path("containerID").asText().replace("containerd://", ""));
            }
            depthBefore = journalDepth();
            assertThat(depthBefore).as("the journal holds the events and the pods' status changes")
                    .isGreaterThan(EVENTS + CRASHERS * CRASHES);
        } finally {
            bed.restore(unit);
        }

        // the kill: once the hub has replayed a quarter of the journal and not all of it
        long agent = bed.supervisedPid("agent-" + node);
        Path agentLog = bed.log("agent-" + node);
        int depthAtKill = -1;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (depthAtKill < 0) {
            int depth = journalDepth();
            assertThat(depth).as("the replay finished before the agent could be killed in it; make more entries with "
                    + "-Dkedge.replay.events=N (now " + EVENTS + ")").isNotZero();
            if (depth <= depthBefore * 3 / 4) {
                new ProcessBuilder("kill", "-9", String.valueOf(agent)).start().waitFor();
                depthAtKill = depth;
            }
            assertThat(System.nanoTime()).as("the replay did not start within " + WAIT).isLessThan(deadline);
        }
        long logAtKill = Files.size(agentLog);
        Await.until("the agent back, its hub answering", WAIT, () -> bed.supervisedPid("agent-" + node) != agent
                && bed.nodeExec(node, "curl", "-sf", HUB + "/healthz").exit() == 0);
        Await.until("the journal replayed to the end", WAIT, () -> journalDepth() == 0);
        String restarted = Files.readString(agentLog).substring((int) logAtKill);
        assertThat(restarted).as("the new hub found the rest of the journal (killed at depth " + depthAtKill + " of "
                + depthBefore + ")").containsPattern("; [1-9][0-9]* journaled writes to replay");

        // the journal: every entry reached the cloud; only the one in flight at the kill may have gone twice
        List<Map<String, String>> rows = journalRows();
        assertThat(rows).allSatisfy(r -> assertThat(r.get("done")).as("entry " + r).isEqualTo("1"));
        assertThat(rows).noneSatisfy(r -> assertThat(r.get("outcome")).startsWith("rejected"));
        assertThat(rows.stream().filter(r -> r.get("outcome").startsWith("duplicate")).count())
                .as("events sent again after the kill").isLessThanOrEqualTo(1);

        // events: each journaled one exactly once in the cloud
        List<Event> events = client.v1().events().inNamespace(NS).list().getItems();
        Map<String, Long> byName = events.stream().collect(Collectors.groupingBy(e -> e.getMetadata().getName(), Collectors.counting()));
        // (the kubelet's own events of the node, in default, are journaled too while the restarted hub finds the cloud)
        List<String> journaledEvents = rows.stream().filter(r -> r.get("method").equals("POST")
                        && r.get("path").contains("/namespaces/" + NS + "/events"))
                .map(r -> Json.parse(r.get("body").getBytes(StandardCharsets.UTF_8), false).path("metadata").path("name").asText())
                .toList();
        assertThat(journaledEvents).hasSizeGreaterThanOrEqualTo(EVENTS);
        assertThat(journaledEvents).allSatisfy(name -> assertThat(byName.get(name)).as("copies of event " + name).isEqualTo(1L));
        Map<String, Long> probes = events.stream().filter(e -> REASON.equals(e.getReason()))
                .collect(Collectors.groupingBy(e -> e.getInvolvedObject().getUid() + "/" + e.getMessage(), Collectors.counting()));
        assertThat(probes).hasSize(EVENTS);
        assertThat(probes.values()).allMatch(n -> n == 1L);
        assertThat(probes.keySet()).allMatch(k -> k.startsWith(steadyUid + "/"));

        // the restarted agent adopted the running containers: none was removed and started again
        for (String name : podNames()) {
            assertThat(newestContainer(name)[0]).as(name + "'s container on the node after the agent's restart")
                    .isEqualTo(containersBefore.get(name));
        }

        // pod status: the cloud shows what containerd on the node runs
        Await.until("the node Ready in the cloud", WAIT, () -> ready(client.nodes().withName(node).get()));
        for (String name : crasherNames()) {
            String[] reality = newestContainer(name);
            assertThat(reality[1]).as(name + "'s restart count on the node").isEqualTo(String.valueOf(CRASHES));
            Await.until(name + " in the cloud as containerd runs it", WAIT, () -> {
                Pod p = client.pods().inNamespace(NS).withName(name).get();
                ContainerStatus c = p.getStatus().getContainerStatuses().get(0);
                return c.getRestartCount() == CRASHES && ("containerd://" + reality[0]).equals(c.getContainerID())
                        && c.getState().getRunning() != null && podReady(p);
            });
        }
        Map<String, Pod> cloudPods = client.pods().inNamespace(NS).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
        assertThat(cloudPods.get("steady").getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    }
}
