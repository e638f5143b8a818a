package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops the fields a structural schema does not declare. Follows Kubernetes: {@code apiVersion},
 * {@code kind} and {@code metadata} survive at the resource root and in embedded resources; below
 * {@code x-kubernetes-preserve-unknown-fields} unknown fields survive but declared ones are still
 * pruned inside; where no schema applies at all, objects lose every field.
 */
final class Pruner {
    private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private final List<String> pruned = new ArrayList<>();

    static List<String> prune(JsonNode value, SchemaNode schema, boolean resourceRoot) {
        Pruner pruner = new Pruner();
        pruner.prune(value, schema, resourceRoot, "");
        pruner.pruned.sort(null);
        return pruner.pruned;
    }

    private void prune(JsonNode value, SchemaNode schema, boolean keepMeta, String path) {
        if (schema == null) {
            pruneUndeclared(value, path);
        } else if (schema.preserveUnknownFields) {
            pruneDeclaredOnly(value, schema, keepMeta, path);
        } else if (value instanceof ObjectNode object) {
            pruneObject(object, schema, keepMeta, path);
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                prune(value.get(i), schema.items, embedded(schema.items), Paths.index(path, i));
            }
        }
    }

    /** Where no schema applies every object field is unknown; walked without recursion, such data can nest deeply. */
    private void pruneUndeclared(JsonNode value, String path) {
        Deque<Map.Entry<JsonNode, String>> pending = new ArrayDeque<>();
        pending.push(Map.entry(value, path));
        while (!pending.isEmpty()) {
            Map.Entry<JsonNode, String> next = pending.pop();
            JsonNode node = next.getKey();
            if (node instanceof ObjectNode object) {
                object.fieldNames().forEachRemaining(name -> pruned.add(Paths.child(next.getValue(), name)));
                object.removeAll();
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    pending.push(Map.entry(node.get(i), Paths.index(next.getValue(), i)));
                }
            }
        }
    }

    private void pruneObject(ObjectNode object, SchemaNode schema, boolean keepMeta, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (keepMeta && META_FIELDS.contains(name)) {
                continue;
            }
            SchemaNode fieldSchema = schema.properties.get(name);
            if (fieldSchema == null && schema.allowsAdditionalProperties()) {
                prune(field.getValue(), schema.additionalProperties, embedded(schema.additionalProperties),
                        Paths.child(path, name));
            } else if (fieldSchema != null) {
                prune(field.getValue(), fieldSchema, fieldSchema.embeddedResource, Paths.child(path, name));
            } else {
                pruned.add(Paths.child(path, name));
                it.remove();
            }
        }
    }

    /** Under preserve-unknown-fields: unknown fields stay, known ones are pruned by their own schema. */
    private void pruneDeclaredOnly(JsonNode value, SchemaNode schema, boolean keepMeta, String path) {
        if (value.isObject()) {
            value.properties().forEach(field -> {
                String name = field.getKey();
                SchemaNode fieldSchema = schema.fieldSchema(name);
                if (fieldSchema != null && !(keepMeta && META_FIELDS.contains(name))) {
                    prune(field.getValue(), fieldSchema, fieldSchema.embeddedResource, Paths.child(path, name));
                }
            });
        } else if (value.isArray() && schema.items != null) {
            for (int i = 0; i < value.size(); i++) {
                pruneDeclaredOnly(value.get(i), schema.items, schema.items.embeddedResource, Paths.index(path, i));
            }
        }
    }

    private static boolean embedded(SchemaNode schema) {
        return schema != null && schema.embeddedResource;
    }
}
