package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies schema defaults the way Kubernetes does, in two passes. First, nulls in fields that are
 * neither nullable nor defaulted are dropped. Then a property with a default is set where it is
 * missing, or null while not nullable; the same null rule fills array items and additionalProperties
 * values from their schema's default. Defaults are copied, and defaults inside an applied default
 * are applied as well.
 */
final class Defaulter {
    private Defaulter() {}

    static void apply(JsonNode value, SchemaNode schema) {
        dropNonNullableNulls(value, schema);
        applyDefaults(value, schema);
    }

    private static void dropNonNullableNulls(JsonNode value, SchemaNode schema) {
        if (schema == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            List<String> dropped = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                SchemaNode fieldSchema = schema.fieldSchema(field.getKey());
                if (isNonNullableNull(field.getValue(), fieldSchema) && fieldSchema.defaultValue == null) {
                    dropped.add(field.getKey());
                } else {
                    dropNonNullableNulls(field.getValue(), fieldSchema);
                }
            }
            object.remove(dropped);
        } else if (value.isArray()) {
            value.forEach(item -> dropNonNullableNulls(item, schema.items));
        }
    }

    private static void applyDefaults(JsonNode value, SchemaNode schema) {
        if (schema == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            schema.properties.forEach((name, property) -> {
                if (property.defaultValue != null
                        && (!object.has(name) || isNonNullableNull(object.get(name), property))) {
                    object.set(name, property.defaultValue.deepCopy());
                }
            });
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                SchemaNode property = schema.properties.get(field.getKey());
                if (property != null) {
                    applyDefaults(field.getValue(), property);
                } else if (schema.additionalProperties != null) {
                    SchemaNode values = schema.additionalProperties;
                    if (values.defaultValue != null && isNonNullableNull(field.getValue(), values)) {
                        // replacing the value of an existing key is no structural change to the iteration
                        object.set(field.getKey(), values.defaultValue.deepCopy());
                    }
                    applyDefaults(object.get(field.getKey()), values);
                }
            }
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (schema.items != null && schema.items.defaultValue != null
                        && isNonNullableNull(array.get(i), schema.items)) {
                    array.set(i, schema.items.defaultValue.deepCopy());
                }
                applyDefaults(array.get(i), schema.items);
            }
        }
    }

    private static boolean isNonNullableNull(JsonNode value, SchemaNode schema) {
        return value != null && value.isNull() && schema != null && !schema.nullable;
    }
}
