package io.kedge.api.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The schema rules for {@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys} and
 * {@code x-kubernetes-map-type}.
 */
final class ListRules {
    private static final List<String> LIST_TYPES = List.of("atomic", "set", "map");
    private static final List<String> MAP_TYPES = List.of("atomic", "granular");

    private ListRules() {}

    static void check(SchemaNode node, String path, List<SchemaError> errors) {
        String typePath = Paths.child(path, "type");
        String listTypePath = Paths.child(path, "x-kubernetes-list-type");
        if (node.mapType != null && !"object".equals(node.type)) {
            errors.add(typeMismatch(typePath, node.type, "must be object if x-kubernetes-map-type is specified"));
        }
        if (node.mapType != null && !MAP_TYPES.contains(node.mapType)) {
            errors.add(SchemaError.notSupported(Paths.child(path, "x-kubernetes-map-type"),
                    TextNode.valueOf(node.mapType), MAP_TYPES));
        }
        if (node.listType != null && !"array".equals(node.type)) {
            errors.add(typeMismatch(typePath, node.type, "must be array if x-kubernetes-list-type is specified"));
        }
        if (node.listType != null && !LIST_TYPES.contains(node.listType)) {
            errors.add(SchemaError.notSupported(listTypePath, TextNode.valueOf(node.listType), LIST_TYPES));
        }
        if (!node.listMapKeys.isEmpty() && !"map".equals(node.listType)) {
            errors.add(typeMismatch(listTypePath, node.listType, "must be map if x-kubernetes-list-map-keys is non-empty"));
        }
        if ("map".equals(node.listType)) {
            checkMapKeys(node, path, errors);
        }
        if (("set".equals(node.listType) || "map".equals(node.listType)) && node.items != null && node.items.nullable) {
            errors.add(SchemaError.forbidden(Paths.child(Paths.child(path, "items"), "nullable"),
                    "cannot be nullable when x-kubernetes-list-type is " + node.listType));
        }
    }

    private static void checkMapKeys(SchemaNode node, String path, List<SchemaError> errors) {
        String keysPath = Paths.child(path, "x-kubernetes-list-map-keys");
        String itemsPath = Paths.child(path, "items");
        if (node.listMapKeys.isEmpty()) {
            errors.add(SchemaError.required(keysPath, "must not be empty if x-kubernetes-list-type is map"));
        }
        if (node.items == null) {
            errors.add(SchemaError.required(itemsPath, "must have a schema if x-kubernetes-list-type is map"));
            return;
        }
        if (!"object".equals(node.items.type)) {
            errors.add(SchemaError.invalid(Paths.child(itemsPath, "type"), String.valueOf(node.items.type),
                    "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }
        ArrayNode keys = JsonNodeFactory.instance.arrayNode();
        node.listMapKeys.forEach(keys::add);
        Set<String> seen = new HashSet<>();
        for (String key : node.listMapKeys) {
            SchemaNode keySchema = node.items.properties.get(key);
            String keyPath = SchemaRules.propertyPath(itemsPath, key);
            if (keySchema == null) {
                errors.add(SchemaError.invalid(keysPath, keys, "entries must all be names of item properties"));
            } else {
                if ("array".equals(keySchema.type) || "object".equals(keySchema.type)) {
                    errors.add(SchemaError.invalid(Paths.child(keyPath, "type"), keySchema.type,
                            "must be a scalar type if parent array's x-kubernetes-list-type is map"));
                }
                if (!node.items.required.contains(key) && keySchema.defaultValue == null) {
                    errors.add(SchemaError.required(Paths.child(keyPath, "default"), "this property is in "
                            + "x-kubernetes-list-map-keys, so it must have a default or be a required property"));
                }
                if (keySchema.nullable) {
                    errors.add(SchemaError.forbidden(Paths.child(keyPath, "nullable"),
                            "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
                }
            }
            if (!seen.add(key)) {
                errors.add(SchemaError.invalid(keysPath, keys, "must not contain duplicate entries"));
            }
        }
    }

    private static SchemaError typeMismatch(String path, String actual, String detail) {
        return actual == null ? SchemaError.required(path, detail) : SchemaError.invalid(path, actual, detail);
    }
}
