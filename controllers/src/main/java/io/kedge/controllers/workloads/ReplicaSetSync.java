package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One pass over one ReplicaSet: claim its pods, create or delete to reach spec.replicas, write status. */
final class ReplicaSetSync implements Reconciler {
    /** Shared by every ReplicaSet: bounds the concurrent creates one controller process sends. */
    private static final ExecutorService CREATORS = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "replicaset-pod-creator");
        t.setDaemon(true);
        return t;
    });

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetSync.class);
    /** The most pods one pass creates or deletes, as upstream's burstReplicas. */
    static final int BURST = 500;

    private final ControllerContext ctx;
    private final KubernetesClient client;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final Expectations expectations;
    private final ControllerRefClaimer claimer;
    private final PodMaker podMaker;

    ReplicaSetSync(ControllerContext ctx, SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods,
                   Expectations expectations) {
        this.ctx = ctx;
        this.client = ctx.client();
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.expectations = expectations;
        this.claimer = new ControllerRefClaimer(client);
        this.podMaker = new PodMaker(ctx);
    }

    @Override
    public Duration reconcile(String key) throws Exception {
        ReplicaSet cached = replicaSets.getStore().getByKey(key);
        if (cached == null) {
            expectations.forget(key);
            return null;
        }
        ReplicaSet rs = client.getKubernetesSerialization().clone(cached);
        try {
            if (rs.getSpec().getSelector() == null || LabelSelectors.isEmpty(rs.getSpec().getSelector())) {
                // it could never claim the pods it creates, and would create them without end
                throw new IllegalArgumentException("spec.selector is empty");
            }
            LabelSelectors.validate(rs.getSpec().getSelector());
        } catch (IllegalArgumentException e) {
            LOG.warn("replicaset {}: invalid selector, ignoring it: {}", key, e.getMessage());
            return null;
        }
        boolean needsSync = expectations.satisfied(key);
        List<Pod> active = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())
                .stream().filter(Pods::isActive).toList();
        List<Pod> owned = claimer.claim(rs, rs.getSpec().getSelector(), active, () -> canAdopt(rs),
                p -> client.getKubernetesSerialization().clone(p));
        Exception manageError = null;
        if (needsSync && !OwnerRefs.isDeleting(rs)) {
            try {
                manageReplicas(key, rs, owned);
            } catch (Exception e) {
                manageError = e;
            }
        }
        Instant now = ctx.clock().instant();
        ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs, owned, manageError, now, ctx.clock());
        ReplicaSetStatuses.write(client, rs, status);
        if (manageError != null) {
            throw manageError;
        }
        return untilNextAvailable(rs, owned, now);
    }

    private boolean canAdopt(ReplicaSet rs) {
        ReplicaSet fresh = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                .withName(rs.getMetadata().getName()).get();
        return fresh != null && rs.getMetadata().getUid().equals(fresh.getMetadata().getUid()) && !OwnerRefs.isDeleting(fresh);
    }

    private void manageReplicas(String key, ReplicaSet rs, List<Pod> owned) {
        int diff = owned.size() - ReplicaSets.specReplicas(rs);
        if (diff < 0) {
            createPods(key, rs, Math.min(-diff, BURST));
        } else if (diff > 0) {
            deletePods(key, rs, owned, Math.min(diff, BURST));
        }
    }

    /**
     * Creates in batches of 1, 2, 4, ... whose pods go out concurrently, as upstream does: a
     * template the server refuses fails once, not a thousand times, and a good one is fast.
     */
    private void createPods(String key, ReplicaSet rs, int count) {
        expectations.expectCreations(key, count);
        int attempted = 0;
        RuntimeException failure = null;
        boolean stop = false;
        try {
            for (int batch = 1; attempted < count && failure == null && !stop; batch *= 2) {
                int size = Math.min(batch, count - attempted);
                List<CompletableFuture<Boolean>> creations = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    creations.add(CompletableFuture.supplyAsync(() -> podMaker.create(rs), CREATORS));
                }
                attempted += size;
                for (CompletableFuture<Boolean> creation : creations) {
                    try {
                        if (!creation.join()) {
                            expectations.creationObserved(key);
                            stop = true;
                        }
                    } catch (CompletionException e) {
                        expectations.creationObserved(key);
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
            }
        } finally {
            // pods never attempted will never be observed either
            for (int i = attempted; i < count; i++) {
                expectations.creationObserved(key);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void deletePods(String key, ReplicaSet rs, List<Pod> owned, int count) {
        List<Pod> victims = PodDeletionOrder.podsToDelete(owned, relatedPods(rs), count, ctx.clock().instant());
        Set<String> podKeys = new LinkedHashSet<>();
        victims.forEach(p -> podKeys.add(Pods.key(p)));
        expectations.expectDeletions(key, podKeys);
        RuntimeException failure = null;
        for (Pod victim : victims) {
            try {
                if (!podMaker.delete(rs, victim)) {
                    expectations.deletionObserved(key, Pods.key(victim));
                }
            } catch (RuntimeException e) {
                expectations.deletionObserved(key, Pods.key(victim));
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The active pods of every ReplicaSet that shares this one's controller (its Deployment's other revisions). */
    private List<Pod> relatedPods(ReplicaSet rs) {
        String ns = rs.getMetadata().getNamespace();
        Set<String> rsUids = new HashSet<>();
        rsUids.add(rs.getMetadata().getUid());
        OwnerReference owner = OwnerRefs.controllerOf(rs);
        if (owner != null) {
            for (ReplicaSet other : replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
                OwnerReference ref = OwnerRefs.controllerOf(other);
                if (ref != null && owner.getUid().equals(ref.getUid())) {
                    rsUids.add(other.getMetadata().getUid());
                }
            }
        }
        return pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream().filter(Pods::isActive).filter(p -> {
            OwnerReference ref = OwnerRefs.controllerOf(p);
            return ref != null && rsUids.contains(ref.getUid());
        }).toList();
    }

    /** Ready pods turn available minReadySeconds later without any event: look again then. */
    private static Duration untilNextAvailable(ReplicaSet rs, List<Pod> owned, Instant now) {
        int minReady = ReplicaSets.minReadySeconds(rs);
        if (minReady == 0) {
            return null;
        }
        Duration next = null;
        for (Pod p : owned) {
            Instant since = Pods.readySince(p);
            if (since != null && !Pods.isAvailable(p, minReady, now)) {
                Duration wait = Duration.between(now, since.plusSeconds(minReady)).plusSeconds(1);
                if (next == null || wait.compareTo(next) < 0) {
                    next = wait;
                }
            }
        }
        return next == null ? null : (next.isNegative() ? Duration.ofSeconds(1) : next);
    }
}
