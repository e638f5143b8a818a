package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node of an OpenAPI v3 schema as CRDs use it, read once into typed fields. Immutable.
 * Keywords a CRD may not use ({@code $ref}, {@code title} under {@code allOf}, ...) are not read here;
 * {@link SchemaRules} finds them in {@link #json}.
 */
final class SchemaNode {
    /** Deeper schemas are refused up front rather than left to overflow the stack of whoever walks them. */
    static final int MAX_DEPTH = 600;

    final JsonNode json;

    final String type;
    final boolean nullable;
    final String format;
    final JsonNode defaultValue;

    final Map<String, SchemaNode> properties;
    final SchemaNode additionalProperties;
    final Boolean additionalPropertiesAllowed;
    final SchemaNode items;
    final List<String> required;

    final List<JsonNode> enumValues;
    final Set<String> enumCanonical;
    final GoRegex pattern;
    final BigDecimal minimum;
    final BigDecimal maximum;
    final boolean exclusiveMinimum;
    final boolean exclusiveMaximum;
    final BigDecimal multipleOf;
    final Long minLength;
    final Long maxLength;
    final Long minItems;
    final Long maxItems;
    final boolean uniqueItems;
    final Long minProperties;
    final Long maxProperties;

    final List<SchemaNode> allOf;
    final List<SchemaNode> anyOf;
    final List<SchemaNode> oneOf;
    final SchemaNode not;

    final boolean preserveUnknownFields;
    final boolean embeddedResource;
    final boolean intOrString;
    final String listType;
    final List<String> listMapKeys;
    final String mapType;

    SchemaNode(JsonNode json, String path) {
        this(json, path, 0);
    }

    private SchemaNode(JsonNode json, String path, int depth) {
        if (json == null || !json.isObject()) {
            throw new SchemaException(path, json, "must be a schema object");
        }
        if (depth > MAX_DEPTH) {
            throw new SchemaException(path, null, "must not nest schemas more than " + MAX_DEPTH + " levels deep");
        }
        this.json = json;
        KeywordReader read = new KeywordReader(json, path, depth + 1);
        type = read.string("type");
        nullable = read.bool("nullable");
        format = read.string("format");
        JsonNode declaredDefault = json.get("default");
        // a JSON null default is no default: Kubernetes cannot tell the two apart either
        defaultValue = declaredDefault == null || declaredDefault.isNull() ? null : declaredDefault.deepCopy();

        properties = read.schemaMap("properties");
        JsonNode additional = json.get("additionalProperties");
        additionalPropertiesAllowed = additional != null && additional.isBoolean() ? additional.booleanValue() : null;
        additionalProperties = additional == null || additional.isBoolean() ? null : read.schema("additionalProperties");
        JsonNode itemsJson = json.get("items");
        // an items array is not allowed in CRDs; it is reported by SchemaRules and otherwise ignored
        items = itemsJson == null || itemsJson.isArray() ? null : read.schema("items");
        required = read.stringList("required");

        List<JsonNode> declaredEnum = read.array("enum");
        // an empty enum constrains nothing, as in kube-openapi
        enumValues = declaredEnum == null || declaredEnum.isEmpty() ? null : declaredEnum;
        enumCanonical = canonicalSet(enumValues);
        pattern = read.pattern("pattern");
        minimum = read.number("minimum");
        maximum = read.number("maximum");
        exclusiveMinimum = read.bool("exclusiveMinimum");
        exclusiveMaximum = read.bool("exclusiveMaximum");
        multipleOf = read.positiveNumber("multipleOf");
        minLength = read.count("minLength");
        maxLength = read.count("maxLength");
        minItems = read.count("minItems");
        maxItems = read.count("maxItems");
        uniqueItems = read.bool("uniqueItems");
        minProperties = read.count("minProperties");
        maxProperties = read.count("maxProperties");

        allOf = read.schemaList("allOf");
        anyOf = read.schemaList("anyOf");
        oneOf = read.schemaList("oneOf");
        not = json.get("not") == null ? null : read.schema("not");

        preserveUnknownFields = read.bool("x-kubernetes-preserve-unknown-fields");
        embeddedResource = read.bool("x-kubernetes-embedded-resource");
        intOrString = read.bool("x-kubernetes-int-or-string");
        listType = read.string("x-kubernetes-list-type");
        listMapKeys = read.stringList("x-kubernetes-list-map-keys");
        mapType = read.string("x-kubernetes-map-type");
    }

    /** Whether keys outside {@code properties} are values of this object rather than unknown fields. */
    boolean allowsAdditionalProperties() {
        return additionalProperties != null || Boolean.TRUE.equals(additionalPropertiesAllowed);
    }

    /** The schema of a field of this object: its property, else the additionalProperties schema. */
    SchemaNode fieldSchema(String name) {
        SchemaNode property = properties.get(name);
        return property != null ? property : additionalProperties;
    }

    private static Set<String> canonicalSet(List<JsonNode> values) {
        if (values == null) {
            return null;
        }
        Set<String> set = new LinkedHashSet<>();
        values.forEach(v -> set.add(JsonValues.canonical(v)));
        return Collections.unmodifiableSet(set);
    }

    /** Reads keywords with their JSON types checked, naming the keyword's path when one is wrong. */
    private record KeywordReader(JsonNode json, String path, int childDepth) {
        SchemaNode schema(String key) {
            return new SchemaNode(json.get(key), Paths.child(path, key), childDepth);
        }

        String string(String key) {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw fail(key, v, "must be a string");
            }
            return v.textValue();
        }

        boolean bool(String key) {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                throw fail(key, v, "must be a boolean");
            }
            return v.booleanValue();
        }

        BigDecimal number(String key) {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            BigDecimal decimal = v.isNumber() ? JsonValues.decimal(v) : null;
            if (decimal == null) {
                throw fail(key, v, "must be a number");
            }
            return decimal;
        }

        BigDecimal positiveNumber(String key) {
            BigDecimal n = number(key);
            if (n != null && n.signum() <= 0) {
                throw fail(key, json.get(key), "must be greater than 0");
            }
            return n;
        }

        Long count(String key) {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isNumber() || !JsonValues.isInteger(v) || !v.canConvertToLong() || v.longValue() < 0) {
                throw fail(key, v, "must be a non-negative integer");
            }
            return v.longValue();
        }

        List<JsonNode> array(String key) {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isArray()) {
                throw fail(key, v, "must be an array");
            }
            List<JsonNode> values = new ArrayList<>(v.size());
            v.forEach(e -> values.add(e.deepCopy()));
            return Collections.unmodifiableList(values);
        }

        List<String> stringList(String key) {
            List<JsonNode> values = array(key);
            if (values == null) {
                return List.of();
            }
            List<String> strings = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                if (!values.get(i).isTextual()) {
                    throw new SchemaException(Paths.index(Paths.child(path, key), i), values.get(i), "must be a string");
                }
                strings.add(values.get(i).textValue());
            }
            return List.copyOf(strings);
        }

        GoRegex pattern(String key) {
            String source = string(key);
            if (source == null) {
                return null;
            }
            try {
                return GoRegex.compile(source);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw fail(key, json.get(key), "must be a valid regular expression, but isn't: " + e.getDescription());
            }
        }

        Map<String, SchemaNode> schemaMap(String key) {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return Map.of();
            }
            if (!v.isObject()) {
                throw fail(key, v, "must be an object of schemas");
            }
            Map<String, SchemaNode> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                map.put(e.getKey(), new SchemaNode(e.getValue(), Paths.key(Paths.child(path, key), e.getKey()), childDepth));
            }
            return Collections.unmodifiableMap(map);
        }

        List<SchemaNode> schemaList(String key) {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw fail(key, v, "must be an array of schemas");
            }
            List<SchemaNode> list = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                list.add(new SchemaNode(v.get(i), Paths.index(Paths.child(path, key), i), childDepth));
            }
            return List.copyOf(list);
        }

        private SchemaException fail(String key, JsonNode value, String detail) {
            return new SchemaException(Paths.child(path, key), value, detail);
        }
    }
}
