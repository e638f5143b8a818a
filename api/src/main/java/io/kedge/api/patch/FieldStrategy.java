package io.kedge.api.patch;

import java.util.Objects;
import java.util.Optional;

/**
 * How a strategic merge patch treats one field: its strategy and, for lists of objects that merge, the member
 * that identifies an element ({@code x-kubernetes-patch-merge-key}).
 *
 * @param mergeKey the merge key, or null for fields that are not lists of objects merged by key
 */
public record FieldStrategy(PatchStrategy strategy, String mergeKey) {

    public static final FieldStrategy DEFAULT = new FieldStrategy(PatchStrategy.DEFAULT, null);

    public FieldStrategy {
        Objects.requireNonNull(strategy, "strategy");
        if (mergeKey != null && (mergeKey.isEmpty() || !strategy.mergesLists())) {
            throw new IllegalArgumentException("a merge key needs a non-empty name and a merging strategy, got "
                    + strategy + " with \"" + mergeKey + "\"");
        }
    }

    public static FieldStrategy mergeByKey(String mergeKey) {
        return new FieldStrategy(PatchStrategy.MERGE, Objects.requireNonNull(mergeKey, "mergeKey"));
    }

    /** A list of primitives merged as a set, such as {@code metadata.finalizers}. */
    public static FieldStrategy mergeAsSet() {
        return new FieldStrategy(PatchStrategy.MERGE, null);
    }

    public Optional<String> mergeKeyIfAny() {
        return Optional.ofNullable(mergeKey);
    }
}
