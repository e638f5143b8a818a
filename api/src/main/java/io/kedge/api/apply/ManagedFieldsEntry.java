package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One {@code metadata.managedFields} entry: the fields one manager owns through one kind of operation.
 *
 * @param time        when the manager last changed something; null when unknown
 * @param subresource the subresource written, e.g. {@code "status"}; null for the main resource
 */
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, Instant time,
                                 String subresource, FieldSet fields) {

    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";
    public static final String FIELDS_V1 = "FieldsV1";

    public ManagedFieldsEntry {
        Objects.requireNonNull(manager, "manager");
        if (!APPLY.equals(operation) && !UPDATE.equals(operation)) {
            throw new IllegalArgumentException("operation must be \"Apply\" or \"Update\", got "
                    + (operation == null ? "nothing" : "\"" + operation + "\""));
        }
        apiVersion = apiVersion == null ? "" : apiVersion;
        subresource = subresource == null || subresource.isEmpty() ? null : subresource;
        Objects.requireNonNull(fields, "fields");
    }

    public boolean isApply() {
        return APPLY.equals(operation);
    }

    /**
     * Whether {@code other} belongs to the same manager identity. As upstream, an Update's identity includes its
     * apiVersion while an Apply's does not, so an applier keeps one entry across versions.
     */
    public boolean sameIdentity(String manager, String operation, String apiVersion, String subresource) {
        String sub = subresource == null || subresource.isEmpty() ? null : subresource;
        return this.manager.equals(manager) && this.operation.equals(operation) && Objects.equals(this.subresource, sub)
                && (isApply() || this.apiVersion.equals(apiVersion == null ? "" : apiVersion));
    }

    public ManagedFieldsEntry withFields(FieldSet newFields) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, newFields);
    }

    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("manager", manager);
        out.put("operation", operation);
        out.put("apiVersion", apiVersion);
        if (time != null) {
            out.put("time", Meta.timestamp(time));
        }
        out.put("fieldsType", FIELDS_V1);
        out.set("fieldsV1", fields.toFieldsV1());
        if (subresource != null) {
            out.put("subresource", subresource);
        }
        return out;
    }

    /** Reads one entry; {@code where} names it in error messages, e.g. {@code metadata.managedFields[2]}. */
    public static ManagedFieldsEntry fromJson(JsonNode json, String where) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        String fieldsType = text(json, "fieldsType", where);
        JsonNode fieldsV1 = json.get("fieldsV1");
        if (fieldsType != null && !FIELDS_V1.equals(fieldsType)) {
            throw new IllegalArgumentException(where + ".fieldsType must be \"FieldsV1\", got \"" + fieldsType + "\"");
        }
        FieldSet fields;
        try {
            fields = FieldSet.fromFieldsV1(fieldsV1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".fieldsV1: " + e.getMessage(), e);
        }
        String operation = text(json, "operation", where);
        if (!APPLY.equals(operation) && !UPDATE.equals(operation)) {
            throw new IllegalArgumentException(where + ".operation must be \"Apply\" or \"Update\", got "
                    + (operation == null ? "nothing" : "\"" + operation + "\""));
        }
        String manager = text(json, "manager", where);
        return new ManagedFieldsEntry(manager == null ? "" : manager, operation, text(json, "apiVersion", where),
                time(text(json, "time", where), where), text(json, "subresource", where), fields);
    }

    private static String text(JsonNode json, String field, String where) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + " must be a string");
        }
        return v.textValue();
    }

    private static Instant time(String text, String where) {
        if (text == null || text.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ".time must be an RFC 3339 time, got \"" + text + "\"");
        }
    }
}
