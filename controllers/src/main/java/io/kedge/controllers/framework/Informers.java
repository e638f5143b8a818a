package io.kedge.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One informer per resource type for every controller built from the same factory. fabric8's
 * {@code sharedIndexInformerFor} makes a new informer (and a new watch) on every call, so
 * controllers ask here instead, which hands out the one already registered.
 */
public final class Informers {
    private Informers() {}

    public static <T extends HasMetadata> SharedIndexInformer<T> shared(ControllerContext ctx, Class<T> type) {
        return shared(ctx.informers(), type);
    }

    public static <T extends HasMetadata> SharedIndexInformer<T> shared(SharedInformerFactory factory, Class<T> type) {
        // the factory's own methods lock on the factory, so this makes get-or-create atomic
        synchronized (factory) {
            SharedIndexInformer<T> existing = factory.getExistingSharedIndexInformer(type);
            return existing != null ? existing : factory.sharedIndexInformerFor(type, 0);
        }
    }

    /** Adds an index unless one of that name is there already (another controller may have added it). */
    public static <T> void ensureIndex(SharedIndexInformer<T> informer, String name, Function<T, List<String>> keys) {
        synchronized (informer) {
            if (!informer.getIndexer().getIndexers().containsKey(name)) {
                informer.addIndexers(Map.of(name, keys));
            }
        }
    }

    public static <T extends HasMetadata> List<T> inNamespace(SharedIndexInformer<T> informer, String namespace) {
        try {
            return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
        } catch (IllegalArgumentException noNamespaceIndex) {
            return informer.getStore().list().stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
        }
    }
}
