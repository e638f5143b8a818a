package io.kedge.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.kedge.controllers.scheduler.ScheduleResult;
import io.kedge.controllers.scheduler.SchedulerCache;
import io.kedge.controllers.scheduler.SchedulingAlgorithm;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 6a: the scheduler's decisions alone. {@link SchedulingAlgorithm} and {@link SchedulerCache},
 * the classes {@code kedge server} schedules with, run in this JVM on nodes filled in by hand: no API,
 * no informer, no binding, one thread, as the scheduler has one scheduling worker. Each pod is placed
 * (assumed) on the chosen node before the next is scheduled, so later pods see the room earlier ones took.
 */
final class SchedulingAlgorithmBench {
    private static final String NAMESPACE = "bench";

    private final Report report;
    private final int nodes;
    private final int podsPerRound;
    private final int rounds;

    SchedulingAlgorithmBench(Report report, int nodes, int podsPerRound, int rounds) {
        this.report = report;
        this.nodes = nodes;
        this.podsPerRound = podsPerRound;
        this.rounds = rounds;
    }

    void run() {
        List<Object[]> rows = new ArrayList<>();
        for (SchedulablePods.Shape shape : SchedulablePods.Shape.values()) {
            rows.add(measure(shape));
        }
        report.heading("6a. Scheduler throughput in memory: SchedulingAlgorithm + SchedulerCache, " + nodes + " nodes, no API");
        report.note("One round = a fresh cache with %,d nodes, then %,d pods scheduled and assumed one after another. "
                .formatted(nodes, podsPerRound) + "One warm-up round per shape is thrown away; the figure is the median of "
                + rounds + " rounds. Building the pod objects is not timed.");
        report.note("");
        report.tableHeader("pods", "nodes", "pods per round", "rounds", "median pods/s", "slowest round pods/s",
                "fastest round pods/s", "median µs per pod", "unschedulable", "pods per node (min-max)", "load 1m");
        rows.forEach(report::row);
    }

    private Object[] measure(SchedulablePods.Shape shape) {
        Log.info("in-memory scheduler: %s, %d nodes, %d pods per round: warm-up", shape, nodes, podsPerRound);
        round(shape);
        Samples rate = new Samples();
        Round last = null;
        for (int r = 0; r < rounds; r++) {
            last = round(shape);
            rate.add(last.podsPerSecond());
            Log.info("in-memory scheduler: %s round %d: %.0f pods/s", shape, r + 1, last.podsPerSecond());
        }
        double median = rate.median();
        return new Object[] {shape.description, nodes, podsPerRound, rounds, median, rate.min(), rate.max(),
                1e6 / median, last.unschedulable(), last.fewestOnANode() + "-" + last.mostOnANode(),
                Report.loadAverage().split(" ")[0]};
    }

    private record Round(double podsPerSecond, int unschedulable, int fewestOnANode, int mostOnANode) {}

    private Round round(SchedulablePods.Shape shape) {
        SchedulerCache cache = new SchedulerCache();
        cache.setNamespace(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build());
        for (int i = 0; i < nodes; i++) {
            cache.addOrUpdateNode(SchedulablePods.node(nodeName(i)));
        }
        List<Pod> pods = new ArrayList<>(podsPerRound);
        for (int i = 0; i < podsPerRound; i++) {
            pods.add(SchedulablePods.pod(NAMESPACE, "web", i, shape));
        }
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(cache);
        int unschedulable = 0;
        long t0 = System.nanoTime();
        for (Pod p : pods) {
            ScheduleResult result = algorithm.schedule(p);
            if (result.isScheduled()) {
                cache.assume(p, result.nodeName());
            } else {
                unschedulable++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (int i = 0; i < nodes; i++) {
            int n = cache.podCount(nodeName(i));
            fewest = Math.min(fewest, n);
            most = Math.max(most, n);
        }
        return new Round(podsPerRound / seconds, unschedulable, fewest, most);
    }

    private static String nodeName(int i) {
        return "hollow-" + i;
    }
}
