package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.WorkQueue;
import java.util.Objects;

/**
 * Informer events, turned into cache updates and queue work: pending pods are queued when they
 * appear or their spec changes; pods that did not fit are sent back when a node is added or changes
 * in a way that matters, or when a placed pod goes away (and, for pod affinity, when one arrives).
 */
final class SchedulerEvents {
    private final SchedulerCache cache;
    private final UnschedulablePods unschedulable;
    private final WorkQueue queue;

    SchedulerEvents(SchedulerCache cache, UnschedulablePods unschedulable, WorkQueue queue) {
        this.cache = cache;
        this.unschedulable = unschedulable;
        this.queue = queue;
    }

    ResourceEventHandler<Pod> pods() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                if (isBound(p)) {
                    placed(null, p);
                } else if (Scheduler.isPending(p)) {
                    queue.add(Keys.of(p));
                }
            }

            @Override
            public void onUpdate(Pod old, Pod p) {
                if (isBound(p)) {
                    placed(old, p);
                } else if (Scheduler.isPending(p) && schedulingInputsChanged(old, p)) {
                    queue.add(Keys.of(p));
                }
            }

            @Override
            public void onDelete(Pod p, boolean finalStateUnknown) {
                unschedulable.clear(Keys.of(p));
                if (cache.removePod(p)) {
                    retryAll();
                }
            }
        };
    }

    private void placed(Pod old, Pod p) {
        boolean freed = cache.addOrUpdatePod(p);
        boolean newlyBound = old == null || !isBound(old);
        if (newlyBound) {
            unschedulable.clear(Keys.of(p));
        }
        if (freed) {
            retryAll();
        } else if (newlyBound && unschedulable.size() > 0) {
            unschedulable.move(true, queue::addAfter);
        }
    }

    ResourceEventHandler<Node> nodes() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
                cache.addOrUpdateNode(n);
                retryAll();
            }

            @Override
            public void onUpdate(Node old, Node n) {
                cache.addOrUpdateNode(n);
                if (schedulingInputsChanged(old, n)) {
                    retryAll();
                }
            }

            @Override
            public void onDelete(Node n, boolean finalStateUnknown) {
                cache.removeNode(n.getMetadata().getName());
            }
        };
    }

    ResourceEventHandler<Namespace> namespaces() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace ns) {
                cache.setNamespace(ns);
            }

            @Override
            public void onUpdate(Namespace old, Namespace ns) {
                cache.setNamespace(ns);
                if (!Objects.equals(old.getMetadata().getLabels(), ns.getMetadata().getLabels())) {
                    unschedulable.move(true, queue::addAfter);
                }
            }

            @Override
            public void onDelete(Namespace ns, boolean finalStateUnknown) {
                cache.removeNamespace(ns.getMetadata().getName());
            }
        };
    }

    private void retryAll() {
        if (unschedulable.size() > 0) {
            unschedulable.move(false, queue::addAfter);
        }
    }

    private static boolean isBound(Pod p) {
        return p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty();
    }

    /** Status-only updates (including the scheduler's own condition writes) change nothing about placement. */
    private static boolean schedulingInputsChanged(Pod old, Pod p) {
        return old == null || !Objects.equals(old.getSpec(), p.getSpec())
                || !Objects.equals(old.getMetadata().getLabels(), p.getMetadata().getLabels());
    }

    /** Heartbeats and condition churn do not change where pods fit; labels, taints, cordoning and allocatable do. */
    private static boolean schedulingInputsChanged(Node old, Node n) {
        return !Objects.equals(old.getMetadata().getLabels(), n.getMetadata().getLabels())
                || !Objects.equals(old.getSpec(), n.getSpec())
                || !Objects.equals(old.getStatus() == null ? null : old.getStatus().getAllocatable(),
                        n.getStatus() == null ? null : n.getStatus().getAllocatable());
    }
}
