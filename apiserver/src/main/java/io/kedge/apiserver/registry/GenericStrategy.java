package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.table.TablePrinter;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.ObjectDefaulter;
import io.kedge.api.validation.ObjectValidator;
import io.kedge.api.validation.UpdatePreparer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The strategy most kinds use: defaulting and validation from tables, status split by flag. */
public class GenericStrategy implements Strategy {
    private final ObjectDefaulter defaulter;
    private final ObjectValidator validator;
    private final boolean statusSubresource;
    private final TablePrinter printer;
    private final Map<String, Function<JsonNode, String>> fields;
    private final boolean createOnUpdate;
    private final ObjectDefaulter createPreparer;
    private final UpdatePreparer updatePreparer;

    public GenericStrategy(ObjectDefaulter defaulter, ObjectValidator validator, boolean statusSubresource,
                           TablePrinter printer, Map<String, Function<JsonNode, String>> fields,
                           boolean createOnUpdate) {
        this(defaulter, validator, statusSubresource, printer, fields, createOnUpdate, ObjectDefaulter.NONE,
                (obj, old) -> { });
    }

    public GenericStrategy(ObjectDefaulter defaulter, ObjectValidator validator, boolean statusSubresource,
                           TablePrinter printer, Map<String, Function<JsonNode, String>> fields,
                           boolean createOnUpdate, ObjectDefaulter createPreparer, UpdatePreparer updatePreparer) {
        this.createPreparer = createPreparer;
        this.updatePreparer = updatePreparer;
        this.defaulter = defaulter;
        this.validator = validator;
        this.statusSubresource = statusSubresource;
        this.printer = printer;
        this.fields = fields;
        this.createOnUpdate = createOnUpdate;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        if (statusSubresource) {
            obj.remove("status");
        }
    }

    @Override
    public void prepareCreated(ObjectNode obj) {
        createPreparer.apply(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        if (subresource == null) {
            updatePreparer.apply(obj, old);
        }
        if (!statusSubresource) {
            return;
        }
        if (isStatus(subresource)) {
            // Only .status (and metadata, handled by the caller) may change through /status.
            ObjectNode status = obj.has("status") ? (ObjectNode) obj.get("status").deepCopy() : null;
            obj.removeAll();
            old.fields().forEachRemaining(e -> obj.set(e.getKey(), e.getValue().deepCopy()));
            if (status != null) {
                obj.set("status", status);
            } else {
                obj.remove("status");
            }
        } else if (old.has("status")) {
            obj.set("status", old.get("status").deepCopy());
        } else {
            obj.remove("status");
        }
    }

    /** Writes that replace only .status: the status subresource, and CSR approval. */
    public static boolean isStatus(String subresource) {
        return "status".equals(subresource) || "approval".equals(subresource);
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        defaulter.apply(obj);
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        return validator.validateCreate(obj);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return validator.validateUpdate(obj, old);
    }

    @Override
    public boolean hasStatusSubresource() {
        return statusSubresource;
    }

    @Override
    public Map<String, Function<JsonNode, String>> selectableFields() {
        return fields;
    }

    @Override
    public TablePrinter printer() {
        return printer;
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return createOnUpdate;
    }
}
