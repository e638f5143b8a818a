package io.kedge.kubelet.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.kubelet.cri.v1.ContainerStats;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /stats/summary} document: the node's CPU, memory and filesystem from /proc and the
 * data directory's disk, and each pod's containers from the runtime's stats.
 */
public final class NodeStats {
    /** Jiffies per second in /proc/stat on every Linux architecture kedge runs on. */
    private static final long USER_HZ = 100;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String nodeName;
    private final Path dataDir;
    private final Path proc;
    private final Clock clock;
    /** The CPU sample the node's usage rate is measured from; taken at start so the first summary has a rate. */
    private CpuSample since;
    private java.util.OptionalLong lastRate = java.util.OptionalLong.empty();

    private record CpuSample(java.time.Instant at, long jiffies) {}

    public NodeStats(String nodeName, Path dataDir) {
        this(nodeName, dataDir, Path.of("/proc"), Clock.systemUTC());
    }

    NodeStats(String nodeName, Path dataDir, Path proc, Clock clock) {
        this.nodeName = nodeName;
        this.dataDir = dataDir;
        this.proc = proc;
        this.clock = clock;
        this.since = cpuSeconds().map(j -> new CpuSample(clock.instant(), j)).orElse(null);
    }

    public JsonNode summary(List<ContainerStats> containers) {
        ObjectNode root = JSON.objectNode();
        root.set("node", node());
        root.set("pods", pods(containers));
        return root;
    }

    private ObjectNode node() {
        String now = clock.instant().toString();
        ObjectNode node = JSON.objectNode().put("nodeName", nodeName);
        ObjectNode cpu = node.putObject("cpu").put("time", now);
        cpuSeconds().ifPresent(jiffies -> {
            cpu.put("usageCoreNanoSeconds", jiffies * (1_000_000_000L / USER_HZ));
            usageNanoCores(jiffies).ifPresent(rate -> cpu.put("usageNanoCores", rate));
        });
        Map<String, Long> mem = meminfo();
        if (mem.containsKey("MemTotal") && mem.containsKey("MemAvailable")) {
            long total = mem.get("MemTotal");
            long available = mem.get("MemAvailable");
            node.putObject("memory").put("time", now).put("availableBytes", available)
                    .put("usageBytes", total - mem.getOrDefault("MemFree", available))
                    .put("workingSetBytes", total - available);
        }
        try {
            FileStore store = Files.getFileStore(Files.exists(dataDir) ? dataDir : Path.of("/"));
            long capacity = store.getTotalSpace();
            long available = store.getUsableSpace();
            node.putObject("fs").put("time", now).put("capacityBytes", capacity).put("availableBytes", available)
                    .put("usedBytes", capacity - store.getUnallocatedSpace());
        } catch (IOException e) {
            // a summary without fs is still a summary
        }
        return node;
    }

    private ArrayNode pods(List<ContainerStats> containers) {
        Map<String, ObjectNode> pods = new LinkedHashMap<>();
        for (ContainerStats stats : containers) {
            Map<String, String> labels = stats.getAttributes().getLabelsMap();
            String uid = labels.get(CriNodeContainers.POD_UID);
            if (uid == null) {
                continue;
            }
            ObjectNode pod = pods.computeIfAbsent(uid, u -> {
                ObjectNode p = JSON.objectNode();
                p.putObject("podRef").put("name", labels.getOrDefault(CriNodeContainers.POD_NAME, ""))
                        .put("namespace", labels.getOrDefault(CriNodeContainers.POD_NAMESPACE, "")).put("uid", u);
                p.putArray("containers");
                p.putObject("cpu").put("usageCoreNanoSeconds", 0L).put("usageNanoCores", 0L);
                p.putObject("memory").put("workingSetBytes", 0L).put("usageBytes", 0L);
                return p;
            });
            ObjectNode container = ((ArrayNode) pod.get("containers")).addObject()
                    .put("name", labels.getOrDefault(CriNodeContainers.CONTAINER_NAME, stats.getAttributes().getMetadata().getName()));
            long cpuNanos = stats.getCpu().getUsageCoreNanoSeconds().getValue();
            long nanoCores = stats.getCpu().getUsageNanoCores().getValue();
            long workingSet = stats.getMemory().getWorkingSetBytes().getValue();
            long usage = stats.getMemory().getUsageBytes().getValue();
            String time = java.time.Instant.ofEpochSecond(0, stats.getCpu().getTimestamp()).toString();
            container.putObject("cpu").put("time", time).put("usageCoreNanoSeconds", cpuNanos).put("usageNanoCores", nanoCores);
            container.putObject("memory").put("time", time).put("workingSetBytes", workingSet).put("usageBytes", usage);
            container.putObject("rootfs").put("usedBytes", stats.getWritableLayer().getUsedBytes().getValue());
            add((ObjectNode) pod.get("cpu"), "usageCoreNanoSeconds", cpuNanos);
            add((ObjectNode) pod.get("cpu"), "usageNanoCores", nanoCores);
            add((ObjectNode) pod.get("memory"), "workingSetBytes", workingSet);
            add((ObjectNode) pod.get("memory"), "usageBytes", usage);
        }
        ArrayNode out = JSON.arrayNode();
        pods.values().forEach(out::add);
        return out;
    }

    /**
     * The node's CPU use in nanocores since the last sample at least a second old; the sample moves on,
     * so the rate covers about the time between two scrapes.
     */
    private synchronized java.util.OptionalLong usageNanoCores(long jiffies) {
        java.time.Instant now = clock.instant();
        CpuSample from = since;
        if (from == null || jiffies < from.jiffies()) {
            since = new CpuSample(now, jiffies);
            return java.util.OptionalLong.empty();
        }
        long nanos = java.time.Duration.between(from.at(), now).toNanos();
        if (nanos < 1_000_000_000L) {
            return lastRate; // too short to measure: the rate of the last interval stands
        }
        since = new CpuSample(now, jiffies);
        double busyNanos = (jiffies - from.jiffies()) * (1_000_000_000.0 / USER_HZ);
        lastRate = java.util.OptionalLong.of(Math.round(busyNanos * 1_000_000_000.0 / nanos));
        return lastRate;
    }

    private static void add(ObjectNode node, String field, long value) {
        node.put(field, node.get(field).asLong() + value);
    }

    /** Busy jiffies of all CPUs: the first line of /proc/stat minus idle and iowait. */
    private java.util.Optional<Long> cpuSeconds() {
        try {
            String first = Files.readAllLines(proc.resolve("stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return java.util.Optional.of(busy);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private Map<String, Long> meminfo() {
        Map<String, Long> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
                String[] f = line.split("[:\\s]+");
                if (f.length >= 2) {
                    values.put(f[0], Long.parseLong(f[1]) * (f.length > 2 && f[2].equals("kB") ? 1024 : 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable meminfo leaves memory out of the summary
        }
        return values;
    }
}
