package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.store.KvStore;
import java.util.Set;

/**
 * No object may be created in a namespace that is missing or terminating, and the namespaces the
 * system itself relies on cannot be deleted.
 */
public final class NamespaceLifecycle implements Admission {
    public static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");
    private final KvStore store;
    private final String namespacePrefix;

    public NamespaceLifecycle(KvStore store, ResourceType namespaces) {
        this.store = store;
        this.namespacePrefix = namespaces.keyPrefix();
    }

    @Override
    public void admitCreate(ResourceType t, ObjectNode obj, WriteOptions opts) {
        if (!t.namespaced()) {
            return;
        }
        String ns = Meta.namespace(obj);
        var stored = store.get(namespacePrefix + ns);
        if (stored.isEmpty()) {
            throw ApiException.notFound("namespaces \"" + ns + "\" not found");
        }
        ObjectNode namespace = Json.trusted(stored.get().value());
        if (Meta.isDeleting(namespace) && !t.kind().equals("Event")) {
            throw ApiException.forbidden(t.kind().toLowerCase() + " \"" + Meta.name(obj) + "\" is forbidden: unable to create new content in namespace "
                    + ns + " because it is being terminated");
        }
    }

    @Override
    public void admitDelete(ResourceType t, ObjectNode obj) {
        if (t.group().isEmpty() && t.plural().equals("namespaces") && IMMORTAL.contains(Meta.name(obj))) {
            throw ApiException.forbidden("namespaces \"" + Meta.name(obj) + "\" is forbidden: this namespace may not be deleted");
        }
    }
}
