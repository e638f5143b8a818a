package io.kedge.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.kubelet.cri.v1.ContainerAttributes;
import io.kedge.kubelet.cri.v1.ContainerMetadata;
import io.kedge.kubelet.cri.v1.ContainerStats;
import io.kedge.kubelet.cri.v1.CpuUsage;
import io.kedge.kubelet.cri.v1.MemoryUsage;
import io.kedge.kubelet.cri.v1.UInt64Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStatsTest {
    @TempDir
    Path dir;

    private static ContainerStats container(String pod, String name, long cpu, long memory) {
        return ContainerStats.newBuilder()
                .setAttributes(ContainerAttributes.newBuilder().setId(pod + name)
                        .setMetadata(ContainerMetadata.newBuilder().setName(name))
                        .putAllLabels(Map.of(CriNodeContainers.POD_UID, "uid-" + pod, CriNodeContainers.POD_NAME, pod,
                                CriNodeContainers.POD_NAMESPACE, "default", CriNodeContainers.CONTAINER_NAME, name)))
                .setCpu(CpuUsage.newBuilder().setTimestamp(1).setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(cpu)))
                .setMemory(MemoryUsage.newBuilder().setWorkingSetBytes(UInt64Value.newBuilder().setValue(memory)))
                .build();
    }

    @Test
    void summarisesTheNodeFromProcAndEachPodFromItsContainers() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  100 0 50 1000 20 0 10 0 0 0\ncpu0 1 2 3\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       1000 kB\nMemFree:         200 kB\nMemAvailable:    600 kB\n");
        NodeStats stats = new NodeStats("east-1", dir, proc, Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC));

        JsonNode summary = stats.summary(List.of(container("web", "app", 5, 100), container("web", "side", 7, 50),
                container("db", "pg", 1, 10)));

        JsonNode node = summary.get("node");
        assertThat(node.get("nodeName").asText()).isEqualTo("east-1");
        assertThat(node.at("/cpu/usageCoreNanoSeconds").asLong()).isEqualTo(160L * 10_000_000L);
        assertThat(node.at("/memory/workingSetBytes").asLong()).isEqualTo(400L * 1024);
        assertThat(node.at("/memory/availableBytes").asLong()).isEqualTo(600L * 1024);
        assertThat(node.at("/fs/capacityBytes").asLong()).isPositive();
        assertThat(summary.get("pods")).hasSize(2);
        JsonNode web = summary.get("pods").get(0);
        assertThat(web.at("/podRef/name").asText()).isEqualTo("web");
        assertThat(web.get("containers")).hasSize(2);
        assertThat(web.at("/cpu/usageCoreNanoSeconds").asLong()).isEqualTo(12);
        assertThat(web.at("/memory/workingSetBytes").asLong()).isEqualTo(150);
    }

    @Test
    void theNodesCpuRateIsMeasuredFromTheSampleBeforeAndHeldForScrapesLessThanASecondApart() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc-rate"));
        Files.writeString(proc.resolve("stat"), "cpu  100 0 50 1000 20 0 10 0 0 0\n");
        Instant[] now = {Instant.parse("2026-11-27T06:00:00Z")};
        Clock clock = new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        NodeStats stats = new NodeStats("east-1", dir, proc, clock);

        // 2 s later, 100 more busy jiffies (1 s of CPU): half a core
        now[0] = now[0].plusSeconds(2);
        Files.writeString(proc.resolve("stat"), "cpu  150 0 100 1000 20 0 10 0 0 0\n");
        assertThat(stats.summary(List.of()).at("/node/cpu/usageNanoCores").asLong()).isEqualTo(500_000_000L);

        now[0] = now[0].plusMillis(300);
        Files.writeString(proc.resolve("stat"), "cpu  180 0 100 1000 20 0 10 0 0 0\n");
        assertThat(stats.summary(List.of()).at("/node/cpu/usageNanoCores").asLong()).isEqualTo(500_000_000L);

        now[0] = now[0].plusMillis(700);
        assertThat(stats.summary(List.of()).at("/node/cpu/usageNanoCores").asLong()).as("30 jiffies over 1 s").isEqualTo(300_000_000L);
    }

    @Test
    void anUnreadableProcLeavesThoseSectionsOut() {
        NodeStats stats = new NodeStats("east-1", dir, dir.resolve("no-proc"), Clock.systemUTC());
        JsonNode node = stats.summary(List.of()).get("node");
        assertThat(node.has("memory")).isFalse();
        assertThat(node.at("/cpu/usageCoreNanoSeconds").isMissingNode()).isTrue();
    }
}
