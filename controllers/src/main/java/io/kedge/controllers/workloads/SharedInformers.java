package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.kedge.controllers.framework.ControllerContext;

/**
 * One informer per resource type for all controllers. fabric8's factory makes a new informer (and
 * a new watch) on every {@code sharedIndexInformerFor} call, so look for an existing one first.
 */
final class SharedInformers {
    private SharedInformers() {}

    static <T extends HasMetadata> SharedIndexInformer<T> of(ControllerContext ctx, Class<T> type) {
        SharedInformerFactory factory = ctx.informers();
        // the factory's own methods lock on the factory, so this makes get-or-create atomic
        synchronized (factory) {
            SharedIndexInformer<T> existing = factory.getExistingSharedIndexInformer(type);
            return existing != null ? existing : factory.sharedIndexInformerFor(type, 0);
        }
    }
}
