package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.WorkQueue;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: binds each pending pod that names the default scheduler to a node. One worker
 * schedules pods one at a time against the {@link SchedulerCache}; the chosen node is assumed at
 * once and the binding goes out asynchronously. Pods that fit nowhere keep the reason on their
 * PodScheduled condition and come back when nodes or pods change (see {@link SchedulerEvents}).
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    public static final String NAME = "scheduler";
    public static final String DEFAULT_SCHEDULER = "default-scheduler";

    private final SchedulerCache cache = new SchedulerCache();
    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(cache);
    private final UnschedulablePods unschedulable = new UnschedulablePods(System::nanoTime);
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Namespace> namespaces;
    private final PodBinder binder;
    private final SchedulingReporter reporter;
    private final Controller controller;
    private final WorkQueue queue;
    private volatile boolean primed;

    private Scheduler(ControllerContext ctx) {
        this.pods = Informers.shared(ctx, Pod.class);
        this.nodes = Informers.shared(ctx, Node.class);
        this.namespaces = Informers.shared(ctx, Namespace.class);
        this.binder = new PodBinder(ctx.client());
        this.reporter = new SchedulingReporter(ctx.client(), ctx.clock());
        // one worker: pods are placed one after another so that each sees the room the previous took
        this.controller = new Controller(NAME, this::scheduleOne, 1);
        this.queue = controller.queue();
        SchedulerEvents events = new SchedulerEvents(cache, unschedulable, queue);
        pods.addEventHandler(events.pods());
        nodes.addEventHandler(events.nodes());
        namespaces.addEventHandler(events.namespaces());
    }

    /** The scheduler as a controller, for a manager that runs it under the {@code kedge-scheduler} Lease. */
    public static Controller create(ControllerContext ctx) {
        return build(ctx).controller;
    }

    static Scheduler build(ControllerContext ctx) {
        return new Scheduler(ctx);
    }

    Controller controller() {
        return controller;
    }

    SchedulerCache cache() {
        return cache;
    }

    /** A pod this scheduler should place: unbound, alive, not gated, and asking for the default scheduler. */
    static boolean isPending(Pod p) {
        if (p.getSpec() == null || p.getMetadata().getDeletionTimestamp() != null || SchedulerCache.isTerminal(p)) {
            return false;
        }
        String node = p.getSpec().getNodeName();
        String scheduler = p.getSpec().getSchedulerName();
        boolean gated = p.getSpec().getSchedulingGates() != null && !p.getSpec().getSchedulingGates().isEmpty();
        return (node == null || node.isEmpty()) && !gated
                && (scheduler == null || scheduler.isEmpty() || DEFAULT_SCHEDULER.equals(scheduler));
    }

    private Duration scheduleOne(String key) {
        primeOnce();
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null || !isPending(pod)) {
            unschedulable.clear(key);
            return null;
        }
        if (cache.isAssumed(pod)) {
            return null; // its binding is on the way
        }
        ScheduleResult result = algorithm.schedule(pod);
        if (!result.isScheduled()) {
            unschedulable.failed(key, result.podAffinityFailed());
            String reason = result.schedulerError() ? "SchedulerError" : "Unschedulable";
            reporter.failed(pod, reason, result.message(), () -> pods.getStore().getByKey(key));
            return UnschedulablePods.PERIODIC_RETRY;
        }
        cache.assume(pod, result.nodeName());
        unschedulable.clear(key);
        bind(key, pod, result.nodeName());
        return null;
    }

    /** Sends the binding; on failure the assumption is taken back and the pod tried again with back-off. */
    private void bind(String key, Pod pod, String node) {
        long started = System.nanoTime();
        binder.bind(pod, node).whenCompleteAsync((ok, error) -> {
            LOG.debug("scheduler: binding {} to {} took {} ms: {}", key, node, (System.nanoTime() - started) / 1_000_000,
                    error == null ? "ok" : error.toString());
            if (error == null) {
                reporter.scheduled(pod, node);
                return;
            }
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            if (cache.forget(pod)) {
                // the room this pod held is free again: pods that did not fit may fit now
                unschedulable.move(false, queue::addAfter);
            }
            boolean conflict = cause instanceof PodBinder.BindingException b && (b.code() == 409 || b.code() == 404);
            if (!conflict) {
                LOG.warn("scheduler: {}", cause.getMessage());
                reporter.bindingFailed(pod, cause.getMessage());
            }
            queue.addRateLimited(key);
        }, reporter.lane(pod));
    }

    /**
     * Loads the informers' stores into the cache before the first decision: the informers have
     * synced when workers start, but their event handlers may still be catching up.
     */
    private void primeOnce() {
        if (primed) {
            return;
        }
        namespaces.getStore().list().forEach(cache::setNamespace);
        nodes.getStore().list().forEach(cache::addOrUpdateNode);
        for (Pod p : pods.getStore().list()) {
            cache.addOrUpdatePod(p);
        }
        primed = true;
        LOG.info("scheduler: cache primed with {} nodes", cache.nodeCount());
    }
}
