package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.kedge.api.schema.SchemaError;
import io.kedge.api.schema.StructuralSchema;
import io.kedge.api.table.TablePrinter;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.ObjectDefaulter;
import io.kedge.api.validation.ObjectValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * Custom resources: unknown fields pruned, defaults applied and values validated against the
 * version's {@code openAPIV3Schema}; metadata validated like any object.
 */
final class CustomResourceStrategy extends GenericStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(CustomResourceStrategy.class);
    private final JsonNode raw;
    private final StructuralSchema schema;
    private final ObjectDefaulter kindDefaults;

    /** @param raw the {@code openAPIV3Schema}, or null for a kind without one (everything is kept) */
    CustomResourceStrategy(String resource, JsonNode raw, ObjectValidator metadata, boolean status, TablePrinter printer) {
        this(resource, raw, metadata, status, printer, obj -> { });
    }

    /**
     * @param kindDefaults defaults beyond the schema's, run after them: kedge's own kinds embed built-in
     *                     templates (a UnitDeployment's Deployment) that get the built-in kind's defaults
     */
    CustomResourceStrategy(String resource, JsonNode raw, ObjectValidator metadata, boolean status, TablePrinter printer,
                           ObjectDefaulter kindDefaults) {
        super(obj -> { }, metadata, status, printer, java.util.Map.of(), false);
        this.raw = raw != null && raw.isObject() ? raw : null;
        this.schema = this.raw == null ? null : parse(resource, this.raw);
        this.kindDefaults = kindDefaults;
    }

    private static StructuralSchema parse(String resource, JsonNode raw) {
        try {
            return StructuralSchema.parse(raw);
        } catch (RuntimeException e) {
            LOG.warn("the schema of {} cannot be used, objects are stored unchecked: {}", resource, e.getMessage());
            return null;
        }
    }

    @Override
    public JsonNode openApiSchema() {
        return raw;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        if (schema != null) {
            schema.prune(obj);
            schema.applyDefaults(obj);
        }
        kindDefaults.apply(obj);
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        List<FieldError> errors = new ArrayList<>(super.validateCreate(obj));
        errors.addAll(schemaErrors(obj));
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(super.validateUpdate(obj, old));
        errors.addAll(schemaErrors(obj));
        return errors;
    }

    private List<FieldError> schemaErrors(ObjectNode obj) {
        List<FieldError> errors = new ArrayList<>();
        if (schema == null) {
            return errors;
        }
        for (SchemaError e : schema.validate(obj)) {
            errors.add(new FieldError(e.field(), reason(e.reason()), e.message()));
        }
        return errors;
    }

    private static FieldError.Reason reason(String causeReason) {
        for (FieldError.Reason r : FieldError.Reason.values()) {
            if (("FieldValue" + r.name()).equals(causeReason)) {
                return r;
            }
        }
        return FieldError.Reason.Invalid;
    }
}
