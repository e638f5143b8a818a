package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The hub between local clients and a real kedge server over HTTPS, with an uplink the tests cut and restore. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeHubTest {
    private TestCloud cloud;
    private Path serverDir;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    void startCloud() throws Exception {
        serverDir = Files.createTempDirectory("kedge-hub-test");
        cloud = TestCloud.start(serverDir);
    }

    @AfterAll
    void stopCloud() throws Exception {
        cloud.close();
    }

    @AfterEach
    void closeHubs() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    private Link link() throws Exception {
        Link link = cloud.link();
        opened.add(link);
        return link;
    }

    private EdgeHub hub(String node, Link link) throws Exception {
        EdgeHub hub = new EdgeHub(cloud.hubConfig(dir.resolve(node), node, link)).start();
        opened.add(hub);
        return hub;
    }

    private static HubClient client(EdgeHub hub, String agent) {
        return new HubClient(hub.url(), agent);
    }

    private void createPods(String node, String... namesAndApps) throws Exception {
        for (int i = 0; i < namesAndApps.length; i += 2) {
            cloud.create("/api/v1/namespaces/default/pods", TestCloud.pod(namesAndApps[i], node, namesAndApps[i + 1]));
        }
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }

    private static void awaitOffline(EdgeHub hub) throws Exception {
        Await.until("the hub sees the cloud unhealthy", () -> !hub.cloudHealthy());
    }

    private static void awaitOnline(EdgeHub hub) throws Exception {
        Await.until("the hub sees the cloud healthy", hub::cloudHealthy);
    }

    @Test
    void getListAndWatchPassThroughToTheCloudWithTheNodesCertificate() throws Exception {
        EdgeHub hub = hub("pass-1", link());
        createPods("pass-1", "pass-a", "web");
        HubClient kubelet = client(hub, "kubelet/v1.35");

        JsonNode pod = kubelet.get("/api/v1/namespaces/default/pods/pass-a");
        assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("pass-1");
        JsonNode list = kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dpass-1");
        assertThat(names(list)).containsExactly("pass-a");

        String rv = list.path("metadata").path("resourceVersion").asText();
        HubClient.Events events = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dpass-1&resourceVersion=" + rv);
        assertThat(events.status).isEqualTo(200);
        createPods("pass-1", "pass-b", "web");
        JsonNode added = HubClient.json(events.next());
        assertThat(added.path("type").asText()).isEqualTo("ADDED");
        assertThat(added.path("object").path("metadata").path("name").asText()).isEqualTo("pass-b");

        HttpResponse<String> whoami = kubelet.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "application/json", "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
        assertThat(whoami.statusCode()).isEqualTo(201);
        assertThat(HubClient.json(whoami.body()).path("status").path("userInfo").path("username").asText())
                .as("the hub speaks to the cloud as the node").isEqualTo("system:node:pass-1");
        HttpResponse<String> metrics = kubelet.send("GET", "/metrics", null, null);
        assertThat(metrics.body()).contains("kedge_hub_cloud_healthy 1").contains("kedge_hub_journal_depth 0");
    }

    @Test
    void aFailedServerIsSkippedForTheNextOne() throws Exception {
        Link link = link();
        var base = cloud.hubConfig(dir.resolve("fail-1"), "fail-1", link);
        java.net.ServerSocket closed = new java.net.ServerSocket(0);
        int deadPort = closed.getLocalPort();
        closed.close();
        HubConfig config = new HubConfig(List.of(URI.create("https://127.0.0.1:" + deadPort), base.servers().get(0)),
                base.identity(), null, base.serverCa(), "fail-1", base.dataDir(), 0, base.leaseInterval(), base.leaseTimeout(),
                base.kubeletGrace());
        EdgeHub hub = new EdgeHub(config).start();
        opened.add(hub);
        createPods("fail-1", "fail-a", "web");
        assertThat(names(client(hub, "kubelet").get("/api/v1/pods?fieldSelector=spec.nodeName%3Dfail-1"))).containsExactly("fail-a");
        assertThat(hub.activeServer()).isEqualTo(base.servers().get(0));
    }

    @Test
    void twoListShapesOfOneClientAreCachedApartAndBothAnsweredOffline() throws Exception {
        Link link = link();
        EdgeHub hub = hub("shape-1", link);
        createPods("shape-1", "shape-a1", "a", "shape-a2", "a", "shape-b1", "b");
        HubClient kubelet = client(hub, "kubelet");
        assertThat(names(kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dshape-1&labelSelector=app%3Da"))).contains("shape-a1", "shape-a2");
        assertThat(names(kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dshape-1&labelSelector=app%3Db"))).contains("shape-b1");

        link.cut();
        awaitOffline(hub);
        JsonNode a = kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dshape-1&labelSelector=app%3Da");
        JsonNode b = kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dshape-1&labelSelector=app%3Db");
        assertThat(names(a)).contains("shape-a1", "shape-a2").doesNotContain("shape-b1");
        assertThat(names(b)).contains("shape-b1").doesNotContain("shape-a1", "shape-a2");
        assertThat(a.path("kind").asText()).isEqualTo("PodList");
        assertThat(a.path("metadata").path("resourceVersion").asText()).isNotEmpty();
    }

    @Test
    void offlineGetAndListAreAnsweredFromTheCacheForThisAndOtherClients() throws Exception {
        Link link = link();
        EdgeHub hub = hub("off-1", link);
        createPods("off-1", "off-a", "x", "off-b", "y");
        HubClient kubelet = client(hub, "kubelet");
        kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Doff-1");
        kubelet.get("/api/v1/namespaces/default/pods/off-a");

        link.cut();
        awaitOffline(hub);
        assertThat(names(kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Doff-1"))).containsExactly("off-a", "off-b");
        assertThat(kubelet.get("/api/v1/namespaces/default/pods/off-a").path("metadata").path("name").asText()).isEqualTo("off-a");
        // another client with the same shape gets the kubelet's entry; a shape nobody listed is filtered from the objects
        HubClient kubectl = client(hub, "kubectl/v1.35");
        assertThat(names(kubectl.get("/api/v1/pods?fieldSelector=spec.nodeName%3Doff-1"))).containsExactly("off-a", "off-b");
        assertThat(names(kubectl.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dy"))).containsExactly("off-b");

        HttpResponse<String> table = kubectl.sendWith("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dy",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        JsonNode t = HubClient.json(table.body());
        assertThat(t.path("kind").asText()).as("kubectl get prints the cloud's columns offline").isEqualTo("Table");
        assertThat(t.path("columnDefinitions").get(0).path("name").asText()).isEqualTo("Name");
        assertThat(t.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("off-b");

        HttpResponse<String> create = kubectl.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"}}");
        assertThat(create.statusCode()).isEqualTo(503);
        JsonNode status = HubClient.json(create.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("reason").asText()).isEqualTo("ServiceUnavailable");
        assertThat(status.path("message").asText()).contains("cloud is unreachable since").contains("not a node write");
        assertThat(kubectl.send("GET", "/metrics", null, null).body()).contains("kedge_hub_cloud_healthy 0");
    }

    @Test
    void aPodStatusWrittenOfflineIsJournaledAndReplayedWhileOneForADeletedPodIsDropped() throws Exception {
        Link link = link();
        EdgeHub hub = hub("jr-1", link);
        createPods("jr-1", "jr-keep", "x", "jr-gone", "x");
        HubClient kubelet = client(hub, "kubelet");
        kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Djr-1");
        HubClient.Events events = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Djr-1&resourceVersion="
                + kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Djr-1").path("metadata").path("resourceVersion").asText());

        link.cut();
        awaitOffline(hub);
        JsonNode keep = kubelet.get("/api/v1/namespaces/default/pods/jr-keep");
        ((com.fasterxml.jackson.databind.node.ObjectNode) keep).putObject("status").put("phase", "Running").put("podIP", "10.42.0.7");
        HttpResponse<String> put = kubelet.send("PUT", "/api/v1/namespaces/default/pods/jr-keep/status", "application/json",
                keep.toString());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(HubClient.json(put.body()).path("status").path("podIP").asText()).isEqualTo("10.42.0.7");
        HttpResponse<String> patch = kubelet.send("PATCH", "/api/v1/namespaces/default/pods/jr-gone/status",
                "application/strategic-merge-patch+json", "{\"status\":{\"phase\":\"Running\"}}");
        assertThat(patch.statusCode()).isEqualTo(200);
        assertThat(hub.journalDepth()).isEqualTo(2);
        // the open watch carries the local change, and offline reads show it
        String event = events.next();
        assertThat(event).contains("MODIFIED").contains("10.42.0.7");
        assertThat(kubelet.get("/api/v1/namespaces/default/pods/jr-keep").path("status").path("podIP").asText())
                .isEqualTo("10.42.0.7");

        cloud.send("DELETE", "/api/v1/namespaces/default/pods/jr-gone", "application/json", "{\"gracePeriodSeconds\":0}");
        link.restore();
        Await.until("the journal replayed", () -> hub.journalDepth() == 0);
        JsonNode inCloud = cloud.get("/api/v1/namespaces/default/pods/jr-keep");
        assertThat(inCloud.path("status").path("podIP").asText()).isEqualTo("10.42.0.7");
        assertThat(inCloud.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(cloud.send("GET", "/api/v1/namespaces/default/pods/jr-gone", null, null).statusCode()).isEqualTo(404);
        // the watch that carried local changes is closed, so that its client lists again from the cloud
        String last;
        String error = null;
        do {
            last = events.next();
            if (last.contains("\"ERROR\"")) {
                error = last;
            }
        } while (!last.equals(HubClient.Events.END));
        assertThat(error).as("clients are told to list again").contains("\"code\":410").contains("Expired");
    }

    @Test
    void aJournalLeftByACrashIsReplayedByTheNextHub() throws Exception {
        Link link = link();
        EdgeHub first = hub("crash-1", link);
        createPods("crash-1", "crash-a", "x");
        HubClient kubelet = client(first, "kubelet");
        kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dcrash-1");
        link.cut();
        awaitOffline(first);
        assertThat(kubelet.send("PATCH", "/api/v1/namespaces/default/pods/crash-a/status", "application/merge-patch+json",
                "{\"status\":{\"message\":\"written offline\"}}").statusCode()).isEqualTo(200);
        String event = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"crash-a.1\"},"
                + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"crash-a\",\"namespace\":\"default\"},\"reason\":\"Started\","
                + "\"message\":\"offline\",\"type\":\"Normal\"}";
        assertThat(kubelet.send("POST", "/api/v1/namespaces/default/events", "application/json", event).statusCode()).isEqualTo(201);
        String generated = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"generateName\":\"crash-a-\"},"
                + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"crash-a\",\"namespace\":\"default\"},\"reason\":\"Pulled\","
                + "\"message\":\"generated offline\",\"type\":\"Normal\"}";
        HttpResponse<String> named = kubelet.send("POST", "/api/v1/namespaces/default/events", "application/json", generated);
        assertThat(named.statusCode()).isEqualTo(201);
        String generatedName = HubClient.json(named.body()).path("metadata").path("name").asText();
        assertThat(generatedName).startsWith("crash-a-").hasSizeGreaterThan("crash-a-".length());
        assertThat(first.journalDepth()).isEqualTo(3);
        opened.remove(first);
        first.close();

        link.restore();
        EdgeHub second = hub("crash-1", link);
        Await.until("the journal replayed after the restart", () -> second.journalDepth() == 0);
        assertThat(cloud.get("/api/v1/namespaces/default/pods/crash-a").path("status").path("message").asText())
                .isEqualTo("written offline");
        assertThat(cloud.get("/api/v1/namespaces/default/events/crash-a.1").path("message").asText()).isEqualTo("offline");
        assertThat(cloud.get("/api/v1/namespaces/default/events/" + generatedName).path("message").asText())
                .as("an event is replayed under the name the node was given").isEqualTo("generated offline");
    }

    @Test
    void anObjectWhoseOfflineNameTheCloudGaveToAnotherIsNotDroppedAsADuplicate() throws Exception {
        Link link = link();
        EdgeHub hub = hub("taken-1", link);
        createPods("taken-1", "taken-a", "x");
        HubClient kubelet = client(hub, "kubelet");
        kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dtaken-1");
        link.cut();
        awaitOffline(hub);
        String generated = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"generateName\":\"taken-a-\"},"
                + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"taken-a\",\"namespace\":\"default\"},\"reason\":\"Pulled\","
                + "\"message\":\"generated offline\",\"type\":\"Normal\"}";
        String generatedName = HubClient.json(kubelet.send("POST", "/api/v1/namespaces/default/events", "application/json",
                generated).body()).path("metadata").path("name").asText();
        String named = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"taken-a.fixed\"},"
                + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"taken-a\",\"namespace\":\"default\"},\"reason\":\"Started\","
                + "\"message\":\"named offline\",\"type\":\"Normal\"}";
        assertThat(kubelet.send("POST", "/api/v1/namespaces/default/events", "application/json", named).statusCode())
                .isEqualTo(201);
        // meanwhile someone else creates objects of both names in the cloud
        for (String name : List.of(generatedName, "taken-a.fixed")) {
            cloud.create("/api/v1/namespaces/default/events", "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\""
                    + name + "\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"other\",\"namespace\":\"default\"},"
                    + "\"reason\":\"Other\",\"message\":\"made in the cloud\",\"type\":\"Normal\"}");
        }

        link.restore();
        Await.until("the journal replayed", () -> hub.journalDepth() == 0);
        List<String> offlineEvents = new ArrayList<>();
        for (JsonNode e : cloud.get("/api/v1/namespaces/default/events").path("items")) {
            if (e.path("message").asText().equals("generated offline") && e.path("involvedObject").path("name").asText().equals("taken-a")) {
                offlineEvents.add(e.path("metadata").path("name").asText());
            }
        }
        assertThat(offlineEvents).as("the event made offline lands once, under a name the cloud generates")
                .hasSize(1).allSatisfy(n -> assertThat(n).startsWith("taken-a-").isNotEqualTo(generatedName));
        assertThat(cloud.get("/api/v1/namespaces/default/events/" + generatedName).path("message").asText())
                .as("the other object keeps its name").isEqualTo("made in the cloud");
        assertThat(cloud.get("/api/v1/namespaces/default/events/taken-a.fixed").path("message").asText())
                .as("a name the client chose is not taken from another object").isEqualTo("made in the cloud");
    }

    @Test
    void theHubRenewsTheNodeLeaseOnlyWhileTheKubeletIsAlive() throws Exception {
        cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"lease-1\"}}");
        EdgeHub hub = hub("lease-1", link());
        Await.until("three checks without a heartbeat", () -> hub.healthChecks() >= 3);
        assertThat(cloud.send("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/lease-1", null, null)
                .statusCode()).isEqualTo(404);

        hub.kubeletAlive();
        JsonNode lease = Await.until("the lease created", () -> {
            var r = cloud.send("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/lease-1", null, null);
            return r.statusCode() == 200 ? HubClient.json(r.body()) : null;
        });
        JsonNode node = cloud.get("/api/v1/nodes/lease-1");
        assertThat(lease.path("spec").path("holderIdentity").asText()).isEqualTo("lease-1");
        assertThat(lease.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(40);
        assertThat(lease.path("metadata").path("ownerReferences").get(0).path("uid").asText())
                .isEqualTo(node.path("metadata").path("uid").asText());
        String renewed = lease.path("spec").path("renewTime").asText();
        Await.until("the lease renewed", () -> !cloud.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/lease-1")
                .path("spec").path("renewTime").asText().equals(renewed));
    }

    @Test
    void aWatchOpenedOfflineStartsWithTheCachedObjectsCarriesLocalChangesAndEndsWhenTheCloudReturns() throws Exception {
        Link link = link();
        EdgeHub hub = hub("ow-1", link);
        createPods("ow-1", "ow-a", "x");
        HubClient kubelet = client(hub, "kubelet");
        kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dow-1");
        link.cut();
        awaitOffline(hub);

        HubClient.Events events = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dow-1");
        assertThat(events.status).isEqualTo(200);
        assertThat(events.next()).contains("\"ADDED\"").contains("ow-a");
        assertThat(kubelet.send("PATCH", "/api/v1/namespaces/default/pods/ow-a/status", "application/merge-patch+json",
                "{\"status\":{\"podIP\":\"10.42.9.9\"}}").statusCode()).isEqualTo(200);
        assertThat(events.next()).contains("\"MODIFIED\"").contains("10.42.9.9");

        link.restore();
        Await.until("the journal replayed", () -> hub.journalDepth() == 0);
        String last;
        String error = null;
        do {
            last = events.next();
            if (last.contains("\"ERROR\"")) {
                error = last;
            }
        } while (!last.equals(HubClient.Events.END));
        assertThat(error).as("clients are told to list again").contains("\"code\":410").contains("Expired");
        assertThat(cloud.get("/api/v1/namespaces/default/pods/ow-a").path("status").path("podIP").asText()).isEqualTo("10.42.9.9");
    }

    @Test
    void aPodDeletionConfirmedByTheNodeOfflineLeavesTheCacheAndIsDoneInTheCloudOnReconnect() throws Exception {
        Link link = link();
        EdgeHub hub = hub("del-1", link);
        createPods("del-1", "del-a", "x", "del-b", "x");
        HubClient kubelet = client(hub, "kubelet");
        kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Ddel-1");
        String uid = kubelet.get("/api/v1/namespaces/default/pods/del-a").path("metadata").path("uid").asText();
        link.cut();
        awaitOffline(hub);

        HttpResponse<String> deleted = kubelet.send("DELETE", "/api/v1/namespaces/default/pods/del-a", "application/json",
                "{\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"" + uid + "\"}}");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(names(kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Ddel-1"))).containsExactly("del-b");
        assertThat(kubelet.send("GET", "/api/v1/namespaces/default/pods/del-a", null, null).statusCode()).isEqualTo(404);

        link.restore();
        Await.until("the journal replayed", () -> hub.journalDepth() == 0);
        assertThat(cloud.send("GET", "/api/v1/namespaces/default/pods/del-a", null, null).statusCode()).isEqualTo(404);
        assertThat(cloud.send("GET", "/api/v1/namespaces/default/pods/del-b", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aWebSocketWatchAsFabric8OpensOneGetsEachEventAsOneMessage() throws Exception {
        EdgeHub hub = hub("ws-1", link());
        createPods("ws-1", "ws-a", "x");
        String rv = client(hub, "fabric8").get("/api/v1/pods?fieldSelector=spec.nodeName%3Dws-1")
                .path("metadata").path("resourceVersion").asText();
        java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.address().getPort()
                        + "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dws-1&resourceVersion=" + rv),
                        new java.net.http.WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                                                  boolean last) {
                                text.append(data);
                                if (last) {
                                    messages.add(text.toString());
                                    text.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        }).get(20, java.util.concurrent.TimeUnit.SECONDS);
        try {
            createPods("ws-1", "ws-b", "x");
            String message = messages.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(message).isNotNull();
            JsonNode event = HubClient.json(message);
            assertThat(event.path("type").asText()).isEqualTo("ADDED");
            assertThat(event.path("object").path("metadata").path("name").asText()).isEqualTo("ws-b");
        } finally {
            socket.abort();
        }
    }

    @Test
    void whileUnhealthyWhatTheCacheLacksIsStillAskedOfTheCloud() throws Exception {
        Link link = link();
        link.cut();
        // one check at the start, which fails, and none after it for an hour: the hub stays unhealthy
        EdgeHub hub = new EdgeHub(cloud.hubConfig(dir.resolve("miss-1"), "miss-1", link)
                .withLease(java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(40))).start();
        opened.add(hub);
        awaitOffline(hub);
        HubClient kubelet = client(hub, "kubelet");
        HttpResponse<String> missing = kubelet.send("GET", "/api/v1/namespaces/default/pods/miss-a", null, null);
        assertThat(missing.statusCode()).isEqualTo(503);
        assertThat(HubClient.json(missing.body()).path("message").asText())
                .contains("the cloud is unreachable since").contains("pods \"miss-a\" is not in the hub's cache");

        createPods("miss-1", "miss-a", "x");
        link.restore();
        assertThat(kubelet.get("/api/v1/namespaces/default/pods/miss-a").path("metadata").path("name").asText()).isEqualTo("miss-a");
        assertThat(hub.cloudHealthy()).isFalse();
    }

    @Test
    void aNodeStatusPatchedOfflineMergesItsConditionsByTypeAndReachesTheCloud() throws Exception {
        cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"ns-1\"}}");
        cloud.send("PATCH", "/api/v1/nodes/ns-1/status", "application/strategic-merge-patch+json",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},{\"type\":\"DiskPressure\","
                        + "\"status\":\"False\"}]}}");
        Link link = link();
        EdgeHub hub = hub("ns-1", link);
        HubClient kubelet = client(hub, "kubelet");
        kubelet.get("/api/v1/nodes/ns-1");
        link.cut();
        awaitOffline(hub);
        HttpResponse<String> patched = kubelet.send("PATCH", "/api/v1/nodes/ns-1/status", "application/strategic-merge-patch+json",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"KubeletNotReady\"}]}}");
        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode conditions = HubClient.json(patched.body()).path("status").path("conditions");
        assertThat(conditions).hasSize(2);
        assertThat(kubelet.get("/api/v1/nodes/ns-1").path("status").path("conditions").toString())
                .contains("KubeletNotReady").contains("DiskPressure");

        link.restore();
        Await.until("the journal replayed", () -> hub.journalDepth() == 0);
        JsonNode inCloud = cloud.get("/api/v1/nodes/ns-1").path("status").path("conditions");
        assertThat(inCloud.toString()).contains("KubeletNotReady").contains("DiskPressure");
    }

    @Test
    void theNodesOwnLabelAndAnnotationPatchesOfflineAreJournaledAndReplayedInOrder() throws Exception {
        cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"probe-1\"}}");
        cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"probe-2\"}}");
        Link link = link();
        EdgeHub hub = hub("probe-1", link);
        HubClient agent = client(hub, "kedge-agent");
        agent.get("/api/v1/nodes/probe-1");
        agent.get("/api/v1/nodes/probe-2");
        link.cut();
        awaitOffline(hub);

        HttpResponse<String> labelled = agent.send("PATCH", "/api/v1/nodes/probe-1", "application/strategic-merge-patch+json",
                "{\"metadata\":{\"labels\":{\"kedge.io/edge\":\"true\"}}}");
        assertThat(labelled.statusCode()).as(labelled.body()).isEqualTo(200);
        String first = "{\\\"time\\\":\\\"2026-11-27T12:00:00Z\\\",\\\"peers\\\":{\\\"east-2\\\":\\\"Reachable\\\"}}";
        String second = first.replace("Reachable", "Unreachable").replace("12:00:00", "12:00:05");
        for (String report : List.of(first, second)) {
            HttpResponse<String> patched = agent.send("PATCH", "/api/v1/nodes/probe-1", "application/merge-patch+json",
                    "{\"metadata\":{\"annotations\":{\"kedge.io/peer-probe\":\"" + report + "\"}}}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        }
        assertThat(hub.journalDepth()).isEqualTo(3);
        JsonNode local = agent.get("/api/v1/nodes/probe-1").path("metadata");
        assertThat(local.path("annotations").path("kedge.io/peer-probe").asText()).contains("Unreachable");
        assertThat(local.path("labels").path("kedge.io/edge").asText()).isEqualTo("true");
        HttpResponse<String> other = agent.send("PATCH", "/api/v1/nodes/probe-2", "application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"x\":\"y\"}}}");
        assertThat(other.statusCode()).as("another node's object is no write of this node's").isEqualTo(503);

        link.restore();
        Await.until("the journal replayed", () -> hub.journalDepth() == 0);
        JsonNode inCloud = cloud.get("/api/v1/nodes/probe-1").path("metadata");
        assertThat(inCloud.path("annotations").path("kedge.io/peer-probe").asText()).as("the last report wins")
                .isEqualTo(second.replace("\\", ""));
        assertThat(inCloud.path("labels").path("kedge.io/edge").asText()).isEqualTo("true");
    }

    @Test
    void theCloudTurnsUnhealthyWhenTheLinkIsCutAndHealthyWhenItIsBack() throws Exception {
        Link link = link();
        EdgeHub hub = hub("health-1", link);
        HubClient kubelet = client(hub, "kubelet");
        assertThat(kubelet.send("GET", "/readyz", null, null).body()).contains("[+]cloud ok");
        link.cut();
        awaitOffline(hub);
        assertThat(kubelet.send("GET", "/readyz", null, null).body()).contains("[-]cloud unreachable since");
        link.restore();
        awaitOnline(hub);
        assertThat(kubelet.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    }
}
