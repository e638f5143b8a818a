package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kedge.controllers.framework.ControllerContext;
import java.util.List;

/** One informer per resource type for all controllers of a context, and reads of its cache by namespace. */
final class SharedInformers {
    private SharedInformers() {}

    /** The factory's informer for the type, created on first use: fabric8 makes a new one on every sharedIndexInformerFor. */
    static <T extends HasMetadata> SharedIndexInformer<T> of(ControllerContext ctx, Class<T> type) {
        SharedInformerFactory factory = ctx.informers();
        synchronized (factory) {
            SharedIndexInformer<T> existing = factory.getExistingSharedIndexInformer(type);
            return existing != null ? existing : factory.sharedIndexInformerFor(type, 0);
        }
    }

    static <T extends HasMetadata> List<T> inNamespace(SharedIndexInformer<T> informer, String namespace) {
        try {
            return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
        } catch (IllegalArgumentException noNamespaceIndex) {
            return informer.getStore().list().stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
        }
    }
}
