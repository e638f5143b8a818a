package io.kedge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the server benchmarks of BENCHMARKS.md against freshly started {@code kedge server} processes. */
@Command(name = "kedge-bench", mixinStandardHelpOptions = true,
        description = "Measures a kedge server: write throughput vs the raw store, LIST latency, watch fan-out, memory, "
                + "a Deployment rollout on hollow nodes, scheduler throughput.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--server-cp", required = true, paramLabel = "CLASSPATH",
            description = "Classpath of the kedge CLI, e.g. cli/target/kedge-cli.jar:cli/target/lib/*")
    String serverClasspath;

    @Option(names = "--work-dir", required = true, paramLabel = "DIR",
            description = "Where server data dirs, logs, raw-store files and results.md go.")
    Path workDir;

    @Option(names = "--only", split = ",", paramLabel = "PHASE",
            description = "Phases to run: writes, watch, list, memory, rollout, scheduler (default: all).")
    Set<String> phases = Set.of("writes", "watch", "list", "memory", "rollout", "scheduler");

    @Option(names = "--clients", split = ",", description = "Concurrent writers for benchmark 1 (default: 16,64).")
    List<Integer> clients = List.of(16, 64);

    @Option(names = "--connections", description = "HTTP/2 connections the writers share (default: 4).")
    int connections = 4;

    @Option(names = "--round-seconds", description = "Length of one measured round in benchmark 1 (default: 5).")
    int roundSeconds = 5;

    @Option(names = "--rounds", description = "Measured rounds per cell in benchmark 1 (default: 3).")
    int rounds = 3;

    @Option(names = "--pods", split = ",", description = "Pod counts to list at, ascending (default: 10000,100000).")
    List<Integer> pods = List.of(10_000, 100_000);

    @Option(names = "--pod-writers", description = "Concurrent clients writing pods (default: 64).")
    int podWriters = 64;

    @Option(names = "--runs", description = "Timed runs of each cheap LIST (default: 9).")
    int runs = 9;

    @Option(names = "--heavy-runs", split = ",",
            description = "Timed runs of each full LIST, one value per --pods entry (default: 5,3).")
    List<Integer> heavyRuns = List.of(5, 3);

    @Option(names = "--watchers", description = "Open watches in benchmark 3 (default: 1000).")
    int watchers = 1000;

    @Option(names = "--watch-connections", description = "HTTP/2 connections the watches share (default: 10).")
    int watchConnections = 10;

    @Option(names = "--changes", description = "Measured changes in benchmark 3 (default: 20).")
    int changes = 20;

    @Option(names = "--heaps", split = ",", description = "Server -Xmx values for benchmark 4; 'default' for none (default: default,1g).")
    List<String> heaps = List.of("default", "1g");

    @Option(names = "--list-timeout-seconds", description = "How long a LIST may take to start answering (default: 300).")
    int listTimeoutSeconds = 300;

    @Option(names = "--probe-timeout-seconds",
            description = "How long the memory benchmark's full LIST may take to start answering (default: 120).")
    int probeTimeoutSeconds = 120;

    @Option(names = "--rollout-replicas", description = "Replicas of the Deployment in benchmark 5 (default: 1000).")
    int rolloutReplicas = 1000;

    @Option(names = "--rollout-nodes", description = "Hollow nodes in benchmark 5 (default: 100).")
    int rolloutNodes = 100;

    @Option(names = "--rollout-runs", description = "Runs of benchmark 5 (default: 3).")
    int rolloutRuns = 3;

    @Option(names = "--scheduler-nodes", description = "Nodes in benchmark 6, in memory and hollow (default: 1000).")
    int schedulerNodes = 1000;

    @Option(names = "--algorithm-pods", description = "Pods per round of the in-memory scheduler, 6a (default: 10000).")
    int algorithmPods = 10_000;

    @Option(names = "--algorithm-rounds", description = "Measured rounds of the in-memory scheduler, 6a (default: 5).")
    int algorithmRounds = 5;

    @Option(names = "--scheduler-pods", description = "Pending pods per run of the end-to-end scheduler, 6b (default: 3000).")
    int schedulerPods = 3000;

    @Option(names = "--scheduler-runs", description = "Runs of the end-to-end scheduler, 6b (default: 3).")
    int schedulerRuns = 3;

    @Option(names = "--with-controllers",
            description = "Leave the server's in-process controllers on. Off by default: hollow pods name nodes and "
                    + "ReplicaSets that do not exist, which controllers would act on.")
    boolean withControllers;

    @Option(names = "--keep-data", description = "Keep the server data directories (the 100k-pod one is ~0.5 GB).")
    boolean keepData;

    private List<String> serverArgs = List.of();
    private Report report;
    private Path serverLog;
    private final MemoryTable memory = new MemoryTable();
    private final StringBuilder memoryNotes = new StringBuilder();
    private String defaultHeapNote = "";

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (pods.isEmpty() || !pods.stream().sorted().toList().equals(pods)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--pods must be ascending and non-empty");
        }
        if (heavyRuns.size() != pods.size()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--heavy-runs needs one value per --pods entry, got " + heavyRuns + " for " + pods);
        }
        Files.createDirectories(workDir);
        serverArgs = !withControllers && ServerProcess.serverHasFlag(serverClasspath, "--disable-controllers")
                ? List.of("--disable-controllers") : List.of();
        report = new Report(workDir.resolve("results.md"));
        serverLog = workDir.resolve("server.log");
        long t0 = System.nanoTime();
        report.note("Run started " + Instant.now() + "; " + Runtime.getRuntime().availableProcessors()
                + " CPUs visible to the client JVM; Java " + System.getProperty("java.version") + "; server flags: "
                + (serverArgs.isEmpty() ? "(none)" : String.join(" ", serverArgs)) + ".");
        if (phases.contains("writes") || phases.contains("watch")) {
            writesAndWatch();
        }
        if (phases.contains("list") || phases.contains("memory")) {
            pods();
        }
        if (phases.contains("memory")) {
            for (String heap : heaps) {
                restartedWithPods(heap.equals("default") ? null : heap);
            }
        }
        if (phases.contains("memory")) {
            memory.write(report, defaultHeapNote);
        }
        if (memoryNotes.length() > 0) {
            report.note("");
            report.note(memoryNotes.toString().trim());
        }
        if (phases.contains("rollout")) {
            rollout();
        }
        if (phases.contains("scheduler")) {
            new SchedulingAlgorithmBench(report, schedulerNodes, algorithmPods, algorithmRounds).run();
            schedulerEndToEnd();
        }
        report.note("");
        report.note("Whole run: %.1f minutes.".formatted((System.nanoTime() - t0) / 60e9));
        if (!keepData) {
            deleteTree(workDir, p -> p.getFileName().toString().startsWith("data-"));
        }
        return 0;
    }

    /** Benchmarks 1 and 3 on one fresh server, with its idle memory first. */
    private void writesAndWatch() throws Exception {
        try (ServerProcess server = start(workDir.resolve("data-writes"), null, Duration.ofMinutes(2))) {
            ServerProcess.sleep(5000);
            memory.sample(server, null, "empty store, idle", true);
            ApiClient api = ApiClient.connect(server.kubeconfig(), connections);
            long configMaps = 0;
            if (phases.contains("writes")) {
                WriteThroughputBench writes = new WriteThroughputBench(api, workDir, report,
                        Duration.ofSeconds(roundSeconds), rounds);
                writes.run(clients);
                configMaps = writes.apiCreates();
            }
            boolean watched = phases.contains("watch");
            if (watched) {
                new WatchFanoutBench(api, server.kubeconfig(), report, watchers, watchConnections, changes).run(server);
            }
            memory.sample(server, null, "%,d small ConfigMaps stored%s".formatted(configMaps + (watched ? 1 : 0),
                    watched ? ", after " + watchers + " watches were opened and cancelled" : ""), false);
        }
        deleteRawStores();
    }

    /** Benchmark 2 on a second fresh server: the pods stay in its data dir for the restarts of benchmark 4. */
    private void pods() {
        try (ServerProcess server = start(podData(), null, Duration.ofMinutes(2))) {
            ApiClient api = ApiClient.connect(server.kubeconfig(), connections);
            ListBench list = new ListBench(api, report, podWriters, Duration.ofSeconds(listTimeoutSeconds));
            int stored = 0;
            for (int i = 0; i < pods.size(); i++) {
                list.populate(stored, pods.get(i));
                stored = pods.get(i);
                if (phases.contains("list")) {
                    list.measure(stored, runs, heavyRuns.get(i));
                }
            }
            list.writeReport();
            memory.sample(server, null, largest() + " pods, after writing and listing them", false);
        }
    }

    /** Benchmark 4: the pod data dir under one heap setting, idle and after a full LIST; then an empty store. */
    private void restartedWithPods(String xmx) {
        String heap = xmx == null ? "default" : xmx;
        try (ServerProcess server = start(podData(), xmx, Duration.ofMinutes(5))) {
            memory.sample(server, xmx, largest() + " pods, restarted, idle", true);
            ApiClient api = ApiClient.connect(server.kubeconfig(), 1);
            String failed = new ListBench(api, report, 1, Duration.ofSeconds(probeTimeoutSeconds)).fullJsonListOnce();
            if (!failed.isEmpty()) {
                ApiClient.Response ready = api.get("/readyz");
                Log.info("-Xmx %s: %s; /readyz now answers %d", heap, failed, ready.status());
                memoryNotes.append("With -Xmx %s and %d pods, %s; afterwards /readyz answered %d%s. "
                        .formatted(heap, largest(), failed, ready.status(),
                                server.alive() ? "" : " and the server had exited"));
            }
            if (server.alive()) {
                memory.sample(server, xmx, largest() + " pods, restarted, after one full JSON LIST"
                        + (failed.isEmpty() ? "" : " that FAILED (see below)"), false);
            }
        }
        if (xmx != null) {
            try (ServerProcess server = start(workDir.resolve("data-empty-" + heap), xmx, Duration.ofMinutes(2))) {
                ServerProcess.sleep(5000);
                memory.sample(server, xmx, "empty store, idle", true);
            }
        }
    }

    /** Benchmark 5 on a fresh server with its controllers and scheduler on. */
    private void rollout() {
        try (ServerProcess server = ServerProcess.start(serverClasspath, workDir.resolve("data-rollout"), null, List.of(),
                serverLog, Duration.ofMinutes(2));
             HollowCluster cluster = HollowCluster.start(server.kubeconfig(), rolloutNodes)) {
            DeploymentRolloutBench bench = new DeploymentRolloutBench(cluster.client(), report, rolloutReplicas, rolloutNodes);
            bench.run(rolloutRuns);
            bench.writeReport(cluster.registrationSeconds());
        }
    }

    /** Benchmark 6b: a server without controllers, and `kedge controllers` started once the pods wait. */
    private void schedulerEndToEnd() {
        List<String> args = ServerProcess.serverHasFlag(serverClasspath, "--disable-controllers")
                ? List.of("--disable-controllers") : List.of();
        if (args.isEmpty()) {
            throw new IllegalStateException("benchmark 6b needs a server with --disable-controllers");
        }
        try (ServerProcess server = ServerProcess.start(serverClasspath, workDir.resolve("data-scheduler"), null, args,
                serverLog, Duration.ofMinutes(2));
             HollowCluster cluster = HollowCluster.start(server.kubeconfig(), schedulerNodes)) {
            SchedulerThroughputBench bench = new SchedulerThroughputBench(cluster, report, serverClasspath,
                    workDir.resolve("controllers.log"), schedulerNodes, schedulerPods, podWriters / 4);
            bench.run(server.kubeconfig(), schedulerRuns);
            bench.writeReport();
        }
    }

    private ServerProcess start(Path dataDir, String xmx, Duration readyTimeout) {
        ServerProcess server = ServerProcess.start(serverClasspath, dataDir, xmx, serverArgs, serverLog, readyTimeout);
        if (defaultHeapNote.isEmpty() && xmx == null) {
            defaultHeapNote = "The default maximum heap on this machine is %s MiB (a quarter of RAM)."
                    .formatted(Report.fmt(server.maxHeapMiB()));
        }
        return server;
    }

    private Path podData() {
        return workDir.resolve("data-pods");
    }

    private int largest() {
        return pods.get(pods.size() - 1);
    }

    private void deleteRawStores() throws IOException {
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("writes-c")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteTree(Path dir, java.util.function.Predicate<Path> topLevel) throws IOException {
        try (Stream<Path> top = Files.list(dir)) {
            for (Path p : top.filter(topLevel).toList()) {
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }
}
