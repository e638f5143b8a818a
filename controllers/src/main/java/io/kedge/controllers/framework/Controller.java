package io.kedge.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control loop: informer events put keys on a work queue, and workers call the reconciler
 * for each key, one at a time per key.
 */
public final class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    private final String name;
    private final Reconciler reconciler;
    private final WorkQueue queue;
    private final int workers;
    private final List<Thread> threads = new ArrayList<>();

    public Controller(String name, Reconciler reconciler, int workers) {
        this.name = name;
        this.reconciler = reconciler;
        this.queue = new WorkQueue(name);
        this.workers = workers;
    }

    public String name() {
        return name;
    }

    public WorkQueue queue() {
        return queue;
    }

    /** Queues the object's own key on every change. */
    public <T extends HasMetadata> ResourceEventHandler<T> enqueueSelf() {
        return enqueue(o -> List.of(Keys.of(o)));
    }

    /** Queues the key of the object's controlling owner of the given kind, if it has one. */
    public <T extends HasMetadata> ResourceEventHandler<T> enqueueOwner(String ownerKind) {
        return enqueue(o -> {
            for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
                if (ownerKind.equals(ref.getKind()) && Boolean.TRUE.equals(ref.getController())) {
                    String ns = o.getMetadata().getNamespace();
                    return List.of(ns == null ? ref.getName() : ns + "/" + ref.getName());
                }
            }
            return List.of();
        });
    }

    /** Queues whatever keys {@code keys} derives from a changed object (old and new state both). */
    public <T extends HasMetadata> ResourceEventHandler<T> enqueue(Function<T, List<String>> keys) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                keys.apply(obj).forEach(queue::add);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                keys.apply(oldObj).forEach(queue::add);
                keys.apply(newObj).forEach(queue::add);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                keys.apply(obj).forEach(queue::add);
            }
        };
    }

    public synchronized void start() {
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, name + "-worker-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                Duration again = reconciler.reconcile(key);
                queue.forget(key);
                if (again != null) {
                    queue.addAfter(key, again);
                }
            } catch (Exception | LinkageError e) {
                int failures = queue.failures(key);
                if (failures < 3) {
                    LOG.debug("{}: reconciling {} failed, retrying: {}", name, key, e.toString());
                } else {
                    LOG.warn("{}: reconciling {} failed {} times: {}", name, key, failures + 1, e.toString());
                }
                queue.addRateLimited(key);
            } finally {
                queue.done(key);
            }
        }
    }

    @Override
    public void close() {
        queue.shutdown();
        threads.forEach(Thread::interrupt);
    }
}
