package io.kedge.controllers.lifecycle;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import io.kedge.controllers.framework.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deletes objects whose owners are gone, and carries out the Foreground and Orphan propagation
 * policies, as upstream's garbage collector does.
 *
 * <p>The graph of ownerReferences comes from informers for the resources that carry owners in
 * practice (shared with the other controllers), and from a periodic {@link GraphSweep} of every
 * other deletable resource. Keys on the work queue are object uids, plus {@link #SWEEP}. Before
 * anything is deleted, the server is asked whether each owner exists with the referenced uid; the
 * graph only decides what to look at.
 */
public final class GarbageCollector implements Reconciler {
    static final String SWEEP = "~sweep";
    static final Duration SWEEP_PERIOD = Duration.ofSeconds(30);
    private static final Duration RECHECK_UNRESOLVED = Duration.ofSeconds(30);
    private static final Duration RECHECK_SWEPT_DEPENDENTS = Duration.ofSeconds(2);
    private static final Duration RECHECK_WAITING_OWNER = Duration.ofSeconds(30);
    private static final List<Class<? extends HasMetadata>> INFORMED = List.of(Pod.class, ReplicaSet.class,
            Deployment.class, StatefulSet.class, DaemonSet.class, ControllerRevision.class, Job.class, CronJob.class,
            EndpointSlice.class, Service.class, ConfigMap.class, Secret.class);

    private final ControllerContext ctx;
    private final OwnerGraph graph;
    private final ApiResourceCatalog catalog;
    private final GenericObjects objects;
    private final OwnerLookup owners;
    private final GraphSweep sweep;
    private final OwnerReferenceWrites writes;
    private final Set<String> informed;
    private final Duration sweepPeriod;
    private final Map<String, Instant> deletingSince = new ConcurrentHashMap<>();
    private final Set<String> awaitingSweep = ConcurrentHashMap.newKeySet();
    private final Set<String> warnedInvalid = ConcurrentHashMap.newKeySet();
    private volatile Instant lastSweepStart;
    private volatile Instant nextSweep = Instant.MIN;
    private WorkQueue queue;

    private GarbageCollector(ControllerContext ctx, Set<String> informed, Duration sweepPeriod) {
        this.ctx = ctx;
        this.graph = new OwnerGraph();
        this.catalog = new ApiResourceCatalog(ctx.client(), ctx.clock(), Duration.ofSeconds(30));
        this.objects = new GenericObjects(ctx.client());
        this.owners = new OwnerLookup(catalog, objects);
        this.sweep = new GraphSweep(catalog, objects, graph, informed);
        this.writes = new OwnerReferenceWrites(objects);
        this.informed = informed;
        this.sweepPeriod = sweepPeriod;
    }

    public static Controller create(ControllerContext ctx) {
        return create(ctx, SWEEP_PERIOD);
    }

    static Controller create(ControllerContext ctx, Duration sweepPeriod) {
        Set<String> informed = new HashSet<>();
        for (Class<? extends HasMetadata> type : INFORMED) {
            informed.add(GraphNode.source(HasMetadata.getGroup(type), HasMetadata.getPlural(type)));
        }
        GarbageCollector gc = new GarbageCollector(ctx, Set.copyOf(informed), sweepPeriod);
        Controller controller = new Controller("garbagecollector", gc, 4);
        gc.queue = controller.queue();
        for (Class<? extends HasMetadata> type : INFORMED) {
            gc.watch(Informers.shared(ctx.informers(), type), GraphNode.source(HasMetadata.getGroup(type), HasMetadata.getPlural(type)));
        }
        controller.queue().add(SWEEP);
        return controller;
    }

    private <T extends HasMetadata> void watch(SharedIndexInformer<T> informer, String source) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T o) {
                enqueue(graph.upsert(GraphNode.of(o, source)));
            }

            @Override
            public void onUpdate(T old, T o) {
                enqueue(graph.upsert(GraphNode.of(o, source)));
            }

            @Override
            public void onDelete(T o, boolean finalStateUnknown) {
                enqueue(graph.remove(o.getMetadata().getUid()));
            }
        });
    }

    @Override
    public Duration reconcile(String key) {
        if (SWEEP.equals(key)) {
            return runSweep();
        }
        GraphNode node = graph.node(key);
        if (node == null) {
            deletingSince.remove(key);
            return null;
        }
        if (node.orphaning() || node.deletingDependents()) {
            return processDeletingOwner(node);
        }
        if (node.deleting() || node.owners().isEmpty() || ownersStandInGraph(node)) {
            return null;
        }
        if (lastSweepStart == null) {
            awaitingSweep.add(key); // owners may only be missing from a graph still partial
            return null;
        }
        return attemptToDelete(node);
    }

    private Duration runSweep() {
        Instant started = ctx.clock().instant();
        Set<String> attention = sweep.run();
        lastSweepStart = started;
        enqueue(attention);
        List<String> waiting = new ArrayList<>(awaitingSweep);
        awaitingSweep.removeAll(waiting);
        enqueue(waiting);
        // a sweep asked for out of turn must not start a second periodic chain
        if (nextSweep.isAfter(started.plusSeconds(1))) {
            return null;
        }
        nextSweep = started.plus(sweepPeriod);
        return sweepPeriod;
    }

    /** True if every owner is in the graph under the name, kind and scope referenced, and none waits. */
    private boolean ownersStandInGraph(GraphNode node) {
        for (OwnerReference ref : node.owners()) {
            GraphNode owner = graph.node(ref.getUid());
            if (owner == null || owner.deletingDependents() || !owner.name().equals(ref.getName())
                    || !owner.kind().equals(ref.getKind())
                    || (owner.namespace() != null && !owner.namespace().equals(node.namespace()))) {
                return false;
            }
        }
        return true;
    }

    private Duration attemptToDelete(GraphNode node) {
        ApiResource res = resourceOf(node);
        GenericKubernetesResource latest = objects.get(res, node.namespace(), node.name());
        if (latest == null || !node.uid().equals(latest.getMetadata().getUid())) {
            enqueue(graph.remove(node.uid()));
            return null;
        }
        GraphNode current = refresh(latest, node);
        if (current.orphaning() || current.deletingDependents()) {
            return processDeletingOwner(current);
        }
        if (current.deleting() || current.owners().isEmpty()) {
            return null;
        }
        List<OwnerReference> solid = new ArrayList<>();
        List<OwnerReference> dangling = new ArrayList<>();
        List<OwnerReference> waiting = new ArrayList<>();
        List<OwnerReference> unresolved = new ArrayList<>();
        for (OwnerReference ref : current.owners()) {
            switch (owners.classify(ref, current.namespace())) {
                case SOLID -> solid.add(ref);
                case ABSENT -> dangling.add(ref);
                case WAITING -> waiting.add(ref);
                case UNRESOLVED -> unresolved.add(ref);
                case INVALID -> {
                    // retrying cannot help, and deleting on a reference that can never resolve would be wrong
                    warnInvalid(latest, ref);
                    return null;
                }
            }
        }
        if (!solid.isEmpty() || !unresolved.isEmpty()) {
            // it stays; but references to owners that are gone, or that wait for it to go, must not hold them
            List<OwnerReference> drop = new ArrayList<>(dangling);
            drop.addAll(waiting);
            if (!drop.isEmpty()) {
                writes.removeOwnerReferences(res, latest, drop);
            }
            return unresolved.isEmpty() ? null : RECHECK_UNRESOLVED;
        }
        String policy;
        if (!waiting.isEmpty() && graph.hasDependents(current.uid())) {
            if (graph.dependentsOf(current.uid()).stream().anyMatch(GraphNode::deletingDependents)) {
                // an owner and a dependent both wait in the foreground: unblock to break a possible cycle
                latest = writes.unblockOwnerReferences(res, latest);
            }
            policy = "Foreground";
        } else if (current.finalizers().contains(GraphNode.ORPHAN)) {
            policy = "Orphan";
        } else if (current.finalizers().contains(GraphNode.FOREGROUND)) {
            policy = "Foreground";
        } else {
            policy = "Background";
        }
        boolean existed = objects.delete(res, current.namespace(), current.name(), current.uid(),
                latest.getMetadata().getResourceVersion(), policy);
        if (!existed) {
            enqueue(graph.remove(current.uid()));
        }
        return null;
    }

    private Duration processDeletingOwner(GraphNode node) {
        Instant since = deletingSince.computeIfAbsent(node.uid(), k -> ctx.clock().instant());
        if (lastSweepStart == null || lastSweepStart.isBefore(since)) {
            // dependents of swept resources created lately are unknown yet: look before letting go
            awaitingSweep.add(node.uid());
            queue.add(SWEEP);
            return null;
        }
        ApiResource res = resourceOf(node);
        GenericKubernetesResource latest = objects.get(res, node.namespace(), node.name());
        if (latest == null || !node.uid().equals(latest.getMetadata().getUid())) {
            enqueue(graph.remove(node.uid()));
            return null;
        }
        GraphNode current = refresh(latest, node);
        if (current.orphaning()) {
            for (GraphNode dependent : graph.dependentsOf(current.uid())) {
                orphan(dependent, current.uid());
            }
            writes.removeFinalizer(res, current, GraphNode.ORPHAN);
            deletingSince.remove(current.uid());
            return null;
        }
        if (current.deletingDependents()) {
            return processDeletingDependents(res, current);
        }
        return null;
    }

    private Duration processDeletingDependents(ApiResource res, GraphNode owner) {
        int blocking = 0;
        boolean sweptBlocking = false;
        for (GraphNode dep : graph.dependentsOf(owner.uid())) {
            if (!blocks(dep, owner.uid())) {
                continue;
            }
            if (!informed.contains(dep.source())) {
                // the graph hears about swept resources late: ask the server
                GenericKubernetesResource live = objects.get(resourceOf(dep), dep.namespace(), dep.name());
                if (live == null || !dep.uid().equals(live.getMetadata().getUid())) {
                    enqueueExcept(graph.remove(dep.uid()), owner.uid());
                    continue;
                }
                dep = GraphNode.of(live, dep.source());
                enqueueExcept(graph.upsertIfPresent(dep), owner.uid());
                if (!blocks(dep, owner.uid())) {
                    continue;
                }
                sweptBlocking = true;
            }
            blocking++;
            if (!dep.deleting()) {
                queue.add(dep.uid());
            }
        }
        if (blocking == 0) {
            writes.removeFinalizer(res, owner, GraphNode.FOREGROUND);
            deletingSince.remove(owner.uid());
            return null;
        }
        return sweptBlocking ? RECHECK_SWEPT_DEPENDENTS : RECHECK_WAITING_OWNER;
    }

    private static boolean blocks(GraphNode dependent, String ownerUid) {
        OwnerReference ref = dependent.ownerRef(ownerUid);
        return ref != null && Boolean.TRUE.equals(ref.getBlockOwnerDeletion());
    }

    /** Removes the reference to {@code ownerUid} from a dependent, so that it outlives its owner. */
    private void orphan(GraphNode dependent, String ownerUid) {
        ApiResource res = resourceOf(dependent);
        GenericKubernetesResource live = objects.get(res, dependent.namespace(), dependent.name());
        if (live == null || !dependent.uid().equals(live.getMetadata().getUid())) {
            return;
        }
        List<OwnerReference> drop = live.getMetadata().getOwnerReferences().stream()
                .filter(r -> ownerUid.equals(r.getUid())).toList();
        if (!drop.isEmpty()) {
            writes.removeOwnerReferences(res, live, drop);
        }
    }

    private void warnInvalid(GenericKubernetesResource obj, OwnerReference ref) {
        if (warnedInvalid.add(obj.getMetadata().getUid() + "|" + ref.getUid())) {
            ctx.events().warning(obj, "OwnerRefInvalidNamespace", "ownerRef [" + ref.getApiVersion() + "/" + ref.getKind()
                    + ", namespace: , name: " + ref.getName() + ", uid: " + ref.getUid()
                    + "] does not exist in namespace \"\"");
        }
    }

    /**
     * The object as the server has it now. An informed resource's node changes only with its
     * informer's events: a read that raced the object's deletion (the informer removed it between
     * the GET and now) would otherwise put back a deleting ghost that blocks its owners forever.
     * A swept resource's node is updated, if the graph still holds it.
     */
    private GraphNode refresh(GenericKubernetesResource latest, GraphNode node) {
        GraphNode current = GraphNode.of(latest, node.source());
        if (!informed.contains(node.source())) {
            enqueueExcept(graph.upsertIfPresent(current), node.uid());
        }
        return current;
    }

    private ApiResource resourceOf(GraphNode node) {
        return catalog.forKind(node.apiVersion(), node.kind()).orElseThrow(() -> new IllegalStateException(
                "the server no longer serves " + node.apiVersion() + " " + node.kind() + " of " + node.describe()));
    }

    private void enqueue(Collection<String> uids) {
        uids.forEach(queue::add);
    }

    private void enqueueExcept(Collection<String> uids, String self) {
        for (String uid : uids) {
            if (!uid.equals(self)) {
                queue.add(uid);
            }
        }
    }
}
