package io.kedge.api.patch;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a strategic merge patch treats a field, as Kubernetes declares it with the {@code patchStrategy} tag and the
 * {@code x-kubernetes-patch-strategy} OpenAPI extension.
 */
public enum PatchStrategy {
    /** Nothing declared: maps merge, lists are replaced whole. Emits no extension. */
    DEFAULT(null),
    /** Lists merge: by the merge key for lists of objects, as a set for lists of primitives. */
    MERGE("merge"),
    /** The field's value, map or list, is replaced whole. */
    REPLACE("replace"),
    /** A union: a patch may clear the fields it does not name, through {@code $retainKeys}. */
    RETAIN_KEYS("retainKeys"),
    /** Both {@link #MERGE} and {@link #RETAIN_KEYS}, as on pod volumes. */
    MERGE_RETAIN_KEYS("merge,retainKeys");

    private final String extensionValue;

    PatchStrategy(String extensionValue) {
        this.extensionValue = extensionValue;
    }

    /** The value of {@code x-kubernetes-patch-strategy}, or empty for {@link #DEFAULT}. */
    public Optional<String> extensionValue() {
        return Optional.ofNullable(extensionValue);
    }

    public boolean mergesLists() {
        return this == MERGE || this == MERGE_RETAIN_KEYS;
    }

    public boolean replacesMaps() {
        return this == REPLACE;
    }

    public boolean retainsKeys() {
        return this == RETAIN_KEYS || this == MERGE_RETAIN_KEYS;
    }

    /** Reads an {@code x-kubernetes-patch-strategy} value; null or empty means {@link #DEFAULT}. */
    public static PatchStrategy fromExtension(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT;
        }
        return Arrays.stream(values())
                .filter(s -> value.equals(s.extensionValue))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown patch strategy \"" + value
                        + "\"; expected merge, replace, retainKeys or merge,retainKeys"));
    }
}
