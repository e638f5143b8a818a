package io.kedge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/** Small helpers for writing schema trees; schemas inside this module are kept in the OpenAPI v3 dialect. */
final class Schemas {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String V3_REF_PREFIX = "#/components/schemas/";
    static final String V2_REF_PREFIX = "#/definitions/";
    static final String GVK_EXTENSION = "x-kubernetes-group-version-kind";

    private Schemas() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ObjectNode typed(String type) {
        return object().put("type", type);
    }

    static ObjectNode typed(String type, String format) {
        return typed(type).put("format", format);
    }

    static ObjectNode ref(String definitionName) {
        return object().put("$ref", V3_REF_PREFIX + definitionName);
    }

    static ObjectNode arrayOf(JsonNode items) {
        ObjectNode array = typed("array");
        array.set("items", items);
        return array;
    }

    static ObjectNode mapOf(JsonNode values) {
        ObjectNode map = typed("object");
        map.set("additionalProperties", values);
        return map;
    }

    static ObjectNode gvk(String group, String version, String kind) {
        return object().put("group", group).put("kind", kind).put("version", version);
    }

    /** Definitions carry a list of kinds; operations carry a single one. */
    static ArrayNode gvkList(String group, String version, String kind) {
        return NODES.arrayNode().add(gvk(group, version, kind));
    }

    static ArrayNode strings(Iterable<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Visits every {@code $ref} value in a schema tree. */
    static void forEachRef(JsonNode node, Consumer<String> action) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                action.accept(ref.asText());
            }
            node.forEach(child -> forEachRef(child, action));
        } else if (node.isArray()) {
            node.forEach(child -> forEachRef(child, action));
        }
    }
}
