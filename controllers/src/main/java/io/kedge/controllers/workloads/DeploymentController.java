package io.kedge.controllers.workloads;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Keys;
import java.util.Objects;

/**
 * Rolls Deployments out through ReplicaSets, one per template revision. A Deployment is queued on its
 * own changes and on changes to the ReplicaSets it controls (orphans under every Deployment that
 * selects them); a Recreate Deployment also when one of its pods goes away.
 */
public final class DeploymentController {
    static final int WORKERS = 5;

    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final Controller controller;

    private DeploymentController(ControllerContext ctx) {
        this.deployments = Informers.shared(ctx, Deployment.class);
        this.replicaSets = Informers.shared(ctx, ReplicaSet.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx, Pod.class);
        this.controller = new Controller("deployment", new DeploymentSync(ctx, deployments, replicaSets, pods), WORKERS);
        deployments.addEventHandler(controller.enqueueSelf());
        replicaSets.addEventHandler(new ReplicaSetHandler());
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod pod) { }
            @Override public void onUpdate(Pod old, Pod pod) { }
            @Override public void onDelete(Pod pod, boolean unknown) { podGone(pod); }
        });
    }

    /** The Deployment controller, on the context's shared Deployment, ReplicaSet and Pod informers. */
    public static Controller create(ControllerContext ctx) {
        return new DeploymentController(ctx).controller;
    }

    private final class ReplicaSetHandler implements ResourceEventHandler<ReplicaSet> {
        @Override
        public void onAdd(ReplicaSet rs) {
            String owner = ownerKey(rs);
            if (owner != null) {
                controller.queue().add(owner);
            } else if (!OwnerRefs.isDeleting(rs)) {
                enqueueSelecting(rs);
            }
        }

        @Override
        public void onUpdate(ReplicaSet old, ReplicaSet rs) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), rs.getMetadata().getResourceVersion())) {
                return;
            }
            String oldOwner = ownerKey(old);
            String owner = ownerKey(rs);
            if (oldOwner != null && !oldOwner.equals(owner)) {
                controller.queue().add(oldOwner);
            }
            if (owner != null) {
                controller.queue().add(owner);
            } else if (oldOwner != null || !Objects.equals(old.getMetadata().getLabels(), rs.getMetadata().getLabels())) {
                enqueueSelecting(rs);
            }
        }

        @Override
        public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {
            String owner = ownerKey(rs);
            if (owner != null) {
                controller.queue().add(owner);
            }
        }
    }

    /** Recreate waits for the old pods to be gone, and nothing else says when they are. */
    private void podGone(Pod pod) {
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !"ReplicaSet".equals(ref.getKind())) {
            return;
        }
        ReplicaSet rs = replicaSets.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + ref.getName());
        if (rs == null || !Objects.equals(rs.getMetadata().getUid(), ref.getUid())) {
            return;
        }
        String owner = ownerKey(rs);
        Deployment d = owner == null ? null : deployments.getStore().getByKey(owner);
        if (d != null && RolloutMath.isRecreate(d)) {
            controller.queue().add(owner);
        }
    }

    /** The key of the Deployment in the cache that controls the object, or null. */
    private String ownerKey(HasMetadata o) {
        OwnerReference ref = OwnerRefs.controllerOf(o);
        if (ref == null || !"Deployment".equals(ref.getKind())) {
            return null;
        }
        String key = o.getMetadata().getNamespace() + "/" + ref.getName();
        Deployment d = deployments.getStore().getByKey(key);
        return d != null && Objects.equals(d.getMetadata().getUid(), ref.getUid()) ? key : null;
    }

    private void enqueueSelecting(ReplicaSet rs) {
        for (Deployment d : deployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())) {
            try {
                if (!LabelSelectors.isEmpty(d.getSpec().getSelector())
                        && LabelSelectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) {
                    controller.queue().add(Keys.of(d));
                }
            } catch (IllegalArgumentException e) {
                // a Deployment with a malformed selector selects nothing
            }
        }
    }
}
