package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.table.TablePrinter;
import io.kedge.api.validation.FieldError;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A strategy that changes a few hooks of another and passes the rest through. */
public abstract class DelegatingStrategy implements Strategy {
    protected final Strategy base;

    protected DelegatingStrategy(Strategy base) {
        this.base = base;
    }

    @Override public void prepareForCreate(ObjectNode obj) { base.prepareForCreate(obj); }
    @Override public void prepareCreated(ObjectNode obj) { base.prepareCreated(obj); }
    @Override public void prepareForUpdate(ObjectNode obj, ObjectNode old, String subresource) { base.prepareForUpdate(obj, old, subresource); }
    @Override public void applyDefaults(ObjectNode obj) { base.applyDefaults(obj); }
    @Override public List<FieldError> validateCreate(ObjectNode obj) { return base.validateCreate(obj); }
    @Override public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) { return base.validateUpdate(obj, old); }
    @Override public boolean hasStatusSubresource() { return base.hasStatusSubresource(); }
    @Override public Map<String, Function<JsonNode, String>> selectableFields() { return base.selectableFields(); }
    @Override public TablePrinter printer() { return base.printer(); }
    @Override public boolean allowCreateOnUpdate() { return base.allowCreateOnUpdate(); }
    @Override public long gracePeriodSeconds(ObjectNode obj, Long requested) { return base.gracePeriodSeconds(obj, requested); }
    @Override public void prepareForDelete(ObjectNode obj) { base.prepareForDelete(obj); }
    @Override public boolean deletionBlocked(ObjectNode obj) { return base.deletionBlocked(obj); }
    @Override public void afterDelete(ObjectNode obj) { base.afterDelete(obj); }
    @Override public JsonNode openApiSchema() { return base.openApiSchema(); }
}
