package io.kedge.api.patch;

import java.util.Objects;

/**
 * Field {@code field} of the OpenAPI type {@code type} holds a {@code valueType}; for a list, each element is one.
 * These links let a {@link TypedPatchSchema} descend from a kind to the types that carry patch strategies.
 */
public record FieldType(String type, String field, String valueType) {

    public FieldType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(valueType, "valueType");
    }
}
