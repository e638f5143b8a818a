package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The garbage collector's edits of metadata: owner references and its own finalizers. Each is a
 * merge patch conditional on the resourceVersion read, so a concurrent change makes it fail (and
 * the key retry) instead of overwriting a list someone else just changed.
 */
final class OwnerReferenceWrites {
    private final GenericObjects objects;

    OwnerReferenceWrites(GenericObjects objects) {
        this.objects = objects;
    }

    /** Drops the references to the given owners' uids. */
    void removeOwnerReferences(ApiResource res, GenericKubernetesResource obj, List<OwnerReference> drop) {
        Set<String> uids = new HashSet<>();
        drop.forEach(r -> uids.add(r.getUid()));
        List<OwnerReference> keep = obj.getMetadata().getOwnerReferences().stream()
                .filter(r -> !uids.contains(r.getUid())).toList();
        // null removes the field: the API never shows an empty list, and clients test for its absence
        write(res, obj, java.util.Collections.singletonMap("ownerReferences", keep.isEmpty() ? null : keep));
    }

    /** Sets blockOwnerDeletion to false on every reference: the object no longer holds up any owner. */
    GenericKubernetesResource unblockOwnerReferences(ApiResource res, GenericKubernetesResource obj) {
        List<OwnerReference> refs = new ArrayList<>();
        for (OwnerReference r : obj.getMetadata().getOwnerReferences()) {
            OwnerReference copy = new OwnerReferenceBuilder(r).build();
            if (Boolean.TRUE.equals(copy.getBlockOwnerDeletion())) {
                copy.setBlockOwnerDeletion(false);
            }
            refs.add(copy);
        }
        return write(res, obj, Map.of("ownerReferences", refs));
    }

    /**
     * Removes one finalizer from the object as the server has it now, if it is still that object.
     *
     * @return false if there was nothing to remove
     */
    boolean removeFinalizer(ApiResource res, GraphNode node, String finalizer) {
        GenericKubernetesResource live = objects.get(res, node.namespace(), node.name());
        if (live == null || !node.uid().equals(live.getMetadata().getUid())
                || !live.getMetadata().getFinalizers().contains(finalizer)) {
            return false;
        }
        List<String> rest = new ArrayList<>(live.getMetadata().getFinalizers());
        rest.removeIf(finalizer::equals);
        write(res, live, java.util.Collections.singletonMap("finalizers", rest.isEmpty() ? null : rest));
        return true;
    }

    private GenericKubernetesResource write(ApiResource res, GenericKubernetesResource obj, Map<String, Object> fields) {
        Map<String, Object> metadata = new LinkedHashMap<>(fields);
        metadata.put("resourceVersion", obj.getMetadata().getResourceVersion());
        return objects.mergePatch(res, obj.getMetadata().getNamespace(), obj.getMetadata().getName(), Map.of("metadata", metadata));
    }
}
