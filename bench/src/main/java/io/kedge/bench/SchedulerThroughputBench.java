package io.kedge.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 6b: the scheduler end to end, through the API. The server runs with
 * {@code --disable-controllers}; N unbound pods are created first, then {@code kedge controllers}
 * starts in a JVM of its own and its scheduler binds them through {@code pods/binding}. The rate is
 * taken between the first and the last binding a watch in the load generator saw, so that the
 * process's start, leader election and informer sync are not in it (they are reported apart).
 */
final class SchedulerThroughputBench {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final HollowCluster cluster;
    private final Report report;
    private final String controllersClasspath;
    private final Path controllersLog;
    private final int nodes;
    private final int pods;
    private final int writers;
    private final List<Object[]> rows = new ArrayList<>();
    private final Samples rates = new Samples();

    SchedulerThroughputBench(HollowCluster cluster, Report report, String controllersClasspath, Path controllersLog,
                             int nodes, int pods, int writers) {
        this.cluster = cluster;
        this.report = report;
        this.controllersClasspath = controllersClasspath;
        this.controllersLog = controllersLog;
        this.nodes = nodes;
        this.pods = pods;
        this.writers = writers;
    }

    void run(Path kubeconfig, int runs) {
        for (int r = 1; r <= runs; r++) {
            once(r, kubeconfig);
        }
    }

    private void once(int run, Path kubeconfig) {
        KubernetesClient client = cluster.client();
        String ns = "sched-" + run;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (PodTimeline timeline = new PodTimeline(client, ns)) {
            Log.info("scheduler e2e run %d: creating %d unbound pods with %d clients", run, pods, writers);
            LoadRunner.Result writes = LoadRunner.forEach(writers, 0, pods, i -> {
                client.pods().inNamespace(ns).resource(SchedulablePods.pod(ns, "web", i, SchedulablePods.Shape.REQUESTS))
                        .create();
                return null;
            });
            if (writes.failures() > 0) {
                throw new IllegalStateException(writes.failures() + " pods were not created: " + writes.firstFailure());
            }
            if (!Poll.until(() -> timeline.createdCount() >= pods, RUN_TIMEOUT, 50)) {
                throw new IllegalStateException("the watch saw only " + timeline.createdCount() + " of " + pods + " pods");
            }
            long started = System.nanoTime();
            boolean allBound;
            try (ControllersProcess controllers = ControllersProcess.start(controllersClasspath, kubeconfig, controllersLog)) {
                allBound = Poll.until(() -> timeline.boundCount() >= pods || !controllers.alive(), RUN_TIMEOUT, 50)
                        && timeline.boundCount() >= pods;
            }
            double toFirst = (timeline.firstBound() - started) / 1e9;
            double window = (timeline.lastBound() - timeline.firstBound()) / 1e9;
            double rate = (timeline.boundCount() - 1) / window;
            Log.info("scheduler e2e run %d: %d of %d pods bound; first %.1f s after start, then %.0f pods/s over %.1f s",
                    run, timeline.boundCount(), pods, toFirst, rate, window);
            if (!allBound) {
                throw new IllegalStateException("only " + timeline.boundCount() + " of " + pods + " pods were bound; see "
                        + controllersLog);
            }
            rates.add(rate);
            rows.add(new Object[] {run, pods, writes.perSecond(), toFirst, window, rate,
                    Report.loadAverage().split(" ")[0]});
        }
    }

    void writeReport() {
        report.heading("6b. Scheduler throughput end to end: %,d pending pods, %,d hollow nodes, binding through the API"
                .formatted(pods, nodes));
        report.note(("The server runs with --disable-controllers; `kedge controllers` (its own JVM) starts once the %,d pods "
                + "exist. Registering the %,d hollow nodes took %.1f s; they renew their Leases every 10 s and report "
                + "each bound pod Running through the status subresource while the scheduler works, as kubelets would. "
                + "Pods/s counts bindings seen by a watch in the load generator between the first and the last.")
                .formatted(pods, nodes, cluster.registrationSeconds()));
        report.note("");
        report.tableHeader("run", "pods", "pods created/s (before the scheduler starts)", "start to first binding s",
                "first to last binding s", "pods bound/s", "load 1m");
        rows.forEach(report::row);
        report.row("**median**", "", "", "", "", rates.median(), "");
    }
}
