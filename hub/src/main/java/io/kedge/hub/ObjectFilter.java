package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Meta;

/** Whether a cached object belongs to a list shape: its namespace, labels and fields. */
final class ObjectFilter {
    private ObjectFilter() {}

    static boolean matches(ListShape shape, JsonNode obj) {
        if (!shape.namespace().isEmpty() && !shape.namespace().equals(namespaceOf(obj))) {
            return false;
        }
        if (!shape.labelSelector().isEmpty() && !shape.labels().matches(Meta.labels(obj))) {
            return false;
        }
        return shape.fieldSelector().isEmpty() || shape.fields().matches(field -> fieldValue(obj, field));
    }

    static String namespaceOf(JsonNode obj) {
        String ns = Meta.namespace(obj);
        return ns == null ? "" : ns;
    }

    /** A selectable field by its dotted path; what the server would select on for built-in and custom types alike. */
    static String fieldValue(JsonNode obj, String field) {
        JsonNode node = obj;
        for (String part : field.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        if (node == null || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
