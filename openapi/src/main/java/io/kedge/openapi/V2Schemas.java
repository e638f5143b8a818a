package io.kedge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a v3-dialect schema for swagger 2.0 as kubectl 1.20 parses it (kube-openapi's {@code proto} package):
 * a {@code $ref} carries no type; a struct is recognised by its {@code properties} and published without
 * {@code type: object} (older parsers take any {@code type: object} for a map); a map needs a schema in
 * {@code additionalProperties}; an array needs exactly one {@code items} schema. Anything v2 cannot say (oneOf,
 * nullable, boolean additionalProperties, preserved unknown fields) becomes a free-form value, so client-side
 * validation never rejects what the server accepts.
 */
final class V2Schemas {
    private static final List<String> PLAIN_KEYWORDS = List.of("title", "format", "pattern", "default", "example",
            "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
            "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "readOnly");
    private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";

    private V2Schemas() {}

    static ObjectNode convert(JsonNode schema) {
        ObjectNode out = Schemas.object();
        if (!schema.isObject()) {
            return out;
        }
        copy(schema, out, "description");
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            out.put("$ref", toV2Ref(ref.asText()));
            copyExtensions(schema, out);
            return out;
        }
        if (schema.path(PRESERVE_UNKNOWN).asBoolean(false)) {
            return out;
        }
        PLAIN_KEYWORDS.forEach(keyword -> copy(schema, out, keyword));
        copyExtensions(schema, out);
        String type = v2Type(schema);
        switch (type) {
            case "", "object" -> {
                JsonNode properties = schema.get("properties");
                JsonNode additional = schema.get("additionalProperties");
                if (properties != null && properties.isObject()) {
                    ObjectNode converted = out.putObject("properties");
                    properties.properties().forEach(p -> converted.set(p.getKey(), convert(p.getValue())));
                    copy(schema, out, "required");
                } else if (type.equals("object") && additional != null && additional.isObject()) {
                    out.put("type", "object");
                    out.set("additionalProperties", convert(additional));
                }
            }
            case "array" -> {
                JsonNode items = schema.get("items");
                if (items != null && items.isObject()) {
                    out.put("type", "array");
                    out.set("items", convert(items));
                }
            }
            default -> out.put("type", type);
        }
        return out;
    }

    private static String v2Type(JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)
                || "int-or-string".equals(schema.path("format").asText())) {
            return "string";
        }
        if (schema.path("nullable").asBoolean(false)) {
            return ""; // kubectl 1.20 rejects null for any typed field
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        // Quantity and similar: one of several scalars, which kubectl 1.20 accepts as a string of any kind
        for (String keyword : List.of("oneOf", "anyOf")) {
            JsonNode options = schema.get(keyword);
            if (options != null && options.isArray()) {
                for (JsonNode option : options) {
                    if ("string".equals(option.path("type").asText())) {
                        return "string";
                    }
                }
            }
        }
        return "";
    }

    static String toV2Ref(String ref) {
        return ref.startsWith(Schemas.V3_REF_PREFIX)
                ? Schemas.V2_REF_PREFIX + ref.substring(Schemas.V3_REF_PREFIX.length()) : ref;
    }

    private static void copy(JsonNode from, ObjectNode to, String key) {
        JsonNode value = from.get(key);
        if (value != null) {
            to.set(key, value.deepCopy());
        }
    }

    private static void copyExtensions(JsonNode from, ObjectNode to) {
        for (Map.Entry<String, JsonNode> field : from.properties()) {
            if (field.getKey().startsWith("x-") && !field.getKey().equals(PRESERVE_UNKNOWN)) {
                to.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }
}
