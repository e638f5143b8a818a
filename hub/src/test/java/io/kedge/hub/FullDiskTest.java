package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.kedge.store.testing.SmallDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub on a real, small filesystem (a tmpfs) that fills up while the node is cut off. */
class FullDiskTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void offlineWritesOnAFullDiskAreRefusedWithWhyNoAcknowledgedOneIsLostAndFreeingSpaceIsEnough() throws Exception {
        SmallDisk small = SmallDisk.mount(dir.resolve("disk"), "6m");
        opened.add(small);
        Path disk = small.root();
        Path serverDir = Files.createTempDirectory("kedge-fulldisk-cloud");
        TestCloud cloud = TestCloud.start(serverDir);
        opened.add(cloud);
        Link link = cloud.link();
        opened.add(link);
        EdgeHub hub = new EdgeHub(cloud.hubConfig(disk.resolve("hub"), "fd-1", link)).start();
        opened.add(hub);
        cloud.create("/api/v1/namespaces/default/pods", TestCloud.pod("fd-web", "fd-1", "web"));
        HubClient kubelet = new HubClient(hub.url(), "kubelet");
        kubelet.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dfd-1");
        ObjectNode pod = (ObjectNode) kubelet.get("/api/v1/namespaces/default/pods/fd-web");
        link.cut();
        Await.until("the hub sees the cloud unhealthy", () -> !hub.cloudHealthy());

        Path filler = small.fill();
        int acknowledged = 0;
        String lastAcknowledgedIp = null;
        HttpResponse<String> refused = null;
        for (int i = 1; i <= 200 && refused == null; i++) {
            String ip = "10.42.0." + i;
            pod.putObject("status").put("phase", "Running").put("podIP", ip)
                    .put("message", "x".repeat(4096)); // each write needs new pages
            HttpResponse<String> put = kubelet.send("PUT", "/api/v1/namespaces/default/pods/fd-web/status", "application/json",
                    pod.toString());
            if (put.statusCode() == 200) {
                acknowledged++;
                lastAcknowledgedIp = ip;
            } else {
                refused = put;
            }
        }

        assertThat(refused).as("a write the hub cannot journal is refused").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(507);
        assertThat(refused.body()).contains("disk is full").contains(disk.resolve("hub").toString());
        assertThat(hub.journalDepth()).as("every acknowledged write, and only those, is journaled").isEqualTo(acknowledged);
        JsonNode cached = kubelet.get("/api/v1/namespaces/default/pods/fd-web");
        assertThat(cached.path("status").path("podIP").asText()).as("reads are still answered from the cache")
                .isEqualTo(lastAcknowledgedIp == null ? "" : lastAcknowledgedIp);

        Files.delete(filler);
        pod.putObject("status").put("phase", "Running").put("podIP", "10.42.1.1");
        HttpResponse<String> again = kubelet.send("PUT", "/api/v1/namespaces/default/pods/fd-web/status", "application/json",
                pod.toString());
        assertThat(again.statusCode()).as("with room again, the client's retry is taken: %s", again.body()).isEqualTo(200);
        assertThat(hub.journalDepth()).isEqualTo(acknowledged + 1);

        link.restore();
        Await.until("the journal replayed", () -> hub.journalDepth() == 0);
        assertThat(cloud.get("/api/v1/namespaces/default/pods/fd-web").path("status").path("podIP").asText())
                .isEqualTo("10.42.1.1");
    }
}
