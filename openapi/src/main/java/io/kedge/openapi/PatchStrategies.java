package io.kedge.openapi;

import java.util.Optional;

/**
 * Where the strategic-merge-patch metadata of a field comes from. The schemas carry it as the
 * {@code x-kubernetes-patch-merge-key} / {@code x-kubernetes-patch-strategy} extensions; without them kubectl's
 * client-side apply replaces lists instead of merging them.
 */
public interface PatchStrategies {

    /**
     * @param definitionName an upstream definition name, e.g. {@code io.k8s.api.core.v1.PodSpec}
     * @param fieldName      a JSON field of that definition, e.g. {@code containers}
     */
    Optional<Strategy> lookup(String definitionName, String fieldName);

    /**
     * @param mergeKey the field that identifies a list element, or {@code null} for lists of scalars
     * @param strategy "merge", "replace", "retainKeys" or "merge,retainKeys"
     */
    record Strategy(String mergeKey, String strategy) {
        public Strategy {
            if (strategy == null || strategy.isBlank()) {
                throw new IllegalArgumentException("patch strategy must not be blank (merge key " + mergeKey + ")");
            }
            if (mergeKey != null && mergeKey.isBlank()) {
                throw new IllegalArgumentException("patch merge key must be null or non-blank");
            }
        }
    }

    /** No field carries patch metadata. */
    static PatchStrategies none() {
        return (definition, field) -> Optional.empty();
    }

    /** A small table of the most used merge keys, until the server wires its own fact table in. */
    static PatchStrategies defaults() {
        return DefaultPatchStrategies.INSTANCE;
    }
}
