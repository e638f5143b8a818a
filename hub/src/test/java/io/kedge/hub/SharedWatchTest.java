package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identical local watches share one watch of a real kedge server, counted where the server counts
 * its open watches; each client still gets exactly its events, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedWatchTest {
    private static final Pattern POD_WATCHES = Pattern.compile("apiserver_longrunning_requests\\{resource=\"pods\"} ([0-9.]+)");

    private TestCloud cloud;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    void startCloud() throws Exception {
        cloud = TestCloud.start(Files.createTempDirectory("kedge-shared-watch-test"));
    }

    @AfterAll
    void stopCloud() throws Exception {
        cloud.close();
    }

    @BeforeEach
    void noPodWatchOpenAtTheServer() throws Exception {
        Await.until("the server has no pod watch open", () -> serverPodWatches() == 0);
    }

    @AfterEach
    void closeHubs() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    private EdgeHub hub(String node) throws Exception {
        Link link = cloud.link();
        opened.add(link);
        return hub(node, link);
    }

    private EdgeHub hub(String node, Link link) throws Exception {
        EdgeHub hub = new EdgeHub(cloud.hubConfig(dir.resolve(node), node, link)).start();
        opened.add(hub);
        return hub;
    }

    private int serverPodWatches() throws Exception {
        Matcher m = POD_WATCHES.matcher(cloud.send("GET", "/metrics", null, null).body());
        return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    }

    private static int hubMetric(EdgeHub hub, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.]+)$").matcher(hub.metricsText());
        return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
    }

    private void createPod(String name, String node, String app) throws Exception {
        cloud.create("/api/v1/namespaces/default/pods", TestCloud.pod(name, node, app));
    }

    private void relabel(String name, String app) throws Exception {
        var r = cloud.send("PATCH", "/api/v1/namespaces/default/pods/" + name, "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** The next {@code n} events as "TYPE name", failing when the stream ends first. */
    private static List<String> next(HubClient.Events events, int n) throws Exception {
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            String line = events.next();
            assertThat(line).as("the watch ended after " + out).isNotEqualTo(HubClient.Events.END);
            JsonNode event = HubClient.json(line);
            out.add(event.path("type").asText() + " " + event.path("object").path("metadata").path("name").asText());
        }
        return out;
    }

    private static String listVersion(HubClient client, String query) throws Exception {
        return client.get("/api/v1/pods?" + query).path("metadata").path("resourceVersion").asText();
    }

    @Test
    void twoIdenticalWatchesShareOneCloudWatchAndBothGetEveryEventInOrder() throws Exception {
        EdgeHub hub = hub("sw-1");
        createPod("sw1-a", "sw-1", "web");
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        HubClient proxy = new HubClient(hub.url(), "kube-proxy/v1.35");
        String rv = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-1");
        String watch = "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-1&allowWatchBookmarks=true&resourceVersion=";
        HubClient.Events first = kubelet.watch(watch + rv + "&timeoutSeconds=300");
        HubClient.Events second = proxy.watch(watch + rv + "&timeoutSeconds=420");
        assertThat(first.status).isEqualTo(200);
        assertThat(second.status).isEqualTo(200);

        createPod("sw1-b", "sw-1", "web");
        createPod("sw1-c", "sw-1", "db");
        relabel("sw1-b", "db");
        relabel("sw1-a", "db");
        List<String> expected = List.of("ADDED sw1-b", "ADDED sw1-c", "MODIFIED sw1-b", "MODIFIED sw1-a");
        assertThat(next(first, 4)).isEqualTo(expected);
        assertThat(next(second, 4)).isEqualTo(expected);

        assertThat(serverPodWatches()).as("watches of pods open at the server").isEqualTo(1);
        assertThat(hubMetric(hub, "kedge_hub_upstream_watches")).isEqualTo(1);
        assertThat(hubMetric(hub, "kedge_hub_watches")).isEqualTo(2);
        assertThat(hubMetric(hub, "kedge_hub_watches_shared")).isEqualTo(1);
    }

    @Test
    void watchEventsCountInTheUpstreamBytesReceived() throws Exception {
        EdgeHub hub = hub("sw-bytes");
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        String rv = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-bytes");
        HubClient.Events events = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-bytes&resourceVersion=" + rv);
        long before = (long) hubMetricValue(hub, "kedge_hub_upstream_received_bytes_total");

        long streamed = 0;
        for (int i = 0; i < 5; i++) {
            createPod("swb-" + i, "sw-bytes", "web");
            String line = events.next();
            assertThat(line).isNotEqualTo(HubClient.Events.END);
            streamed += line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }

        assertThat((long) hubMetricValue(hub, "kedge_hub_upstream_received_bytes_total") - before)
                .as("the five events' bytes came from the cloud's stream").isGreaterThanOrEqualTo(streamed);
    }

    private static double hubMetricValue(EdgeHub hub, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.Ee+]+)$").matcher(hub.metricsText());
        assertThat(m.find()).as(name + " in the hub's metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aClientJoiningWithVersionZeroGetsTheCurrentStateThenLiveEvents() throws Exception {
        EdgeHub hub = hub("sw-2");
        createPod("sw2-a", "sw-2", "web");
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        HubClient.Events first = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-2");
        assertThat(next(first, 1)).containsExactly("ADDED sw2-a");
        createPod("sw2-b", "sw-2", "web");
        relabel("sw2-a", "db");
        assertThat(next(first, 2)).containsExactly("ADDED sw2-b", "MODIFIED sw2-a");

        HubClient.Events later = new HubClient(hub.url(), "kubectl/v1.35").watch(
                "/api/v1/pods?watch=1&fieldSelector=spec.nodeName%3Dsw-2&resourceVersion=0");
        List<String> state = next(later, 2);
        assertThat(state).containsExactlyInAnyOrder("ADDED sw2-a", "ADDED sw2-b");
        createPod("sw2-c", "sw-2", "web");
        assertThat(next(later, 1)).containsExactly("ADDED sw2-c");
        assertThat(next(first, 1)).containsExactly("ADDED sw2-c");
        assertThat(serverPodWatches()).isEqualTo(1);
        assertThat(hubMetric(hub, "kedge_hub_watches_shared")).isEqualTo(1);
    }

    @Test
    void aClientAskingForAVersionTheSharedStreamHoldsGetsTheEventsAfterItAndNoneBefore() throws Exception {
        EdgeHub hub = hub("sw-3");
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        String rv = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-3");
        HubClient.Events first = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-3&resourceVersion=" + rv);
        createPod("sw3-a", "sw-3", "web");
        assertThat(next(first, 1)).containsExactly("ADDED sw3-a");
        String between = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-3");
        createPod("sw3-b", "sw-3", "web");
        assertThat(next(first, 1)).containsExactly("ADDED sw3-b");

        HubClient.Events fromStart = new HubClient(hub.url(), "a/1").watch(
                "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-3&resourceVersion=" + rv);
        HubClient.Events fromBetween = new HubClient(hub.url(), "b/1").watch(
                "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-3&resourceVersion=" + between);
        createPod("sw3-c", "sw-3", "web");
        assertThat(next(fromStart, 3)).containsExactly("ADDED sw3-a", "ADDED sw3-b", "ADDED sw3-c");
        assertThat(next(fromBetween, 2)).containsExactly("ADDED sw3-b", "ADDED sw3-c");
        assertThat(next(first, 1)).containsExactly("ADDED sw3-c");
        assertThat(serverPodWatches()).isEqualTo(1);
        assertThat(hubMetric(hub, "kedge_hub_watches_shared")).isEqualTo(2);
    }

    @Test
    void aWatchWithAnotherSelectorGetsItsOwnCloudWatch() throws Exception {
        EdgeHub hub = hub("sw-4");
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        String rv = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-4");
        HubClient.Events web = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-4&labelSelector=app%3Dweb"
                + "&resourceVersion=" + rv);
        HubClient.Events db = kubelet.watch("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-4&labelSelector=app%3Ddb"
                + "&resourceVersion=" + rv);
        createPod("sw4-web", "sw-4", "web");
        createPod("sw4-db", "sw-4", "db");
        assertThat(next(web, 1)).containsExactly("ADDED sw4-web");
        assertThat(next(db, 1)).containsExactly("ADDED sw4-db");
        assertThat(serverPodWatches()).isEqualTo(2);
        assertThat(hubMetric(hub, "kedge_hub_upstream_watches")).isEqualTo(2);
        assertThat(hubMetric(hub, "kedge_hub_watches_shared")).isZero();
    }

    @Test
    void theCloudWatchClosesOnceItsLastClientHasLeft() throws Exception {
        EdgeHub hub = hub("sw-5");
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        String rv = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-5");
        String watch = "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-5&resourceVersion=" + rv;
        HubClient.Events first = kubelet.watch(watch);
        HubClient.Events second = new HubClient(hub.url(), "kube-proxy").watch(watch);
        createPod("sw5-a", "sw-5", "web");
        next(first, 1);
        next(second, 1);

        first.close();
        Await.until("the hub sees the first client gone", () -> hubMetric(hub, "kedge_hub_watches") == 1);
        createPod("sw5-b", "sw-5", "web");
        assertThat(next(second, 1)).as("the client that stayed is still served").containsExactly("ADDED sw5-b");
        assertThat(serverPodWatches()).isEqualTo(1);

        second.close();
        Await.until("the server's pod watch closed", () -> serverPodWatches() == 0);
        assertThat(hubMetric(hub, "kedge_hub_upstream_watches")).isZero();
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithAnErrorWhileTheOtherGetsEveryEvent() throws Exception {
        System.setProperty("kedge.hub.watch-backlog-bytes", Integer.toString(256 * 1024));
        EdgeHub hub;
        try {
            hub = hub("sw-6");
        } finally {
            System.clearProperty("kedge.hub.watch-backlog-bytes");
        }
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        String rv = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-6");
        String watch = "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-6&resourceVersion=" + rv;
        HubClient.Events reader = kubelet.watch(watch);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.setSoTimeout(30_000);
            stalled.connect(new InetSocketAddress(hub.address().getHostString(), hub.address().getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET " + watch + " HTTP/1.1\r\nHost: hub\r\nUser-Agent: stalled/1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Await.until("the stalled client shares the watch", () -> hubMetric(hub, "kedge_hub_watches_shared") == 1);

            String padding = "x".repeat(32 * 1024);
            int created = 0;
            while (hubMetric(hub, "kedge_hub_watches_shared") == 1) {
                assertThat(created).as("pods created before the stalled client was dropped").isLessThan(600);
                String name = "sw6-" + created++;
                cloud.create("/api/v1/namespaces/default/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                        + name + "\",\"namespace\":\"default\",\"annotations\":{\"pad\":\"" + padding + "\"}},\"spec\":{"
                        + "\"nodeName\":\"sw-6\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
            }
            createPod("sw6-last", "sw-6", "web");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < created; i++) {
                expected.add("ADDED sw6-" + i);
            }
            expected.add("ADDED sw6-last");
            assertThat(next(reader, created + 1)).as("the reading client got every event in order").isEqualTo(expected);

            String seen = drain(stalled.getInputStream());
            assertThat(seen).contains("\"type\":\"ERROR\"").contains("\"reason\":\"Expired\"").doesNotContain("sw6-last");
        }
        assertThat(serverPodWatches()).isEqualTo(1);
    }

    @Test
    void sharedWatchesStayOpenOfflineCarryTheNodesWritesAndAreEndedWith410WhenTheCloudReturns() throws Exception {
        Link link = cloud.link();
        opened.add(link);
        EdgeHub hub = hub("sw-7", link);
        createPod("sw7-a", "sw-7", "web");
        HubClient kubelet = new HubClient(hub.url(), "kubelet/v1.35");
        String rv = listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-7");
        String watch = "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dsw-7&resourceVersion=" + rv;
        HubClient.Events first = kubelet.watch(watch);
        HubClient.Events second = new HubClient(hub.url(), "kube-proxy").watch(watch);
        Await.until("the second watch shares the first's", () -> hubMetric(hub, "kedge_hub_watches_shared") == 1);

        link.cut();
        Await.until("the hub sees the cloud unhealthy", () -> !hub.cloudHealthy());
        HttpResponse<String> status = kubelet.send("PATCH", "/api/v1/namespaces/default/pods/sw7-a/status",
                "application/strategic-merge-patch+json", "{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.42.0.9\"}}");
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(first.next()).contains("MODIFIED").contains("10.42.0.9");
        assertThat(second.next()).contains("MODIFIED").contains("10.42.0.9");

        link.restore();
        for (HubClient.Events events : List.of(first, second)) {
            String last;
            String error = null;
            do {
                last = events.next();
                if (last.contains("\"ERROR\"")) {
                    error = last;
                }
            } while (!last.equals(HubClient.Events.END));
            assertThat(error).as("each client is told to list again").contains("\"code\":410");
        }
        Await.until("the hub's cloud watch closed", () -> hubMetric(hub, "kedge_hub_upstream_watches") == 0);
        HubClient.Events again = kubelet.watch(watch.replace(rv, listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-7")));
        HubClient.Events alsoAgain = new HubClient(hub.url(), "kube-proxy").watch(
                watch.replace(rv, listVersion(kubelet, "fieldSelector=spec.nodeName%3Dsw-7")));
        relabel("sw7-a", "db");
        assertThat(next(again, 1)).containsExactly("MODIFIED sw7-a");
        assertThat(next(alsoAgain, 1)).containsExactly("MODIFIED sw7-a");
        assertThat(serverPodWatches()).as("the watches opened after the return share one cloud watch again").isEqualTo(1);
    }

    /** What the hub sent before it ended the stream. */
    private static String drain(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) >= 0; ) {
            all.write(buf, 0, n);
            byte[] sofar = all.toByteArray();
            if (sofar.length >= 5 && new String(sofar, sofar.length - 5, 5, StandardCharsets.US_ASCII).equals("0\r\n\r\n")) {
                break; // the last chunk: the hub ended the stream
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
