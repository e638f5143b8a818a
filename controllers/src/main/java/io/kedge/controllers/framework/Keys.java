package io.kedge.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Work-queue keys: "namespace/name", or "name" for cluster-scoped objects. */
public final class Keys {
    private Keys() {}

    public static String of(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? o.getMetadata().getName() : ns + "/" + o.getMetadata().getName();
    }

    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
