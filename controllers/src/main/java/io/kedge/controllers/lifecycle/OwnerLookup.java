package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the server whether the owner an ownerReference names exists: the object of that kind and
 * name in the dependent's namespace (or cluster-wide for cluster-scoped kinds), with the very uid
 * the reference carries. An owner deleted and created again under the same name is not the owner.
 */
final class OwnerLookup {
    /** What became of an owner. */
    enum State {
        /** it exists and is not waiting for its dependents */
        SOLID,
        /** it is gone, or another object has its name now */
        ABSENT,
        /** it is being deleted in the foreground: its dependents must go first */
        WAITING,
        /** its kind is not served (yet): nothing can be decided about it */
        UNRESOLVED,
        /** a cluster-scoped object names a namespaced owner, which can never exist */
        INVALID
    }

    private static final int ABSENT_CACHE_SIZE = 10_000;

    private final ApiResourceCatalog catalog;
    private final GenericObjects objects;
    /** uids stay unique forever, so an owner once seen absent stays absent */
    private final Set<String> absent = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ABSENT_CACHE_SIZE;
        }
    }));

    OwnerLookup(ApiResourceCatalog catalog, GenericObjects objects) {
        this.catalog = catalog;
        this.objects = objects;
    }

    State classify(OwnerReference ref, String dependentNamespace) {
        Optional<ApiResource> resource = catalog.forKind(ref.getApiVersion(), ref.getKind());
        if (resource.isEmpty()) {
            return State.UNRESOLVED;
        }
        ApiResource r = resource.get();
        if (r.namespaced() && dependentNamespace == null) {
            return State.INVALID;
        }
        String namespace = r.namespaced() ? dependentNamespace : null;
        String cacheKey = ref.getUid() + "|" + (namespace == null ? "" : namespace);
        if (absent.contains(cacheKey)) {
            return State.ABSENT;
        }
        GenericKubernetesResource owner = objects.get(r, namespace, ref.getName());
        if (owner == null || !ref.getUid().equals(owner.getMetadata().getUid())) {
            absent.add(cacheKey);
            return State.ABSENT;
        }
        boolean waiting = owner.getMetadata().getDeletionTimestamp() != null
                && owner.getMetadata().getFinalizers().contains(GraphNode.FOREGROUND);
        return waiting ? State.WAITING : State.SOLID;
    }
}
