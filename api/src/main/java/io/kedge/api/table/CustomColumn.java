package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a CRD version's {@code additionalPrinterColumns}.
 *
 * @param jsonPath evaluated against each object, e.g. {@code .status.conditions[?(@.type=="Ready")].status}
 */
public record CustomColumn(String name, String type, String format, String description, int priority, String jsonPath) {
    public CustomColumn {
        if (jsonPath == null || jsonPath.isBlank()) {
            throw new IllegalArgumentException("printer column \"" + name + "\" needs a jsonPath");
        }
    }

    /** Reads a column as a CRD spells it; {@code JSONPath} is the v1beta1 spelling of {@code jsonPath}. */
    public static CustomColumn fromJson(JsonNode column) {
        if (column == null || !column.isObject()) {
            throw new IllegalArgumentException("a printer column must be an object, found " + column);
        }
        String path = Fields.present(column, "jsonPath") ? Fields.text(column, "jsonPath") : Fields.text(column, "JSONPath");
        return new CustomColumn(Fields.text(column, "name"), Fields.text(column, "type"), Fields.text(column, "format"),
                Fields.text(column, "description"), (int) Fields.number(column, "priority"), path);
    }
}
