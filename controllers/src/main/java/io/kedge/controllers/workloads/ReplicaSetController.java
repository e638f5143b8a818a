package io.kedge.controllers.workloads;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Keys;
import java.time.Duration;
import java.util.Objects;

/**
 * Keeps {@code spec.replicas} pods for each ReplicaSet: pods are queued under their controlling
 * ReplicaSet (orphans under every ReplicaSet whose selector matches them), and creations and
 * deletions are tracked as expectations so a burst of events never sizes pods twice.
 */
public final class ReplicaSetController {
    static final int WORKERS = 5;

    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final Expectations expectations;
    private final Controller controller;

    private ReplicaSetController(ControllerContext ctx) {
        this.replicaSets = Informers.shared(ctx, ReplicaSet.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx, Pod.class);
        this.expectations = new Expectations(ctx.clock());
        ReplicaSetSync sync = new ReplicaSetSync(ctx, replicaSets, pods, expectations);
        this.controller = new Controller("replicaset", sync, WORKERS);
        replicaSets.addEventHandler(new ResourceEventHandler<>() {
            @Override public void onAdd(ReplicaSet rs) { controller.queue().add(Keys.of(rs)); }
            @Override public void onUpdate(ReplicaSet old, ReplicaSet rs) { controller.queue().add(Keys.of(rs)); }
            @Override public void onDelete(ReplicaSet rs, boolean unknown) {
                expectations.forget(Keys.of(rs));
                controller.queue().add(Keys.of(rs));
            }
        });
        pods.addEventHandler(new PodHandler());
    }

    /** The ReplicaSet controller, on the context's shared Pod and ReplicaSet informers. */
    public static Controller create(ControllerContext ctx) {
        return new ReplicaSetController(ctx).controller;
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                onDelete(pod, false);
                return;
            }
            String owner = ownerKey(pod);
            if (owner != null) {
                expectations.creationObserved(owner);
                controller.queue().add(owner);
            } else {
                enqueueMatching(pod);
            }
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
                return;
            }
            boolean labelsChanged = !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                // a graceful delete: the pod stops counting now, not when it finally goes away
                onDelete(pod, false);
                if (labelsChanged) {
                    onDelete(old, false);
                }
                return;
            }
            String oldOwner = ownerKey(old);
            String owner = ownerKey(pod);
            if (oldOwner != null && !oldOwner.equals(owner)) {
                controller.queue().add(oldOwner);
            }
            if (owner != null) {
                controller.queue().add(owner);
                becameReady(old, pod, owner);
                return;
            }
            if (labelsChanged || oldOwner != null) {
                enqueueMatching(pod);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            String owner = ownerKey(pod);
            if (owner != null) {
                expectations.deletionObserved(owner, Pods.key(pod));
                controller.queue().add(owner);
            }
        }
    }

    /** A pod that just became ready turns available minReadySeconds later, with no event to say so. */
    private void becameReady(Pod old, Pod pod, String owner) {
        if (Pods.isReady(old) || !Pods.isReady(pod)) {
            return;
        }
        ReplicaSet rs = replicaSets.getStore().getByKey(owner);
        int minReady = rs == null || rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        if (minReady > 0) {
            controller.queue().addAfter(owner, Duration.ofSeconds(minReady + 1L));
        }
    }

    /** The key of the ReplicaSet in the cache that controls the pod, or null. */
    private String ownerKey(Pod pod) {
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !"ReplicaSet".equals(ref.getKind())) {
            return null;
        }
        String key = pod.getMetadata().getNamespace() + "/" + ref.getName();
        ReplicaSet rs = replicaSets.getStore().getByKey(key);
        return rs != null && Objects.equals(rs.getMetadata().getUid(), ref.getUid()) ? key : null;
    }

    private void enqueueMatching(Pod pod) {
        for (ReplicaSet rs : replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
            try {
                if (LabelSelectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                    controller.queue().add(Keys.of(rs));
                }
            } catch (IllegalArgumentException e) {
                // a ReplicaSet with a malformed selector selects nothing
            }
        }
    }
}
