package io.kedge.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Encodes a swagger 2.0 JSON document as the protobuf message {@code openapi.v2.Document} of gnostic's
 * OpenAPIv2.proto, the format kubectl asks for with
 * {@code Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf}. Field numbers follow that file.
 * Vendor extensions and free values ({@code default}, {@code enum}) become {@code Any} messages holding YAML text;
 * JSON is valid YAML, so the JSON text of the value is written.
 */
final class GnosticEncoder {
    private GnosticEncoder() {}

    static byte[] document(JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("a swagger document must be a JSON object");
        }
        ProtoMessage m = new ProtoMessage();
        m.string(1, text(doc, "swagger"));
        if (doc.has("info")) {
            m.message(2, info(doc.get("info")));
        }
        m.string(3, text(doc, "host"));
        m.string(4, text(doc, "basePath"));
        strings(m, 5, doc.get("schemes"));
        strings(m, 6, doc.get("consumes"));
        strings(m, 7, doc.get("produces"));
        if (doc.has("paths")) {
            m.message(8, paths(doc.get("paths")));
        }
        if (doc.has("definitions")) {
            ProtoMessage definitions = new ProtoMessage();
            for (Map.Entry<String, JsonNode> e : doc.get("definitions").properties()) {
                definitions.message(1, namedSchema(e.getKey(), e.getValue()));
            }
            m.message(9, definitions);
        }
        extensions(m, 16, doc);
        return m.toByteArray();
    }

    private static ProtoMessage info(JsonNode info) {
        ProtoMessage m = new ProtoMessage().string(1, text(info, "title")).string(2, text(info, "version"))
                .string(3, text(info, "description"));
        extensions(m, 7, info);
        return m;
    }

    private static ProtoMessage paths(JsonNode paths) {
        ProtoMessage m = new ProtoMessage();
        extensions(m, 1, paths);
        for (Map.Entry<String, JsonNode> e : paths.properties()) {
            if (!e.getKey().startsWith("x-")) {
                m.message(2, new ProtoMessage().string(1, e.getKey()).message(2, pathItem(e.getValue())));
            }
        }
        return m;
    }

    private static ProtoMessage pathItem(JsonNode item) {
        ProtoMessage m = new ProtoMessage().string(1, text(item, "$ref"));
        String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
        for (int i = 0; i < methods.length; i++) {
            if (item.has(methods[i])) {
                m.message(2 + i, operation(item.get(methods[i])));
            }
        }
        parameters(m, 9, item.get("parameters"));
        extensions(m, 10, item);
        return m;
    }

    private static ProtoMessage operation(JsonNode op) {
        ProtoMessage m = new ProtoMessage();
        strings(m, 1, op.get("tags"));
        m.string(2, text(op, "summary"));
        m.string(3, text(op, "description"));
        m.string(5, text(op, "operationId"));
        strings(m, 6, op.get("produces"));
        strings(m, 7, op.get("consumes"));
        parameters(m, 8, op.get("parameters"));
        if (op.has("responses")) {
            m.message(9, responses(op.get("responses")));
        }
        strings(m, 10, op.get("schemes"));
        m.bool(11, op.path("deprecated").asBoolean(false));
        extensions(m, 13, op);
        return m;
    }

    private static void parameters(ProtoMessage m, int field, JsonNode parameters) {
        if (parameters == null) {
            return;
        }
        for (JsonNode p : parameters) {
            ProtoMessage item = new ProtoMessage();
            if (p.has("$ref")) {
                item.message(2, new ProtoMessage().string(1, text(p, "$ref")).string(2, text(p, "description")));
            } else {
                item.message(1, parameter(p));
            }
            m.message(field, item);
        }
    }

    private static ProtoMessage parameter(JsonNode p) {
        String in = text(p, "in");
        if ("body".equals(in)) {
            ProtoMessage body = new ProtoMessage().string(1, text(p, "description")).string(2, text(p, "name"))
                    .string(3, in).bool(4, p.path("required").asBoolean(false));
            if (p.has("schema")) {
                body.message(5, schema(p.get("schema")));
            }
            extensions(body, 6, p);
            return new ProtoMessage().message(1, body);
        }
        // query and formData sub-schemas have allowEmptyValue at 5, which shifts the fields after it by one
        boolean hasAllowEmpty = "query".equals(in) || "formData".equals(in);
        int shift = hasAllowEmpty ? 1 : 0;
        ProtoMessage sub = new ProtoMessage().bool(1, p.path("required").asBoolean(false)).string(2, in)
                .string(3, text(p, "description")).string(4, text(p, "name"));
        if (hasAllowEmpty) {
            sub.bool(5, p.path("allowEmptyValue").asBoolean(false));
        }
        sub.string(5 + shift, text(p, "type")).string(6 + shift, text(p, "format"))
                .string(8 + shift, text(p, "collectionFormat"))
                .bool(19 + shift, p.path("uniqueItems").asBoolean(false));
        extensions(sub, 22 + shift, p);
        int choice = switch (in == null ? "" : in) {
            case "header" -> 1;
            case "formData" -> 2;
            case "query" -> 3;
            case "path" -> 4;
            default -> throw new IllegalArgumentException("parameter " + text(p, "name")
                    + " has an unknown location \"" + in + "\"");
        };
        return new ProtoMessage().message(2, new ProtoMessage().message(choice, sub));
    }

    private static ProtoMessage responses(JsonNode responses) {
        ProtoMessage m = new ProtoMessage();
        for (Map.Entry<String, JsonNode> e : responses.properties()) {
            if (e.getKey().startsWith("x-")) {
                continue;
            }
            JsonNode r = e.getValue();
            ProtoMessage value = new ProtoMessage();
            if (r.has("$ref")) {
                value.message(2, new ProtoMessage().string(1, text(r, "$ref")));
            } else {
                ProtoMessage response = new ProtoMessage().string(1, text(r, "description"));
                if (r.has("schema")) {
                    response.message(2, new ProtoMessage().message(1, schema(r.get("schema"))));
                }
                extensions(response, 5, r);
                value.message(1, response);
            }
            m.message(1, new ProtoMessage().string(1, e.getKey()).message(2, value));
        }
        extensions(m, 2, responses);
        return m;
    }

    private static ProtoMessage namedSchema(String name, JsonNode schema) {
        return new ProtoMessage().string(1, name).message(2, schema(schema));
    }

    static ProtoMessage schema(JsonNode s) {
        ProtoMessage m = new ProtoMessage();
        m.string(1, text(s, "$ref")).string(2, text(s, "format")).string(3, text(s, "title"))
                .string(4, text(s, "description"));
        any(m, 5, s.get("default"));
        m.float64(6, s.path("multipleOf").asDouble(0)).float64(7, s.path("maximum").asDouble(0))
                .bool(8, s.path("exclusiveMaximum").asBoolean(false)).float64(9, s.path("minimum").asDouble(0))
                .bool(10, s.path("exclusiveMinimum").asBoolean(false))
                .int64(11, s.path("maxLength").asLong(0)).int64(12, s.path("minLength").asLong(0))
                .string(13, text(s, "pattern"))
                .int64(14, s.path("maxItems").asLong(0)).int64(15, s.path("minItems").asLong(0))
                .bool(16, s.path("uniqueItems").asBoolean(false))
                .int64(17, s.path("maxProperties").asLong(0)).int64(18, s.path("minProperties").asLong(0));
        strings(m, 19, s.get("required"));
        JsonNode values = s.get("enum");
        if (values != null && values.isArray()) {
            values.forEach(v -> any(m, 20, v));
        }
        JsonNode additional = s.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            m.message(21, new ProtoMessage().message(1, schema(additional)));
        } else if (additional != null && additional.isBoolean()) {
            m.message(21, new ProtoMessage().oneofBool(2, additional.asBoolean()));
        }
        JsonNode type = s.get("type");
        if (type != null && (type.isTextual() || type.isArray())) {
            ProtoMessage typeItem = new ProtoMessage();
            strings(typeItem, 1, type);
            m.message(22, typeItem);
        }
        JsonNode items = s.get("items");
        if (items != null && (items.isObject() || items.isArray())) {
            ProtoMessage itemsItem = new ProtoMessage();
            if (items.isObject()) {
                itemsItem.message(1, schema(items));
            } else {
                items.forEach(item -> itemsItem.message(1, schema(item)));
            }
            m.message(23, itemsItem);
        }
        JsonNode allOf = s.get("allOf");
        if (allOf != null && allOf.isArray()) {
            allOf.forEach(part -> m.message(24, schema(part)));
        }
        JsonNode properties = s.get("properties");
        if (properties != null && properties.isObject()) {
            ProtoMessage props = new ProtoMessage();
            properties.properties().forEach(e -> props.message(1, namedSchema(e.getKey(), e.getValue())));
            m.message(25, props);
        }
        m.string(26, text(s, "discriminator")).bool(27, s.path("readOnly").asBoolean(false));
        any(m, 30, s.get("example"));
        extensions(m, 31, s);
        return m;
    }

    /** Every {@code x-} key of a node, as NamedAny {name = 1, value = Any {yaml = 2}}. */
    private static void extensions(ProtoMessage m, int field, JsonNode node) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().startsWith("x-")) {
                m.message(field, new ProtoMessage().string(1, e.getKey()).message(2, anyValue(e.getValue())));
            }
        }
    }

    private static void any(ProtoMessage m, int field, JsonNode value) {
        if (value != null) {
            m.message(field, anyValue(value));
        }
    }

    private static ProtoMessage anyValue(JsonNode value) {
        try {
            return new ProtoMessage().string(2, Schemas.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON value as text", e);
        }
    }

    private static void strings(ProtoMessage m, int field, JsonNode values) {
        if (values == null) {
            return;
        }
        if (values.isTextual()) {
            m.element(field, values.asText());
        } else if (values.isArray()) {
            values.forEach(v -> m.element(field, v.asText()));
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
