package io.kedge.api.apply;

import io.kedge.api.patch.FieldStrategy;
import io.kedge.api.patch.PatchSchema;
import java.util.Objects;

/** Strategic-merge facts read as list shapes: the same lists merge in both worlds for the built-in kinds. */
record PatchSchemaListTypes(PatchSchema schema) implements ListTypes {

    PatchSchemaListTypes {
        Objects.requireNonNull(schema, "schema");
    }

    @Override
    public ListType listTypeOf(String field) {
        FieldStrategy s = schema.strategyOf(field);
        if (!s.strategy().mergesLists()) {
            return ListType.ATOMIC;
        }
        return s.mergeKey() == null ? ListType.SET : ListType.map(s.mergeKey());
    }

    @Override
    public ListTypes child(String field) {
        return new PatchSchemaListTypes(schema.child(field));
    }
}
