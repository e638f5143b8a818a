package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over one Deployment: claim its ReplicaSets, then either only resize (paused, or
 * spec.replicas changed) or advance the rollout by its strategy, and write the status.
 */
final class DeploymentSync implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentSync.class);

    private final ControllerContext ctx;
    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final ControllerRefClaimer claimer;
    private final NewReplicaSets newReplicaSets;
    private final RollingUpdate rollingUpdate;
    private final Recreate recreate;

    DeploymentSync(ControllerContext ctx, SharedIndexInformer<Deployment> deployments,
                   SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods) {
        this.ctx = ctx;
        this.client = ctx.client();
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.claimer = new ControllerRefClaimer(client);
        this.newReplicaSets = new NewReplicaSets(new TemplateHash(client.getKubernetesSerialization()));
        this.rollingUpdate = new RollingUpdate(newReplicaSets);
        this.recreate = new Recreate(newReplicaSets);
    }

    @Override
    public Duration reconcile(String key) {
        Deployment cached = deployments.getStore().getByKey(key);
        if (cached == null) {
            return null;
        }
        Deployment d = client.getKubernetesSerialization().clone(cached);
        if (d.getSpec().getSelector() == null || LabelSelectors.isEmpty(d.getSpec().getSelector())) {
            selectsEverything(d);
            return null;
        }
        try {
            LabelSelectors.validate(d.getSpec().getSelector());
            RolloutMath.fenceposts(d);
        } catch (IllegalArgumentException e) {
            LOG.warn("deployment {}: {}; not acting on it", key, e.getMessage());
            return null;
        }
        DeploymentPass p = new DeploymentPass(ctx, d, claimReplicaSets(d));
        if (OwnerRefs.isDeleting(d)) {
            NewReplicaSets.Split split = newReplicaSets.sync(p, false);
            RolloutStatus.sync(p, p.replicaSets(), split.newRs());
            return null;
        }
        checkPausedCondition(p);
        if (Boolean.TRUE.equals(p.deployment().getSpec().getPaused())) {
            resize(p);
            return null;
        }
        if (Scaler.isScalingEvent(p, newReplicaSets.sync(p, false))) {
            resize(p);
            return null;
        }
        if (RolloutMath.isRecreate(p.deployment())) {
            return recreate.rollout(p, podsByReplicaSet(p));
        }
        if (!RolloutMath.isRollingUpdate(p.deployment())) {
            throw new IllegalStateException("deployment " + key + ": unexpected strategy type \""
                    + p.deployment().getSpec().getStrategy().getType() + "\"");
        }
        return rollingUpdate.rollout(p);
    }

    private void selectsEverything(Deployment d) {
        ctx.events().warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        if (status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            status.setObservedGeneration(generation);
            d.setStatus(status);
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
        }
    }

    private List<ReplicaSet> claimReplicaSets(Deployment d) {
        List<ReplicaSet> candidates = replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, d.getMetadata().getNamespace());
        return claimer.claim(d, d.getSpec().getSelector(), candidates, () -> canAdopt(d),
                        rs -> client.getKubernetesSerialization().clone(rs))
                .stream().map(rs -> client.getKubernetesSerialization().clone(rs)).toList();
    }

    private boolean canAdopt(Deployment d) {
        Deployment fresh = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                .withName(d.getMetadata().getName()).get();
        return fresh != null && d.getMetadata().getUid().equals(fresh.getMetadata().getUid()) && !OwnerRefs.isDeleting(fresh);
    }

    /** The pods of the Deployment's ReplicaSets that its selector matches, by ReplicaSet uid. */
    private Map<String, List<Pod>> podsByReplicaSet(DeploymentPass p) {
        Set<String> uids = new HashSet<>();
        p.replicaSets().forEach(rs -> uids.add(rs.getMetadata().getUid()));
        Map<String, List<Pod>> byRs = new HashMap<>();
        uids.forEach(uid -> byRs.put(uid, new java.util.ArrayList<>()));
        for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, p.deployment().getMetadata().getNamespace())) {
            OwnerReference ref = OwnerRefs.controllerOf(pod);
            if (ref != null && uids.contains(ref.getUid())
                    && LabelSelectors.matches(p.deployment().getSpec().getSelector(), pod.getMetadata().getLabels())) {
                byRs.get(ref.getUid()).add(pod);
            }
        }
        return byRs;
    }

    /**
     * Marks a pause and a resume in the Progressing condition, so that time spent paused does not
     * count against the progress deadline. A reported timeout stays.
     */
    private static void checkPausedCondition(DeploymentPass p) {
        if (!p.hasProgressDeadline()) {
            return;
        }
        DeploymentCondition c = DeploymentConditions.get(p.deployment().getStatus(), DeploymentConditions.PROGRESSING);
        if (c != null && DeploymentConditions.TIMED_OUT.equals(c.getReason())) {
            return;
        }
        boolean paused = Boolean.TRUE.equals(p.deployment().getSpec().getPaused());
        boolean markedPaused = c != null && DeploymentConditions.PAUSED.equals(c.getReason());
        DeploymentStatus status = p.statusCopy();
        if (paused && !markedPaused) {
            DeploymentConditions.set(status, DeploymentConditions.of(p.ctx.clock(), DeploymentConditions.PROGRESSING, "Unknown",
                    DeploymentConditions.PAUSED, "Deployment is paused"));
        } else if (!paused && markedPaused) {
            DeploymentConditions.set(status, DeploymentConditions.of(p.ctx.clock(), DeploymentConditions.PROGRESSING, "Unknown",
                    DeploymentConditions.RESUMED, "Deployment is resumed"));
        } else {
            return;
        }
        p.writeStatus(status);
    }

    /** Resizes without rolling out: for spec.replicas changes and paused Deployments. */
    private void resize(DeploymentPass p) {
        NewReplicaSets.Split split = newReplicaSets.sync(p, false);
        Scaler.scale(p, RollingUpdate.current(p, split.newRs()), split.old().stream().map(rs -> RollingUpdate.current(p, rs)).toList());
        if (Boolean.TRUE.equals(p.deployment().getSpec().getPaused())) {
            HistoryCleanup.cleanup(p, split.old().stream().map(rs -> RollingUpdate.current(p, rs)).toList());
        }
        ReplicaSet newRs = RollingUpdate.current(p, split.newRs());
        RolloutStatus.sync(p, p.replicaSets(), newRs);
    }
}
