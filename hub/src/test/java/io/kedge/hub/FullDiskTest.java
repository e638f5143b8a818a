package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub on a real, small filesystem (a tmpfs) that fills up while the node is cut off. */
class FullDiskTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private Path mounted;

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        if (mounted != null) {
            run("umount", "-l", mounted.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private Path smallDisk(String size) throws Exception {
        Path at = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString()) == 0,
                "mounting a tmpfs needs root");
        mounted = at;
        return at;
    }

    /** Writes {@code filler} until the filesystem has no room left. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Test
    void offlineWritesOnAFullDiskAreRefusedWithWhyNoAcknowledgedOneIsLostAndFreeingSpaceIsEnough() throws Exception {
        Path disk = smallDisk("6m");
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

        Path filler = disk.resolve("filler");
        fill(filler);
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
