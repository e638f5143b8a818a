package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every write the server acknowledged is still there after it is killed with SIGKILL and started again. */
class ServerCrashTest {
    @TempDir
    Path tmp;

    @Test
    void acknowledgedWritesFromEightClientsSurviveKillDashNine() throws Exception {
        int port = ServerProcess.freePort();
        Path data = tmp.resolve("data");
        ServerProcess server = new ServerProcess(data, port, List.of()).start();
        ApiClient api = new ApiClient(server.kubeconfig());
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String name = "w" + writer + "-" + i;
                    try {
                        var r = api.post("/api/v1/namespaces/default/configmaps",
                                "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"i\":\"" + i + "\"}}");
                        if (r.code() == 201) {
                            acknowledged.put(name, r.json().path("metadata").path("resourceVersion").asText());
                        }
                    } catch (Exception connectionLost) {
                        return null;
                    }
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        server.kill();
        stop.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSizeGreaterThan(50);

        long highest = acknowledged.values().stream().mapToLong(Long::parseLong).max().orElseThrow();
        try (ServerProcess again = new ServerProcess(data, port, List.of()).start()) {
            ApiClient after = new ApiClient(again.kubeconfig());
            JsonNode list = after.get("/api/v1/namespaces/default/configmaps").json();
            Map<String, String> present = new ConcurrentHashMap<>();
            list.path("items").forEach(i -> present.put(i.path("metadata").path("name").asText(),
                    i.path("metadata").path("resourceVersion").asText()));
            assertThat(present).containsAllEntriesOf(acknowledged);
            var next = after.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"after-restart\"}}");
            assertThat(Long.parseLong(next.json().path("metadata").path("resourceVersion").asText()))
                    .as("revisions keep growing across the crash").isGreaterThan(highest);
        }
    }
}
