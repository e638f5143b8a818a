package io.kedge.controllers.lifecycle;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Force-deletes pods nobody else will finish, as upstream's pod GC does, on a period: pods bound to
 * nodes that no longer exist (after a quarantine and a direct look, so a node the informer has not
 * seen yet is not taken for gone), terminating pods never bound to a node, terminating pods on
 * not-ready nodes tainted {@code node.kubernetes.io/out-of-service}, and terminated pods beyond
 * {@code --terminated-pod-gc-threshold}, evicted and oldest first.
 */
public final class PodGarbageCollector implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(PodGarbageCollector.class);
    static final String KEY = "podgc";
    static final Duration PERIOD = Duration.ofSeconds(20);
    static final Duration QUARANTINE = Duration.ofSeconds(40);
    static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

    private final ControllerContext ctx;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final Duration period;
    private final Duration quarantine;
    private final Map<String, Instant> missingSince = new HashMap<>();

    private PodGarbageCollector(ControllerContext ctx, SharedIndexInformer<Pod> pods, SharedIndexInformer<Node> nodes,
                                Duration period, Duration quarantine) {
        this.ctx = ctx;
        this.pods = pods;
        this.nodes = nodes;
        this.period = period;
        this.quarantine = quarantine;
    }

    public static Controller create(ControllerContext ctx) {
        return create(ctx, PERIOD, QUARANTINE);
    }

    static Controller create(ControllerContext ctx, Duration period, Duration quarantine) {
        SharedIndexInformer<Pod> pods = Informers.shared(ctx.informers(), Pod.class);
        SharedIndexInformer<Node> nodes = Informers.shared(ctx.informers(), Node.class);
        Controller controller = new Controller("podgc", new PodGarbageCollector(ctx, pods, nodes, period, quarantine), 1);
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
            }

            @Override
            public void onUpdate(Node old, Node n) {
            }

            @Override
            public void onDelete(Node n, boolean finalStateUnknown) {
                controller.queue().add(KEY); // its pods need not wait for the next period
            }
        });
        controller.queue().add(KEY);
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        List<Pod> all = pods.getStore().list();
        int threshold = ctx.options().terminatedPodThreshold();
        if (threshold > 0) {
            collectTerminated(all, threshold);
        }
        collectTerminatingOutOfService(all);
        Duration next = collectOrphaned(all);
        collectUnscheduledTerminating(all);
        return next.compareTo(period) < 0 ? next : period;
    }

    private void collectTerminated(List<Pod> all, int threshold) {
        List<Pod> terminated = new ArrayList<>();
        for (Pod p : all) {
            if (terminal(p)) {
                terminated.add(p);
            }
        }
        int excess = terminated.size() - threshold;
        if (excess <= 0) {
            return;
        }
        LOG.info("pod GC: deleting {} terminated pods above the threshold of {}", excess, threshold);
        terminated.sort(Comparator.comparing((Pod p) -> !evicted(p))
                .thenComparing(p -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp())
                .thenComparing(p -> p.getMetadata().getName()));
        for (Pod p : terminated.subList(0, excess)) {
            failAndDelete(p, null);
        }
    }

    private void collectTerminatingOutOfService(List<Pod> all) {
        for (Pod p : all) {
            if (p.getMetadata().getDeletionTimestamp() == null || p.getSpec().getNodeName() == null) {
                continue;
            }
            Node node = nodes.getStore().getByKey(p.getSpec().getNodeName());
            if (node != null && !nodeReady(node) && outOfService(node)) {
                failAndDelete(p, null);
            }
        }
    }

    /** @return when a quarantined node is due for its look */
    private Duration collectOrphaned(List<Pod> all) {
        Instant now = ctx.clock().instant();
        Set<String> missing = new HashSet<>();
        for (Pod p : all) {
            String node = p.getSpec().getNodeName();
            if (node != null && !node.isEmpty() && nodes.getStore().getByKey(node) == null) {
                missing.add(node);
            }
        }
        missingSince.keySet().retainAll(missing);
        Set<String> deleted = new HashSet<>();
        Duration next = period;
        for (String node : missing) {
            Instant since = missingSince.computeIfAbsent(node, n -> now);
            Instant due = since.plus(quarantine);
            if (due.isAfter(now)) {
                Duration wait = Duration.between(now, due);
                next = wait.compareTo(next) < 0 ? wait : next;
            } else if (ctx.client().nodes().withName(node).get() == null) {
                deleted.add(node);
            } else {
                missingSince.remove(node); // the informer was only late
            }
        }
        if (deleted.isEmpty()) {
            return next;
        }
        PodCondition disruption = new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("DeletionByPodGC").withMessage("PodGC: node no longer exists")
                .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString()).build();
        for (Pod p : all) {
            if (deleted.contains(p.getSpec().getNodeName())) {
                LOG.info("pod GC: deleting pod {}/{} of node {}, which no longer exists", p.getMetadata().getNamespace(),
                        p.getMetadata().getName(), p.getSpec().getNodeName());
                failAndDelete(p, disruption);
            }
        }
        return next;
    }

    private void collectUnscheduledTerminating(List<Pod> all) {
        for (Pod p : all) {
            String node = p.getSpec().getNodeName();
            if (p.getMetadata().getDeletionTimestamp() != null && (node == null || node.isEmpty())) {
                failAndDelete(p, null);
            }
        }
    }

    /**
     * Marks a pod Failed (with the condition, if any) unless it already ended, then deletes it with
     * no grace: its node, if it ever comes back, must not find it half-deleted. Failures are left
     * for the next period.
     */
    private void failAndDelete(Pod pod, PodCondition condition) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        try {
            if (!terminal(pod)) {
                markFailed(pod, condition);
            }
            ctx.client().pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warn("pod GC: could not delete pod {}/{}: {}", ns, name, e.getMessage());
            }
        }
    }

    private void markFailed(Pod pod, PodCondition condition) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Pod failed = new PodBuilder(pod).build();
            failed.getStatus().setPhase("Failed");
            if (condition != null) {
                List<PodCondition> conditions = new ArrayList<>(failed.getStatus().getConditions());
                conditions.removeIf(c -> condition.getType().equals(c.getType()));
                conditions.add(condition);
                failed.getStatus().setConditions(conditions);
            }
            try {
                ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(failed).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                pod = ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
                if (pod == null || !pod.getMetadata().getUid().equals(failed.getMetadata().getUid()) || terminal(pod)) {
                    return;
                }
            }
        }
    }

    private static boolean terminal(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static boolean evicted(Pod p) {
        return p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()) && "Evicted".equals(p.getStatus().getReason());
    }

    private static boolean nodeReady(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition c : n.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    private static boolean outOfService(Node n) {
        if (n.getSpec() == null || n.getSpec().getTaints() == null) {
            return false;
        }
        for (Taint t : n.getSpec().getTaints()) {
            if (OUT_OF_SERVICE_TAINT.equals(t.getKey())) {
                return true;
            }
        }
        return false;
    }
}
