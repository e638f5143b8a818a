package io.kedge.api.patch;

/**
 * What a strategic merge patch needs to know about one object type: how each field is patched, and the schema of
 * each field's value (of its elements, for lists). Fields it knows nothing about behave as in a JSON merge patch.
 */
public interface PatchSchema {

    /** The strategy of {@code field}; {@link FieldStrategy#DEFAULT} when nothing is declared. */
    FieldStrategy strategyOf(String field);

    /** The schema of {@code field}'s value, or of its elements when it is a list; {@link #none()} if unknown. */
    PatchSchema child(String field);

    /** A schema that declares nothing, anywhere below it. */
    static PatchSchema none() {
        return NoPatchSchema.INSTANCE;
    }
}
