package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.table.TablePrinter;
import io.kedge.api.validation.FieldError;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What differs between resources; the generic handler calls these hooks in a fixed order:
 * prepare, default, admit, validate, store.
 */
public interface Strategy {

    /** Clears what a client may not set on create (e.g. status) and sets server-owned fields. */
    default void prepareForCreate(ObjectNode obj) {}

    /** Runs once the object has its uid and creation time (e.g. a Job's selector is built from its uid). */
    default void prepareCreated(ObjectNode obj) {}

    /**
     * Carries server-owned state over from {@code old}. {@code subresource} is null for writes of the
     * object itself, else the subresource written ("status", "scale", "binding", "finalize", "approval").
     */
    default void prepareForUpdate(ObjectNode obj, ObjectNode old, String subresource) {}

    void applyDefaults(ObjectNode obj);

    List<FieldError> validateCreate(ObjectNode obj);

    List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old);

    /** True when {@code .status} is written only through the status subresource. */
    boolean hasStatusSubresource();

    /** Fields beyond metadata.name and metadata.namespace that field selectors may use. */
    default Map<String, Function<JsonNode, String>> selectableFields() {
        return Map.of();
    }

    TablePrinter printer();

    /** PUT of a missing object creates it, for kinds whose writers do not track existence. */
    default boolean allowCreateOnUpdate() {
        return false;
    }

    /**
     * Seconds the object stays visible with a deletionTimestamp before it is removed, or 0 to delete at
     * once. Pods on a node wait for the node to confirm.
     */
    default long gracePeriodSeconds(ObjectNode obj, Long requested) {
        return 0;
    }

    /** Marks the object as being deleted, beyond the deletionTimestamp the caller sets. */
    default void prepareForDelete(ObjectNode obj) {}

    /** True while something must still happen before the object may leave the store. */
    default boolean deletionBlocked(ObjectNode obj) {
        return io.kedge.api.Meta.hasFinalizers(obj);
    }

    /** The OpenAPI v3 schema of kinds the schema catalog does not know (CRDs, kedge's own), else null. */
    default JsonNode openApiSchema() {
        return null;
    }

    /** Releases what the object held (e.g. a ClusterIP) once it is gone from the store. */
    default void afterDelete(ObjectNode obj) {}
}
