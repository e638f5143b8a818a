package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub of node east-1 serves EndpointSlices through the node's service topology, against a real
 * server: units east (east-1, east-2) and west (west-1), and a Cloud unit sky (sky-1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceTopologyTest {
    private static final String SLICES = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";
    private TestCloud cloud;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    void startCloud() throws Exception {
        cloud = TestCloud.start(Files.createTempDirectory("kedge-topology-test"));
        node("east-1", "east");
        node("east-2", "east");
        node("west-1", "west");
        node("sky-1", "sky");
        cloud.create("/apis/edge.kedge.io/v1alpha1/edgeunits", "{\"apiVersion\":\"edge.kedge.io/v1alpha1\",\"kind\":\"EdgeUnit\","
                + "\"metadata\":{\"name\":\"sky\"},\"spec\":{\"type\":\"Cloud\"}}");
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

    private void node(String name, String unit) throws Exception {
        cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\","
                + "\"labels\":{\"kedge.io/unit\":\"" + unit + "\"}}}");
    }

    private void relabel(String node, String unit) throws Exception {
        assertThat(cloud.send("PATCH", "/api/v1/nodes/" + node, "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"kedge.io/unit\":\"" + unit + "\"}}}").statusCode()).isEqualTo(200);
    }

    private void service(String name, String topology) throws Exception {
        String annotations = topology == null ? "" : ",\"annotations\":{\"kedge.io/topology\":\"" + topology + "\"}";
        cloud.create("/api/v1/namespaces/default/services", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\""
                + name + "\"" + annotations + "},\"spec\":{\"selector\":{\"app\":\"" + name + "\"},\"ports\":[{\"port\":80}]}}");
        StringBuilder endpoints = new StringBuilder();
        String[] nodes = {"east-1", "east-2", "west-1", "sky-1"};
        for (int i = 0; i < nodes.length; i++) {
            endpoints.append(i == 0 ? "" : ",").append("{\"addresses\":[\"10.42.").append(i).append(".5\"],\"nodeName\":\"")
                    .append(nodes[i]).append("\"}");
        }
        cloud.create(SLICES, "{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"" + name
                + "-x\",\"labels\":{\"kubernetes.io/service-name\":\"" + name + "\"}},\"addressType\":\"IPv4\",\"endpoints\":["
                + endpoints + "],\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}]}");
    }

    private EdgeHub hub(String node, Link link) throws Exception {
        EdgeHub hub = new EdgeHub(cloud.hubConfig(dir.resolve(node), node, link)).start();
        opened.add(hub);
        return hub;
    }

    private Link link() throws Exception {
        Link link = cloud.link();
        opened.add(link);
        return link;
    }

    private static List<String> nodesOf(JsonNode slice) {
        List<String> out = new ArrayList<>();
        slice.path("endpoints").forEach(e -> out.add(e.path("nodeName").asText()));
        return out;
    }

    /** Slice name to the nodes of its served endpoints. */
    private static Map<String, List<String>> served(JsonNode list) {
        Map<String, List<String>> out = new TreeMap<>();
        list.path("items").forEach(s -> out.put(s.path("metadata").path("name").asText(), nodesOf(s)));
        return out;
    }

    @Test
    void listsGetsAndOfflineAnswersKeepOnlyTheEndpointsTheServicesTopologyAllows() throws Exception {
        service("plain", null);
        service("local", "unit");
        service("mine", "node");
        Link link = link();
        EdgeHub hub = hub("east-1", link);
        HubClient netproxy = new HubClient(hub.url(), "netproxy");
        Map<String, List<String>> expected = Map.of(
                "plain-x", List.of("east-1", "east-2", "sky-1"),
                "local-x", List.of("east-1", "east-2"),
                "mine-x", List.of("east-1"));

        Await.until("the hub serves each Service's topology", () -> served(netproxy.get(SLICES)).entrySet()
                .containsAll(expected.entrySet()));
        assertThat(nodesOf(netproxy.get(SLICES + "/local-x"))).containsExactly("east-1", "east-2");
        assertThat(nodesOf(cloud.get(SLICES + "/local-x"))).as("the cloud's slice is untouched")
                .containsExactly("east-1", "east-2", "west-1", "sky-1");
        HttpResponse<String> table = netproxy.sendWith("GET", SLICES, "application/json;as=Table;v=v1;g=meta.k8s.io");
        assertThat(HubClient.json(table.body()).path("kind").asText()).isEqualTo("Table");
        assertThat(table.body()).contains("10.42.0.5").doesNotContain("10.42.2.5");

        link.cut();
        Await.until("the hub sees the cloud unhealthy", () -> !hub.cloudHealthy());
        assertThat(served(netproxy.get(SLICES))).containsAllEntriesOf(expected);
        assertThat(nodesOf(netproxy.get(SLICES + "/mine-x"))).containsExactly("east-1");
        assertThat(served(new HubClient(hub.url(), "coredns").get(SLICES)))
                .as("another client's offline list is filtered too").containsAllEntriesOf(expected);

        opened.remove(hub);
        hub.close();
        EdgeHub restarted = hub("east-1", link);
        assertThat(served(new HubClient(restarted.url(), "netproxy").get(SLICES)))
                .as("a hub restarted without the cloud knows the units from its cache").containsAllEntriesOf(expected);
    }

    @Test
    void theHubWatchesOnlyItsOwnUnitsNodesAndTheCloudUnitsNotEveryNode() throws Exception {
        EdgeHub hub = hub("east-1", link());

        Await.until("the hub knows its unit and the cloud unit", () -> hub.topologyView().nodeUnits().keySet()
                .containsAll(List.of("east-1", "east-2", "sky-1")));
        assertThat(hub.topologyView().nodeUnits()).as("west-1 is in neither: its changes never reach east-1")
                .containsOnlyKeys("east-1", "east-2", "sky-1");
        assertThat(TopologyFeed.nodesPath(hub.topologyView()))
                .isEqualTo("/api/v1/nodes?labelSelector=kedge.io%2Funit+in+%28east%2Csky%29");
    }

    @Test
    void aNodeMovedIntoTheUnitIsWatchedFromThenOn() throws Exception {
        node("wanderer", "west");
        EdgeHub hub = hub("east-1", link());
        Await.until("the hub knows its unit", () -> hub.topologyView().nodeUnits().containsKey("east-2"));
        assertThat(hub.topologyView().nodeUnits()).doesNotContainKey("wanderer");

        relabel("wanderer", "east");

        Await.until("the relabelled node joins the picture", () -> "east".equals(hub.topologyView().nodeUnits().get("wanderer")));
        relabel("wanderer", "west");
        Await.until("the node that left is dropped", () -> !hub.topologyView().nodeUnits().containsKey("wanderer"));
    }

    @Test
    void openWatchesGetTheSliceAgainWhenTheAnnotationOrAUnitMembershipChanges() throws Exception {
        service("moving", null);
        service("site", "unit");
        EdgeHub hub = hub("east-1", link());
        HubClient netproxy = new HubClient(hub.url(), "netproxy");
        Await.until("the hub knows the units", () -> nodesOf(netproxy.get(SLICES + "/site-x")).equals(List.of("east-1", "east-2")));
        JsonNode list = netproxy.get(SLICES);
        HubClient.Events events = netproxy.watch(SLICES + "?watch=true&resourceVersion="
                + list.path("metadata").path("resourceVersion").asText());

        HttpResponse<String> annotated = cloud.send("PATCH", "/api/v1/namespaces/default/services/moving",
                "application/merge-patch+json", "{\"metadata\":{\"annotations\":{\"kedge.io/topology\":\"node\"}}}");
        assertThat(annotated.statusCode()).isEqualTo(200);
        JsonNode event = nextFor(events, "moving-x", List.of("east-1"));
        assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
        assertThat(nodesOf(event.path("object"))).containsExactly("east-1");
        assertThat(Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText()))
                .as("the event carries the version of the change").isGreaterThanOrEqualTo(
                        Long.parseLong(HubClient.json(annotated.body()).path("metadata").path("resourceVersion").asText()));

        assertThat(cloud.send("PATCH", "/api/v1/nodes/east-2", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"kedge.io/unit\":\"west\"}}}").statusCode()).isEqualTo(200);
        try {
            JsonNode moved = nextFor(events, "site-x", List.of("east-1"));
            assertThat(moved.path("type").asText()).isEqualTo("MODIFIED");
            assertThat(nodesOf(moved.path("object"))).containsExactly("east-1");
        } finally {
            cloud.send("PATCH", "/api/v1/nodes/east-2", "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"kedge.io/unit\":\"east\"}}}");
        }
    }

    @Test
    void slicesWatchedThroughOneSharedCloudWatchReachEachClientInTheNodesView() throws Exception {
        service("before-share", "unit");
        EdgeHub hub = hub("east-1", link());
        HubClient netproxy = new HubClient(hub.url(), "netproxy");
        Await.until("the hub knows the units", () -> nodesOf(netproxy.get(SLICES + "/before-share-x")).equals(List.of("east-1", "east-2")));
        String rv = netproxy.get(SLICES).path("metadata").path("resourceVersion").asText();
        HubClient.Events first = netproxy.watch(SLICES + "?watch=true&resourceVersion=" + rv);
        HubClient.Events second = new HubClient(hub.url(), "coredns").watch(SLICES + "?watch=true&resourceVersion=" + rv);

        service("shared", "unit");
        assertThat(nextFor(first, "shared-x", List.of("east-1", "east-2")).path("type").asText()).isEqualTo("ADDED");
        assertThat(nextFor(second, "shared-x", List.of("east-1", "east-2")).path("type").asText()).isEqualTo("ADDED");
        HubClient.Events replayed = new HubClient(hub.url(), "late").watch(SLICES + "?watch=true&resourceVersion=" + rv);
        assertThat(nextFor(replayed, "shared-x", List.of("east-1", "east-2")).path("type").asText())
                .as("an event replayed from the shared stream is served in the node's view too").isEqualTo("ADDED");
        assertThat(hub.metricsText()).contains("kedge_hub_watches_shared 2");
    }

    /**
     * The next event that serves a slice with endpoints on exactly {@code nodes}; events about other slices, and
     * those re-sent when the watch opened, are skipped.
     */
    private static JsonNode nextFor(HubClient.Events events, String slice, List<String> nodes) throws InterruptedException {
        while (true) {
            String line = events.next();
            if (line.equals(HubClient.Events.END)) {
                throw new AssertionError("the watch ended before an event about " + slice);
            }
            JsonNode event = HubClient.json(line);
            JsonNode obj = event.path("object");
            if (obj.path("metadata").path("name").asText().equals(slice) && nodesOf(obj).equals(nodes)) {
                return event;
            }
        }
    }
}
