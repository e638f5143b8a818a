package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import io.kedge.api.schema.SchemaError;
import io.kedge.api.schema.StructuralSchema;
import io.kedge.api.validation.FieldError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A CRD is accepted and Established as it is stored: its names are checked here and its resources
 * are served as soon as the cache sees it.
 */
final class CrdStrategy extends DelegatingStrategy {
    private final Clock clock;

    CrdStrategy(Strategy base, Clock clock) {
        super(base);
        this.clock = clock;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        super.prepareForCreate(obj);
        establish(obj, null);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        super.prepareForUpdate(obj, old, subresource);
        if (subresource == null) {
            establish(obj, old);
        }
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

    private static List<FieldError> schemaErrors(ObjectNode crd) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode versions = crd.path("spec").path("versions");
        for (int i = 0; i < versions.size(); i++) {
            JsonNode schema = versions.get(i).path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode()) {
                continue;
            }
            String base = "spec.versions[" + i + "].schema.openAPIV3Schema";
            for (SchemaError e : StructuralSchema.validateSchema(schema)) {
                errors.add(new FieldError(e.field().isEmpty() ? base : base + "." + e.field(),
                        FieldError.Reason.Invalid, e.message()));
            }
        }
        return errors;
    }

    private void establish(ObjectNode crd, ObjectNode old) {
        ObjectNode status = (ObjectNode) crd.with("status");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        String now = Meta.timestamp(clock.instant());
        ArrayNode conditions = status.putArray("conditions");
        for (String[] c : new String[][]{{"NamesAccepted", "NoConflicts", "no conflicts found"},
                {"Established", "InitialNamesAccepted", "the initial names have been accepted"}}) {
            String since = old == null ? now : conditionTime(old, c[0], now);
            conditions.addObject().put("type", c[0]).put("status", "True").put("lastTransitionTime", since)
                    .put("reason", c[1]).put("message", c[2]);
        }
        ArrayNode stored = status.putArray("storedVersions");
        List<String> seen = new ArrayList<>();
        if (old != null) {
            old.path("status").path("storedVersions").forEach(v -> seen.add(v.asText()));
        }
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("storage").asBoolean(false) && !seen.contains(v.path("name").asText())) {
                seen.add(v.path("name").asText());
            }
        }
        seen.forEach(stored::add);
    }

    private static String conditionTime(ObjectNode old, String type, String fallback) {
        for (JsonNode c : old.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText()) && c.hasNonNull("lastTransitionTime")) {
                return c.get("lastTransitionTime").asText();
            }
        }
        return fallback;
    }
}
