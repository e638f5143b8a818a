package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Hands out the informer already registered for a type, so that every controller built from one
 * factory shares one watch per resource: fabric8's {@code sharedIndexInformerFor} opens a new one on
 * every call. Locks on the factory, as the other packages' helpers do, so they interoperate.
 */
final class SharedInformers {
    private SharedInformers() {}

    static <T extends HasMetadata> SharedIndexInformer<T> of(SharedInformerFactory factory, Class<T> type) {
        synchronized (factory) {
            SharedIndexInformer<T> existing = factory.getExistingSharedIndexInformer(type);
            return existing != null ? existing : factory.sharedIndexInformerFor(type, 0);
        }
    }

    /** Adds an index unless one of that name exists already (another controller may share it). */
    static <T> void ensureIndex(SharedIndexInformer<T> informer, String name, Function<T, List<String>> keys) {
        synchronized (informer) {
            if (!informer.getIndexer().getIndexers().containsKey(name)) {
                informer.addIndexers(Map.of(name, keys));
            }
        }
    }
}
