package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A CRD version's {@code openAPIV3Schema}, ready to process custom resources the way the Kubernetes
 * API server does on every write, in this order:
 * <ol>
 *   <li>{@link #prune} drops undeclared fields and reports them (for {@code fieldValidation});</li>
 *   <li>{@link #applyDefaults} fills in {@code default}s;</li>
 *   <li>{@link #validate} checks every value keyword and returns field errors.</li>
 * </ol>
 * {@code x-kubernetes-validations} (CEL) rules are not evaluated. ObjectMeta is not checked here:
 * the server validates {@code metadata} itself, and pruning keeps it whole at the resource root and
 * in embedded resources. Instances are immutable and safe to share between threads.
 */
public final class StructuralSchema {
    private final SchemaNode node;
    private final boolean resourceRoot;

    private StructuralSchema(SchemaNode node, boolean resourceRoot) {
        this.node = node;
        this.resourceRoot = resourceRoot;
    }

    /**
     * Reads a resource's root schema. Only the JSON shape is checked ({@code minimum} must be a
     * number, {@code pattern} must compile...); use {@link #validateSchema} before accepting a CRD.
     *
     * @throws SchemaException naming the keyword path, when the schema cannot be read
     */
    public static StructuralSchema parse(JsonNode openApiV3Schema) {
        // a private copy: later changes to the caller's tree must not leak into json()
        return new StructuralSchema(new SchemaNode(requireNonNull(openApiV3Schema, "openApiV3Schema").deepCopy(), ""), true);
    }

    /**
     * Every reason a CRD with this schema must be rejected, with paths relative to the schema root
     * ({@code properties[spec].properties[replicas].type}); empty when the schema is acceptable.
     */
    public static List<SchemaError> validateSchema(JsonNode openApiV3Schema) {
        SchemaNode root;
        try {
            root = new SchemaNode(requireNonNull(openApiV3Schema, "openApiV3Schema"), "");
        } catch (SchemaException e) {
            return List.of(e.toError());
        }
        return List.copyOf(SchemaRules.check(root));
    }

    /**
     * Removes, in place, the fields the schema does not declare. At the resource root
     * {@code apiVersion}, {@code kind} and {@code metadata} are always kept.
     */
    public PruneResult prune(JsonNode object) {
        return new PruneResult(Pruner.prune(requireNonNull(object, "object"), node, resourceRoot || node.embeddedResource));
    }

    /**
     * Applies, in place, the defaults of the schema: where a field is missing, or null without
     * {@code nullable: true}; nulls that are neither nullable nor defaulted are removed.
     */
    public void applyDefaults(JsonNode object) {
        Defaulter.apply(requireNonNull(object, "object"), node);
    }

    /** Every violation of the schema in the object, in a stable order; empty when it is valid. */
    public List<SchemaError> validate(JsonNode object) {
        return List.copyOf(Validator.validate(requireNonNull(object, "object"), node, ""));
    }

    /**
     * The schema of a nested field, following {@code properties} (and {@code additionalProperties}
     * for names not declared), e.g. {@code property("status")} or {@code property("spec", "replicas")}.
     * Pruning, defaulting and validation through it work on that field's value, with paths relative to it.
     */
    public Optional<StructuralSchema> property(String... path) {
        SchemaNode current = node;
        for (String name : requireNonNull(path, "path")) {
            current = current.fieldSchema(requireNonNull(name, "path element"));
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current == node ? this : new StructuralSchema(current, false));
    }

    /** The declared {@code type}, if any ({@code x-kubernetes-int-or-string} nodes have none). */
    public Optional<String> type() {
        return Optional.ofNullable(node.type);
    }

    /** The schema as it was given, e.g. for publishing in OpenAPI documents. */
    public JsonNode json() {
        return node.json.deepCopy();
    }

    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
