package io.kedge.api.apply;

import io.kedge.api.patch.PatchSchema;
import java.util.Map;

/**
 * The list shapes of one object type, navigated field by field like {@link PatchSchema}. Lists nobody declared
 * are atomic, as they are upstream for lists without {@code x-kubernetes-list-type}.
 */
public interface ListTypes {

    /** The shape of the list held by {@code field} of an object of this type. */
    ListType listTypeOf(String field);

    /** The types below {@code field}: of its value, or of its elements when it holds a list. */
    ListTypes child(String field);

    /** Every list atomic, at every depth. */
    static ListTypes none() {
        return NoListTypes.INSTANCE;
    }

    /**
     * Lists declared by dotted field path from the object root, list positions left out: e.g.
     * {@code "spec.template.spec.containers" -> ListType.map("name")}.
     */
    static ListTypes byPath(Map<String, ListType> listsByPath) {
        return PathListTypes.root(listsByPath);
    }

    /** Reads the strategic-merge facts: merge keys become map lists, merged primitive lists become sets. */
    static ListTypes fromPatchSchema(PatchSchema schema) {
        return new PatchSchemaListTypes(schema);
    }
}
