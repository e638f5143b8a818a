package io.kedge.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 5: one Deployment of N replicas on hollow nodes, through the controllers and the scheduler
 * inside {@code kedge server}: the time from the create request until every pod exists, until every pod
 * is bound to a node, and until the Deployment reports every replica available (hollow nodes report
 * pods Running and Ready at once). Each run uses a fresh namespace; the Deployment is deleted and its
 * pods are gone before the next run, so that every run starts from the same cluster.
 */
final class DeploymentRolloutBench {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final Report report;
    private final int replicas;
    private final int nodes;
    private final List<Object[]> rows = new ArrayList<>();
    private final Samples created = new Samples();
    private final Samples bound = new Samples();
    private final Samples available = new Samples();

    DeploymentRolloutBench(KubernetesClient client, Report report, int replicas, int nodes) {
        this.client = client;
        this.report = report;
        this.replicas = replicas;
        this.nodes = nodes;
    }

    void run(int runs) {
        for (int r = 1; r <= runs; r++) {
            once(r);
        }
    }

    private void once(int run) {
        String ns = "rollout-" + run;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (PodTimeline pods = new PodTimeline(client, ns)) {
            long t0 = System.nanoTime();
            client.apps().deployments().inNamespace(ns).resource(deployment()).create();
            boolean allBound = Poll.until(() -> pods.boundCount() >= replicas, RUN_TIMEOUT, 50);
            long[] availableAt = {Long.MIN_VALUE};
            boolean allAvailable = allBound && Poll.until(() -> {
                Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
                Integer a = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
                if (a != null && a == replicas) {
                    availableAt[0] = System.nanoTime();
                    return true;
                }
                return false;
            }, RUN_TIMEOUT, 200);
            double createdS = seconds(t0, pods.createdCount() >= replicas ? pods.lastCreated() : Long.MIN_VALUE);
            double boundS = seconds(t0, allBound ? pods.lastBound() : Long.MIN_VALUE);
            double availableS = seconds(t0, allAvailable ? availableAt[0] : Long.MIN_VALUE);
            Log.info("rollout run %d: %d pods created after %.1f s, bound after %.1f s, available after %.1f s",
                    run, pods.createdCount(), createdS, boundS, availableS);
            created.add(createdS);
            bound.add(boundS);
            available.add(availableS);
            rows.add(new Object[] {run, createdS, boundS, availableS, pods.createdCount(), pods.boundCount(),
                    Report.loadAverage().split(" ")[0]});
        }
        deleteAndWait(ns);
    }

    private static double seconds(long t0, long t) {
        return t == Long.MIN_VALUE ? Double.NaN : (t - t0) / 1e9;
    }

    private void deleteAndWait(String ns) {
        long t0 = System.nanoTime();
        client.apps().deployments().inNamespace(ns).withName("web").withPropagationPolicy(
                io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        boolean gone = Poll.until(() -> client.pods().inNamespace(ns).list().getItems().isEmpty(), RUN_TIMEOUT, 500);
        Log.info("rollout: deleting the Deployment in %s took %.1f s%s", ns, (System.nanoTime() - t0) / 1e9,
                gone ? "" : " and pods are still left");
        if (!gone) {
            throw new IllegalStateException("the pods of " + ns + "/web were not all gone " + RUN_TIMEOUT + " after deleting it");
        }
    }

    private Deployment deployment() {
        return new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withSpec(SchedulablePods.spec("web", SchedulablePods.Shape.REQUESTS)).endTemplate()
                .endSpec().build();
    }

    void writeReport(double registrationSeconds) {
        report.heading("5. A %,d-replica Deployment on %d hollow nodes (controllers and scheduler inside kedge server)"
                .formatted(replicas, nodes));
        report.note("Seconds from the Deployment's create request until a watch in the load generator had seen every pod, "
                + "seen every pod bound, and until the Deployment reported %,d available replicas. ".formatted(replicas)
                + "Registering the %d hollow nodes took %.1f s.".formatted(nodes, registrationSeconds));
        report.note("");
        report.tableHeader("run", "all pods created s", "all pods bound s", "all available s", "pods seen", "pods bound", "load 1m");
        rows.forEach(report::row);
        report.row("**median**", created.median(), bound.median(), available.median(), "", "", "");
    }
}
