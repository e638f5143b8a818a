package io.kedge.controllers.lifecycle;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Empties a namespace that is being deleted, then releases its {@code kubernetes} finalizer through
 * {@code /finalize}, after which the server removes the namespace. Content that takes time to go
 * (pods waiting for their node, objects with finalizers) is looked at again with growing pauses.
 */
public final class NamespaceController implements Reconciler {
    static final String FINALIZER = "kubernetes";
    private static final Duration FIRST_RECHECK = Duration.ofSeconds(1);
    private static final Duration MAX_RECHECK = Duration.ofSeconds(30);

    private final ControllerContext ctx;
    private final SharedIndexInformer<Namespace> namespaces;
    private final NamespaceContentDeleter deleter;
    private final Map<String, Integer> passes = new ConcurrentHashMap<>();

    private NamespaceController(ControllerContext ctx, SharedIndexInformer<Namespace> namespaces,
                                NamespaceContentDeleter deleter) {
        this.ctx = ctx;
        this.namespaces = namespaces;
        this.deleter = deleter;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<Namespace> namespaces = Informers.shared(ctx.informers(), Namespace.class);
        ApiResourceCatalog catalog = new ApiResourceCatalog(ctx.client(), ctx.clock(), Duration.ofSeconds(5));
        NamespaceController reconciler = new NamespaceController(ctx, namespaces,
                new NamespaceContentDeleter(catalog, new GenericObjects(ctx.client())));
        Controller controller = new Controller("namespace", reconciler, 2);
        namespaces.addEventHandler(controller.<Namespace>enqueue(ns -> ns.getMetadata().getDeletionTimestamp() == null
                ? List.of() : List.of(ns.getMetadata().getName())));
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        Namespace cached = namespaces.getStore().getByKey(key);
        if (cached == null || cached.getMetadata().getDeletionTimestamp() == null) {
            passes.remove(key);
            return null;
        }
        // several writers touch a terminating namespace: act on its current state, not the cache's
        Namespace ns = ctx.client().namespaces().withName(key).get();
        if (ns == null || ns.getMetadata().getDeletionTimestamp() == null || !finalizers(ns).contains(FINALIZER)) {
            passes.remove(key);
            return null;
        }
        ContentDeletion pass = deleter.deleteAll(key);
        writeStatus(ns, pass);
        if (!pass.complete()) {
            int n = passes.merge(key, 1, Integer::sum);
            long seconds = Math.min(MAX_RECHECK.toSeconds(), FIRST_RECHECK.toSeconds() << Math.min(n - 1, 10));
            return Duration.ofSeconds(seconds);
        }
        finalizeNamespace(key);
        passes.remove(key);
        return null;
    }

    private void writeStatus(Namespace ns, ContentDeletion pass) {
        NamespaceStatus status = ns.getStatus() == null ? new NamespaceStatus() : ns.getStatus();
        boolean changed = NamespaceConditions.apply(status, pass, ctx.clock().instant());
        if (!"Terminating".equals(status.getPhase())) {
            status.setPhase("Terminating");
            changed = true;
        }
        if (!changed) {
            return;
        }
        ns.setStatus(status);
        try {
            ctx.client().namespaces().resource(ns).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
            // a newer namespace or none: the conditions are refreshed on the next pass
        }
    }

    /** Removes this controller's finalizer, re-reading the namespace when another writer got there first. */
    private void finalizeNamespace(String name) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Namespace ns = ctx.client().namespaces().withName(name).get();
            if (ns == null || !finalizers(ns).contains(FINALIZER)) {
                return;
            }
            List<String> rest = new ArrayList<>(finalizers(ns));
            rest.removeIf(FINALIZER::equals);
            ns.getSpec().setFinalizers(rest);
            try {
                ctx.client().raw("/api/v1/namespaces/" + name + "/finalize", "PUT", ns);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("namespace " + name + " kept changing while its finalizer was being removed");
    }

    private static List<String> finalizers(Namespace ns) {
        return ns.getSpec() == null || ns.getSpec().getFinalizers() == null ? List.of() : ns.getSpec().getFinalizers();
    }
}
