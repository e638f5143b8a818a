package io.kedge.controllers.disruption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps each PodDisruptionBudget's status current: how many of its pods are healthy, how many
 * must stay so, and so how many disruptions the eviction subresource may allow now. The eviction
 * subresource spends those disruptions and records the pods in {@code status.disruptedPods};
 * this controller counts such pods as unhealthy until it sees them being deleted.
 */
public final class DisruptionController implements Reconciler {
    /** A budget that cannot be computed (an unknown controller, say) is looked at again this often. */
    static final Duration RETRY_FAILED = Duration.ofSeconds(15);

    private final ControllerContext ctx;
    private final SharedIndexInformer<PodDisruptionBudget> budgets;
    private final SharedIndexInformer<Pod> pods;
    private final ExpectedScale scales;

    private DisruptionController(ControllerContext ctx, SharedIndexInformer<PodDisruptionBudget> budgets,
                                 SharedIndexInformer<Pod> pods, ExpectedScale scales) {
        this.ctx = ctx;
        this.budgets = budgets;
        this.pods = pods;
        this.scales = scales;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<PodDisruptionBudget> budgets = Informers.shared(ctx, PodDisruptionBudget.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx, Pod.class);
        SharedIndexInformer<Deployment> deployments = Informers.shared(ctx, Deployment.class);
        SharedIndexInformer<ReplicaSet> replicaSets = Informers.shared(ctx, ReplicaSet.class);
        SharedIndexInformer<StatefulSet> statefulSets = Informers.shared(ctx, StatefulSet.class);
        ExpectedScale scales = new ExpectedScale(new ExpectedScale.Lookup() {
            @Override public Deployment deployment(String key) { return deployments.getIndexer().getByKey(key); }
            @Override public ReplicaSet replicaSet(String key) { return replicaSets.getIndexer().getByKey(key); }
            @Override public StatefulSet statefulSet(String key) { return statefulSets.getIndexer().getByKey(key); }
        });
        Controller controller = new Controller("disruption", new DisruptionController(ctx, budgets, pods, scales), 2);
        budgets.addEventHandler(controller.enqueueSelf());
        pods.addEventHandler(controller.<Pod>enqueue(p -> coveringBudgets(budgets, p)));
        ScaleChanges.enqueueBudgetsOnScaleChange(controller, budgets, deployments, d -> d.getSpec() == null ? null : d.getSpec().getReplicas());
        ScaleChanges.enqueueBudgetsOnScaleChange(controller, budgets, replicaSets, r -> r.getSpec() == null ? null : r.getSpec().getReplicas());
        ScaleChanges.enqueueBudgetsOnScaleChange(controller, budgets, statefulSets, s -> s.getSpec() == null ? null : s.getSpec().getReplicas());
        return controller;
    }

    private static List<String> coveringBudgets(SharedIndexInformer<PodDisruptionBudget> budgets, Pod pod) {
        List<String> keys = new ArrayList<>();
        for (PodDisruptionBudget pdb : Informers.inNamespace(budgets, pod.getMetadata().getNamespace())) {
            try {
                if (PodSelection.covers(pdb.getSpec() == null ? null : pdb.getSpec().getSelector(), pod)) {
                    keys.add(Keys.of(pdb));
                }
            } catch (IllegalArgumentException badSelector) {
                keys.add(Keys.of(pdb)); // its reconcile reports the selector
            }
        }
        return keys;
    }

    @Override
    public Duration reconcile(String key) {
        PodDisruptionBudget pdb = budgets.getIndexer().getByKey(key);
        if (pdb == null || pdb.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        Instant now = ctx.clock().instant();
        List<Pod> covered;
        HealthyTarget target;
        try {
            covered = coveredPods(pdb);
            target = HealthyTarget.of(pdb.getSpec(), covered, scales);
        } catch (IllegalArgumentException | IllegalStateException e) {
            ctx.events().warning(pdb, "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: "
                    + e.getMessage());
            write(pdb, BudgetStatus.failSafe(pdb, e.getMessage(), now));
            return RETRY_FAILED;
        }
        if (covered.isEmpty()) {
            ctx.events().normal(pdb, "NoPods", "No matching pods found");
        }
        if (!target.unmanagedPods().isEmpty()) {
            ctx.events().warning(pdb, "UnmanagedPods", "Pods " + target.unmanagedPods() + " have no controller, so no scale"
                    + " accounts for them and this budget's status may be wrong; an integer minAvailable counts them");
        }
        DisruptedPods disrupted = DisruptedPods.prune(pdb.getStatus() == null ? null : pdb.getStatus().getDisruptedPods(),
                covered, now);
        for (String name : disrupted.notDeleted()) {
            ctx.events().warning(pdb, "NotDeleted", "Pod " + name + " was evicted under this budget but has not been deleted");
        }
        int healthy = 0;
        for (Pod p : covered) {
            if (!PodSelection.isDeleting(p) && !disrupted.contains(p.getMetadata().getName()) && PodSelection.isReady(p)) {
                healthy++;
            }
        }
        write(pdb, BudgetStatus.computed(pdb, healthy, target, disrupted.kept(), now));
        return disrupted.recheckAt() == null ? null : Duration.between(now, disrupted.recheckAt());
    }

    private List<Pod> coveredPods(PodDisruptionBudget pdb) {
        var selector = pdb.getSpec() == null ? null : pdb.getSpec().getSelector();
        List<Pod> out = new ArrayList<>();
        for (Pod p : Informers.inNamespace(pods, pdb.getMetadata().getNamespace())) {
            if (PodSelection.covers(selector, p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Written with the cached copy's resourceVersion: if an eviction spent a disruption meanwhile,
     * the write fails with a conflict and the newer budget, already on its way, is reconciled instead.
     */
    private void write(PodDisruptionBudget pdb, PodDisruptionBudgetStatus status) {
        if (BudgetStatus.same(pdb.getStatus(), status)) {
            return;
        }
        PodDisruptionBudget copy = Serialization.clone(pdb);
        copy.setStatus(status);
        ctx.client().policy().v1().podDisruptionBudget().inNamespace(pdb.getMetadata().getNamespace()).resource(copy).updateStatus();
    }
}
