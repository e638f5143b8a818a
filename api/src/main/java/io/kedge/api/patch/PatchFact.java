package io.kedge.api.patch;

import java.util.Objects;

/**
 * One declared patch strategy: field {@code field} of the OpenAPI type {@code type} (e.g.
 * {@code io.k8s.api.core.v1.PodSpec}) is patched with {@code strategy}, merging elements by {@code mergeKey}.
 *
 * @param mergeKey the merge key, or null
 */
public record PatchFact(String type, String field, PatchStrategy strategy, String mergeKey) {

    public PatchFact {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(field, "field");
        new FieldStrategy(strategy, mergeKey); // rejects a merge key without a merging strategy
    }

    public FieldStrategy fieldStrategy() {
        return new FieldStrategy(strategy, mergeKey);
    }
}
