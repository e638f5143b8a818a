package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.schema.PruneResult;
import io.kedge.api.schema.StructuralSchema;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;
import io.kedge.openapi.SchemaCatalog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fieldValidation=Strict}: a write naming a field the kind's schema does not declare gets
 * 400, as kubectl 1.35 expects. Built-in kinds are checked against the schema catalog, custom
 * ones against their own schema.
 */
public final class SchemaFieldCheck implements FieldCheck {
    private static final int MAX_DEPTH = 64;
    private final SchemaCatalog catalog;

    public SchemaFieldCheck(OpenApiEndpoints openapi) {
        this.catalog = openapi.catalog();
    }

    @Override
    public void check(ResourceType t, ObjectNode obj, WriteOptions opts, boolean statusWrite) {
        if (!opts.strict()) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        JsonNode custom = t.strategy().openApiSchema();
        if (custom != null) {
            ObjectNode copy = obj.deepCopy();
            copy.remove("metadata");
            PruneResult pruned = StructuralSchema.parse(custom).prune(copy);
            unknown.addAll(pruned.prunedPaths());
        } else {
            Optional<String> def = catalog.definitionName(t.group(), t.version(), t.kind());
            if (def.isEmpty()) {
                return;
            }
            walk(obj, def.get(), "", unknown, 0);
        }
        if (!unknown.isEmpty()) {
            StringBuilder msg = new StringBuilder("strict decoding error: ");
            for (int i = 0; i < unknown.size(); i++) {
                if (i > 0) msg.append(", ");
                msg.append("unknown field \"").append(unknown.get(i)).append('"');
            }
            throw ApiException.badRequest(msg.toString());
        }
    }

    private void walk(JsonNode value, String definition, String path, List<String> unknown, int depth) {
        Optional<ObjectNode> schema = catalog.definition(definition);
        if (schema.isPresent()) {
            walkSchema(value, schema.get(), path, unknown, depth);
        }
    }

    private void walkSchema(JsonNode value, JsonNode schema, String path, List<String> unknown, int depth) {
        if (depth > MAX_DEPTH || value == null || value.isNull()) {
            return;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            walk(value, ref.substring(ref.lastIndexOf('/') + 1), path, unknown, depth + 1);
            return;
        }
        if (schema.has("allOf") && schema.get("allOf").size() == 1) {
            walkSchema(value, schema.get("allOf").get(0), path, unknown, depth + 1);
            return;
        }
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode props = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> it = value.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (props != null && props.has(e.getKey())) {
                    walkSchema(e.getValue(), props.get(e.getKey()), p, unknown, depth + 1);
                } else if (additional != null && additional.isObject()) {
                    walkSchema(e.getValue(), additional, p, unknown, depth + 1);
                } else if (props != null && !(additional != null && additional.asBoolean(false))) {
                    unknown.add(p);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walkSchema(value.get(i), schema.get("items"), path + "[" + i + "]", unknown, depth + 1);
            }
        }
    }
}
